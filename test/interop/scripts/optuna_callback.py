# Optuna's W&B callback (WeightsAndBiasesCallback, from optuna-integration), unchanged.
import optuna
from optuna_integration.wandb import WeightsAndBiasesCallback

optuna.logging.set_verbosity(optuna.logging.WARNING)
callback = WeightsAndBiasesCallback(metric_name="value", wandb_kwargs={"project": "interop-optuna-callback"})
study = optuna.create_study(sampler=optuna.samplers.TPESampler(seed=0))
study.optimize(lambda trial: (trial.suggest_float("x", -4, 4) - 1) ** 2, n_trials=4, callbacks=[callback])
