# Lightning's own WandbLogger (it imports wandb itself), unchanged, with log_model=True.
import torch
import torch.nn.functional as F
import lightning as L
from lightning.pytorch.callbacks import ModelCheckpoint
from lightning.pytorch.loggers import WandbLogger
from torch.utils.data import DataLoader, TensorDataset


class TinyClassifier(L.LightningModule):
    def __init__(self, lr=0.1, hidden=8):
        super().__init__()
        self.save_hyperparameters()
        self.net = torch.nn.Sequential(torch.nn.Linear(4, hidden), torch.nn.ReLU(), torch.nn.Linear(hidden, 2))

    def training_step(self, batch, batch_idx):
        x, y = batch
        loss = F.cross_entropy(self.net(x), y)
        self.log("train_loss", loss)
        return loss

    def validation_step(self, batch, batch_idx):
        x, y = batch
        self.log("val_loss", F.cross_entropy(self.net(x), y))

    def configure_optimizers(self):
        return torch.optim.SGD(self.parameters(), lr=self.hparams.lr)


torch.manual_seed(0)
X = torch.randn(64, 4)
y = (X.sum(dim=1) > 0).long()
train = DataLoader(TensorDataset(X[:48], y[:48]), batch_size=8)
val = DataLoader(TensorDataset(X[48:], y[48:]), batch_size=8)

logger = WandbLogger(project="interop-lightning", log_model=True)
trainer = L.Trainer(max_epochs=2, logger=logger, log_every_n_steps=1, accelerator="cpu", devices=1,
                    enable_progress_bar=False, enable_model_summary=False, default_root_dir="lightning",
                    callbacks=[ModelCheckpoint(monitor="val_loss", save_top_k=1)])
trainer.fit(TinyClassifier(), train, val)
print("run", logger.experiment.id, logger.experiment.name)
