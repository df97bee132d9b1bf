"""`wandb.integration`: the integrations W&B ships inside its package that the stand-in provides
(`wandb.integration.keras`). Framework-side integrations (Lightning, HF, accelerate) need none."""
