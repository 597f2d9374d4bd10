"""Optuna's TPE on the NAS-Bench-201 table, as a peer of nasbook's strategies (bench/strategies.ts).

Reads a JSON request {accuracies, threshold, budget, seeds} (accuracies[i] is the CIFAR-10
validation accuracy of cell i, i = sum_e op_e * 5**(5 - e), the order nasbook's nb201FromIndex
uses), runs one TPE study per seed with the six edge operations as categorical parameters, and
stops a study at the first trial that reaches the threshold (or after `budget` trials). Repeated
cells count as evaluations, as they would for any strategy that proposes them. Writes
{version, evaluations, seconds} to stdout, evaluations[s] = budget + 1 for a miss.
"""
import json
import sys
import time

import optuna


def main() -> None:
    request = json.load(open(sys.argv[1]))
    acc, threshold, budget = request["accuracies"], request["threshold"], request["budget"]
    optuna.logging.set_verbosity(optuna.logging.WARNING)
    evaluations = []
    start = time.perf_counter()
    for seed in range(request["seeds"]):
        hit = {"at": budget + 1}

        def objective(trial: optuna.Trial) -> float:
            index = 0
            for e in range(6):
                index = index * 5 + trial.suggest_categorical(f"edge{e}", [0, 1, 2, 3, 4])
            return acc[index]

        def stop_when_hit(study: optuna.Study, trial: optuna.trial.FrozenTrial) -> None:
            if trial.value >= threshold:
                hit["at"] = trial.number + 1
                study.stop()

        sampler = optuna.samplers.TPESampler(seed=seed)
        study = optuna.create_study(direction="maximize", sampler=sampler)
        study.optimize(objective, n_trials=budget, callbacks=[stop_when_hit])
        evaluations.append(hit["at"])
    json.dump({"version": optuna.__version__, "evaluations": evaluations, "seconds": time.perf_counter() - start}, sys.stdout)


if __name__ == "__main__":
    main()
