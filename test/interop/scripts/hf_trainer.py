# The Hugging Face Trainer with report_to="wandb": transformers' WandbCallback imports wandb itself.
# A GPT-2 built from a config (no downloaded weights), a few steps on random tokens.
import os

import torch
from transformers import GPT2Config, GPT2LMHeadModel, Trainer, TrainingArguments

os.environ["WANDB_PROJECT"] = "interop-hf"
torch.manual_seed(0)


class RandomTokens(torch.utils.data.Dataset):
    def __len__(self):
        return 32

    def __getitem__(self, i):
        ids = torch.randint(0, 64, (16,), generator=torch.Generator().manual_seed(i))
        return {"input_ids": ids, "labels": ids}


model = GPT2LMHeadModel(GPT2Config(vocab_size=64, n_positions=32, n_embd=16, n_layer=1, n_head=2))
args = TrainingArguments(output_dir="hf-out", report_to="wandb", run_name="tiny-gpt2", max_steps=6, logging_steps=2,
                         per_device_train_batch_size=4, save_strategy="no", use_cpu=True, disable_tqdm=True,
                         learning_rate=5e-3)
Trainer(model=model, args=args, train_dataset=RandomTokens()).train()
