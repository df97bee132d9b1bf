"""Runlog's stand-in for the `wandb` package.

Training code and framework integrations (Lightning's WandbLogger, the HF Trainer's
`report_to="wandb"`, accelerate's tracker, Keras callbacks) that `import wandb` themselves record
their runs with Runlog. This folder is put on PYTHONPATH only when the user chooses it (the
`runlog.wandbStandIn` setting in the editor; `python -m runlog wandb-path` elsewhere).

RUNLOG_WANDB picks what `import wandb` gives:
  auto (default)  a real `wandb` installed further down the path wins; else this stand-in
  1 / always      this stand-in, even where a real `wandb` is installed
  0 / off         the real `wandb` (ImportError when there is none)
"""

import os as _os
import sys as _sys

_HERE = _os.path.dirname(_os.path.dirname(_os.path.abspath(__file__)))
_MODE = _os.environ.get("RUNLOG_WANDB", "auto").strip().lower() or "auto"


def _real_wandb():
    """The spec of a `wandb` package elsewhere on sys.path, or None."""
    from importlib.machinery import PathFinder
    others = [p for p in _sys.path if _os.path.abspath(p or _os.getcwd()) != _HERE]
    spec = PathFinder.find_spec("wandb", others)
    return spec if spec is not None and spec.loader is not None and spec.origin else None


_real = _real_wandb() if _MODE in ("auto", "0", "off", "false", "no") else None
if _MODE in ("0", "off", "false", "no") and _real is None:
    raise ImportError("RUNLOG_WANDB=%s asks for the real wandb package, and none is installed" % _MODE)

if _real is not None:
    # Hand over to the real package: the import statement returns what sys.modules holds.
    import importlib.util as _util
    _module = _util.module_from_spec(_real)
    _sys.modules["wandb"] = _module
    _real.loader.exec_module(_module)
else:
    from ._standin import *  # noqa: F401,F403
    from ._standin import __getattr__, __version__, _install_aliases  # noqa: F401
    _install_aliases(_sys.modules[__name__])
