"""watch()/unwatch(): gradient and parameter histograms of torch models, from hooks.

As W&B documents `wandb.watch` (docs.wandb.ai/ref/python/watch): `watch(models, criterion=None,
log="gradients", log_freq=1000, idx=None, log_graph=False)`; `log` is "gradients", "parameters",
"all" or None; histograms go to `gradients/<name>` and `parameters/<name>` every `log_freq`
batches (forward passes for parameters, backward passes for gradients), joined to the run's
current step (logged with commit=False). `log_graph` is accepted and not recorded.
"""

from ._histogram import Histogram

_LOG_CHOICES = ("gradients", "parameters", "all", None)


class _Watch(object):
    def __init__(self, run, model, prefix, log, log_freq):
        self.run = run
        self.model = model
        self.handles = []
        self.calls = 0
        self.grad_calls = {}
        if log in ("parameters", "all"):
            self.handles.append(model.register_forward_hook(self._forward(prefix, log_freq)))
        if log in ("gradients", "all"):
            for name, param in model.named_parameters():
                if param.requires_grad:
                    self.handles.append(param.register_hook(self._backward(prefix + name, log_freq)))

    def _forward(self, prefix, log_freq):
        def hook(module, inputs, output):
            if not module.training:
                return
            self.calls += 1
            if self.calls % log_freq:
                return
            data = {}
            for name, param in module.named_parameters():
                data["parameters/" + prefix + name] = Histogram(param.detach())
            self.run.log(data, commit=False)
        return hook

    def _backward(self, name, log_freq):
        def hook(grad):
            n = self.grad_calls[name] = self.grad_calls.get(name, 0) + 1
            if n % log_freq == 0:
                self.run.log({"gradients/" + name: Histogram(grad.detach())}, commit=False)
        return hook

    def remove(self):
        for h in self.handles:
            h.remove()
        del self.handles[:]


def _current_run():
    import runlog
    run = runlog.run
    if run is None:
        raise ValueError("runlog: watch() needs a run: call runlog.init() first")
    return run


def watch(models, criterion=None, log="gradients", log_freq=1000, idx=None, log_graph=False, run=None):
    """Hooks torch model(s); returns the watched models."""
    if log not in _LOG_CHOICES:
        raise ValueError("runlog: watch(log=%r): use 'gradients', 'parameters', 'all' or None" % (log,))
    if not isinstance(log_freq, int) or isinstance(log_freq, bool) or log_freq < 1:
        raise ValueError("runlog: watch(log_freq=%r): must be a positive integer" % (log_freq,))
    run = run or _current_run()
    models = list(models) if isinstance(models, (list, tuple)) else [models]
    for m in models:
        if not (hasattr(m, "named_parameters") and hasattr(m, "register_forward_hook")):
            raise ValueError("runlog: watch() takes torch.nn.Module objects; got %s" % type(m).__name__)
    watches = run.__dict__.setdefault("_watches", [])
    for i, m in enumerate(models):
        n = idx if idx is not None else len(watches)
        # A second and later model's keys carry its index, so two models never share keys.
        prefix = "graph_%d/" % n if (len(models) > 1 or n > 0) else ""
        watches.append(_Watch(run, m, prefix, log, log_freq))
    return models


def unwatch(models=None, run=None):
    """Removes the hooks of the given model(s), or of every watched model."""
    import runlog
    run = run or runlog.run
    if run is None:
        return
    watches = run.__dict__.get("_watches", [])
    targets = None if models is None else (list(models) if isinstance(models, (list, tuple)) else [models])
    for w in list(watches):
        if targets is None or any(w.model is m for m in targets):
            w.remove()
            watches.remove(w)
