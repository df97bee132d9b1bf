# Keras 3 (torch backend) with W&B's Keras callbacks from wandb.integration.keras.
import os

os.environ.setdefault("KERAS_BACKEND", "torch")
import keras
import numpy as np

import wandb
from wandb.integration.keras import WandbMetricsLogger, WandbModelCheckpoint

rng = np.random.default_rng(0)
X = rng.normal(size=(64, 4)).astype("float32")
y = X.sum(axis=1, keepdims=True)
run = wandb.init(project="interop-keras", config={"epochs": 3, "lr": 0.01})
model = keras.Sequential([keras.Input((4,)), keras.layers.Dense(8, activation="relu"), keras.layers.Dense(1)])
model.compile(optimizer=keras.optimizers.SGD(learning_rate=run.config.lr), loss="mse", metrics=["mae"])
model.fit(X, y, epochs=run.config.epochs, batch_size=16, validation_split=0.25, verbose=0,
          callbacks=[WandbMetricsLogger(), WandbModelCheckpoint("model.keras", monitor="val_loss")])
wandb.finish()
