# Reading the Lightning run back through the W&B public API, as analysis notebooks do.
import pandas as pd

import wandb

api = wandb.Api()
runs = api.runs("interop-lightning", filters={"config.lr": 0.1, "state": "finished"})
assert len(runs) == 1, runs
run = runs[0]
df = run.history(keys=["train_loss"])
assert isinstance(df, pd.DataFrame), type(df)
print("history", list(df.columns), len(df))
print("summary", sorted(k for k in run.summary if not k.startswith("_")))
print("artifacts", [a.name for a in run.logged_artifacts()])
print("scan", sum(1 for _ in run.scan_history(keys=["val_loss"])))
