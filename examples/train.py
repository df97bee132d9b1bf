"""The seed's simulated training loop, tracked with Runlog.

    PYTHONPATH=sdk/python python3 examples/train.py
"""

import random

import runlog

epochs = 10
lr = 0.01

run = runlog.init(
    project="awesome-project",
    config={
        "learning_rate": lr,
        "epochs": epochs,
        "architecture": "CNN",
        "dataset": "CIFAR-100",
    },
)
print(f"lr: {run.config.learning_rate}")

offset = random.random() / 5

# simulating a training run
for epoch in range(epochs):
    acc = 1 - 2**-epoch - random.random() / (epoch + 1) - offset
    loss = 2**-epoch + random.random() / (epoch + 1) + offset
    print(f"epoch={epoch}, accuracy={acc}, loss={loss}")
    run.log({"accuracy": acc, "loss": loss})

run.finish()
