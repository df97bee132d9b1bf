"""`wandb.apis.public`: `Api`, `Run`, `Runs` and `File` over the local Runlog store."""

from runlog._api import Api, File, Run, Runs  # noqa: F401
from runlog._artifact import Artifact  # noqa: F401
