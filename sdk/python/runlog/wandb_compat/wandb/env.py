"""`wandb.env`: the helpers code calls to set the project and entity for later `init()` calls."""

import os


def set_project(value, env=None):
    (env if env is not None else os.environ)["WANDB_PROJECT"] = value or ""


def set_entity(value, env=None):
    (env if env is not None else os.environ)["WANDB_ENTITY"] = value or ""


def get_project(default=None, env=None):
    return (env if env is not None else os.environ).get("WANDB_PROJECT", default)


def get_entity(default=None, env=None):
    return (env if env is not None else os.environ).get("WANDB_ENTITY", default)
