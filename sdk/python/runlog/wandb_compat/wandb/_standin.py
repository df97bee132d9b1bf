"""The stand-in's namespace: runlog's public names under W&B's, and W&B's module paths."""

import sys
import types

import runlog

__version__ = "0.19.0+runlog"

# Looked up on every access, so they follow the current run (as wandb.run does).
_DYNAMIC = ("run", "config", "summary")

for _name in getattr(runlog, "__all__", ()):
    if _name not in _DYNAMIC and not _name.startswith("__") and _name != "init":
        globals()[_name] = getattr(runlog, _name)

Error = getattr(getattr(runlog, "errors", None), "Error", RuntimeError)


def init(*args, **kwargs):
    """`runlog.init` with W&B's meaning of `dir=`: where a run's local files go, not which store
    lists it (W&B lists every run on its server). So the store named by RUNLOG_DIR (the editor's)
    wins over `dir=`; without it, runs go to `<dir>/.runlog`. Lightning's WandbLogger passes
    `dir="."` by default, for one."""
    import os
    given = kwargs.pop("dir", None)
    if given is not None and not os.environ.get("RUNLOG_DIR"):
        kwargs["dir"] = os.path.join(os.fspath(given), ".runlog")
    return runlog.init(*args, **kwargs)


__all__ = [n for n in getattr(runlog, "__all__", ()) if n not in _DYNAMIC and not n.startswith("__")] + ["Error"]


def __getattr__(name):
    """`wandb.run`, `wandb.config`, `wandb.summary` and any name runlog has: runlog's."""
    if name.startswith("__"):
        raise AttributeError(name)
    try:
        return getattr(runlog, name)
    except AttributeError:
        raise AttributeError("module 'wandb' (Runlog's stand-in) has no attribute %r; see the W&B "
                             "compatibility table in Runlog's README" % (name,)) from None


def _alias_tree(prefix, module):
    """Registers runlog.<x>.<y> as wandb.<x>.<y> (same module objects, so state is shared)."""
    sys.modules.setdefault(prefix, module)
    path = getattr(module, "__path__", None)
    if not path:
        return
    import pkgutil
    import importlib
    for info in pkgutil.iter_modules(path):
        if info.name.startswith("_"):
            continue
        try:
            sub = importlib.import_module(module.__name__ + "." + info.name)
        except Exception:
            continue
        _alias_tree(prefix + "." + info.name, sub)


def _synthetic(name, **attrs):
    if name not in sys.modules:
        mod = types.ModuleType(name)
        mod.__dict__.update(attrs)
        sys.modules[name] = mod
    return sys.modules[name]


def _install_aliases(wandb):
    import importlib
    for sub in ("sdk", "util", "errors"):
        try:
            module = importlib.import_module("runlog." + sub)
        except ImportError:
            continue
        setattr(wandb, sub, module)
        _alias_tree("wandb." + sub, module)
    # Paths integrations import that runlog has no module for.
    errors = sys.modules.get("wandb.errors")
    config_error = getattr(errors, "ConfigError", None) or getattr(errors, "Error", ValueError)
    lib = sys.modules.get("wandb.sdk.lib")
    if lib is None:
        sdk = _synthetic("wandb.sdk")
        lib = _synthetic("wandb.sdk.lib")
        sdk.lib = lib
        wandb.sdk = sdk
    if not hasattr(lib, "RunDisabled"):
        lib.RunDisabled = getattr(runlog, "RunDisabled", type("RunDisabled", (object,), {}))
    lib.config_util = _synthetic("wandb.sdk.lib.config_util", ConfigError=config_error)
    wandb_run = sys.modules.get("wandb.sdk.wandb_run") or _synthetic("wandb.sdk.wandb_run", Run=runlog.Run)
    sys.modules.setdefault("wandb.wandb_run", wandb_run)
    wandb.wandb_run = wandb_run
