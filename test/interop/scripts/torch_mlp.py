# A PyTorch training loop written for W&B, with its one changed line: `import runlog as wandb`.
# Debian's python3-torch; tensors are logged as W&B code logs them (0-d tensors).
import runlog as wandb  # was: import wandb

import torch
import torch.nn as nn

torch.manual_seed(0)
run = wandb.init(project="interop-torch", config={"lr": 0.1, "epochs": 3, "batch_size": 16, "hidden": 8})
cfg = wandb.config

X = torch.randn(128, 4)
y = (X.sum(dim=1) > 0).long()
model = nn.Sequential(nn.Linear(4, cfg.hidden), nn.ReLU(), nn.Linear(cfg.hidden, 2))
optimizer = torch.optim.SGD(model.parameters(), lr=cfg.lr)
loss_fn = nn.CrossEntropyLoss()

for epoch in range(cfg.epochs):
    for i in range(0, len(X), cfg.batch_size):
        loss = loss_fn(model(X[i:i + cfg.batch_size]), y[i:i + cfg.batch_size])
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
        wandb.log({"train/loss": loss, "epoch": epoch})
    with torch.no_grad():
        acc = (model(X).argmax(dim=1) == y).float().mean()
    wandb.log({"val/acc": acc, "epoch": epoch})

torch.save(model.state_dict(), "model.pt")
artifact = wandb.Artifact("tiny-mlp", type="model", metadata={"hidden": cfg.hidden, "val_acc": acc.item()})
artifact.add_file("model.pt")
run.log_artifact(artifact, aliases=["best"])
wandb.summary["final_acc"] = acc.item()
wandb.finish()

# A second run loads the model back from the artifact, as an evaluation job does.
run = wandb.init(project="interop-torch", job_type="eval")
path = run.use_artifact("tiny-mlp:best", type="model").file(root="downloaded")
restored = nn.Sequential(nn.Linear(4, 8), nn.ReLU(), nn.Linear(8, 2))
restored.load_state_dict(torch.load(path))
with torch.no_grad():
    same = torch.equal(restored(X), model(X))
run.log({"restored_matches": same})
run.finish()
print("restored", same)
