# scikit-learn + matplotlib + Pillow + numpy (Debian packages), logging through `import wandb`.
import os

import matplotlib
matplotlib.use("Agg")
import matplotlib.pyplot as plt
import numpy as np
from PIL import Image
from sklearn.datasets import make_classification
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import accuracy_score, f1_score
from sklearn.model_selection import train_test_split

import wandb

X, y = make_classification(n_samples=300, n_features=6, random_state=0)
X_train, X_test, y_train, y_test = train_test_split(X, y, random_state=0)
run = wandb.init(project="interop-sklearn", config={"model": "LogisticRegression", "n_samples": len(X)})
scores = []
for c in (0.01, 0.1, 1.0, 10.0):
    clf = LogisticRegression(C=c, max_iter=200).fit(X_train, y_train)
    pred = clf.predict(X_test)
    acc, f1 = accuracy_score(y_test, pred), f1_score(y_test, pred)
    scores.append(acc)
    wandb.log({"C": c, "accuracy": acc, "f1": f1, "coef_norm": np.linalg.norm(clf.coef_)})

fig, ax = plt.subplots(figsize=(3, 2))
ax.plot([0.01, 0.1, 1.0, 10.0], scores, marker="o")
ax.set_xscale("log")
fig.savefig("accuracy.png", dpi=50)
width, height = Image.open("accuracy.png").size
wandb.save("accuracy.png")
run.summary["best_accuracy"] = float(max(scores))
run.summary["plot_size"] = [width, height]
wandb.finish()
print("plot", width, height, os.path.getsize("accuracy.png"))
