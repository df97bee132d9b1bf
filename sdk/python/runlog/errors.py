"""`runlog.errors` (also `wandb.errors`): W&B's exception names
(https://docs.wandb.ai/ref/python/errors/), so `except wandb.errors.CommError:` works. Runlog's own
errors derive from them where they mean the same thing (see _store.py)."""


class Error(Exception):
    """Base of W&B's errors."""

    def __init__(self, message="", context=None):
        super(Error, self).__init__(message)
        self.message = message
        self.context = context


class CommError(Error):
    """Talking to a server failed (Runlog has none; never raised by Runlog itself)."""

    def __init__(self, msg="", exc=None):
        super(CommError, self).__init__(msg)
        self.exc = exc


class AuthenticationError(CommError):
    pass


class UsageError(Error):
    """The API was used the wrong way."""


class UnsupportedError(UsageError):
    pass


class WandbCoreNotAvailableError(Error):
    pass


class SweepError(Error):
    pass


class MultiprocessError(Error):
    pass


__all__ = ["Error", "CommError", "AuthenticationError", "UsageError", "UnsupportedError",
           "WandbCoreNotAvailableError", "SweepError", "MultiprocessError"]
