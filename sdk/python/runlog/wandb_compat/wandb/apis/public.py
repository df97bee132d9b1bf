"""`wandb.apis.public`: `Api`, `Run`, `Runs` and `File` over the local Runlog store."""

from runlog._api import Api, Runs  # noqa: F401
from runlog._apirun import File, Run  # noqa: F401
from runlog._artifact import Artifact  # noqa: F401
