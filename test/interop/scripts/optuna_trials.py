# An Optuna study that tracks each trial as a run (one wandb.init per trial, as W&B's Optuna
# guide does by hand), grouped under the study.
import optuna

import wandb

optuna.logging.set_verbosity(optuna.logging.WARNING)


def objective(trial):
    x = trial.suggest_float("x", -4, 4)
    with wandb.init(project="interop-optuna", group="quadratic", config=trial.params, reinit=True) as run:
        value = (x - 1) ** 2
        for step in range(3):
            run.log({"value": value + (2 - step)})
        run.summary["final_value"] = value
    return value


study = optuna.create_study(sampler=optuna.samplers.TPESampler(seed=0))
study.optimize(objective, n_trials=4)
print("best", study.best_value)
