# accelerate's experiment tracker (log_with="wandb"), which imports wandb itself.
import torch
from accelerate import Accelerator

accelerator = Accelerator(log_with="wandb", cpu=True)
accelerator.init_trackers("interop-accelerate", config={"lr": 0.1, "steps": 5},
                          init_kwargs={"wandb": {"name": "accelerate-run", "tags": ["accelerate"]}})
torch.manual_seed(0)
model = torch.nn.Linear(4, 1)
optimizer = torch.optim.SGD(model.parameters(), lr=0.1)
model, optimizer = accelerator.prepare(model, optimizer)
X, y = torch.randn(32, 4), torch.randn(32, 1)
for step in range(5):
    loss = torch.nn.functional.mse_loss(model(X), y)
    accelerator.backward(loss)
    optimizer.step()
    optimizer.zero_grad()
    accelerator.log({"train_loss": loss.item()}, step=step)
accelerator.end_training()
