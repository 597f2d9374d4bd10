"""Peers for nasbook's Pareto tools, run as a child process (never a dependency).

Reads one JSON request (or a list of them, answered in order in one process, so the imports are
paid once) from the file named on the command line:
    {"tool": "deap-sort" | "deap-sort-log" | "optuna-sort" | "deap-hv" | "optuna-hv",
     "points": [[...], ...], "reference": [...], "repeats": 3}
every objective minimised, and prints one JSON line per request:
    {"tool": ..., "version": ..., "result": fronts (lists of row indices, ascending) or a volume,
     "seconds": [wall time of each repeat], "cpuSeconds": [its CPU time], both measured inside this process}
"""
import json
import sys
import time


def deap_sort(points, log):
    from deap import base, creator, tools

    m = len(points[0])
    name = "NasbookMin%d" % m
    if not hasattr(creator, name):
        creator.create(name, base.Fitness, weights=(-1.0,) * m)
        creator.create(name + "Ind", list, fitness=getattr(creator, name))
    Ind = getattr(creator, name + "Ind")
    inds = []
    for i, p in enumerate(points):
        ind = Ind(p)
        ind.fitness.values = tuple(p)
        ind.row = i
        inds.append(ind)

    def run():
        if log:
            return tools.sortLogNondominated(inds, len(inds))
        return tools.sortNondominated(inds, len(inds))

    return run, lambda fronts: [sorted(ind.row for ind in f) for f in fronts]


def optuna_sort(points):
    import optuna
    from optuna.distributions import FloatDistribution
    from optuna.samplers import NSGAIISampler
    from optuna.study import StudyDirection
    from optuna.trial import FrozenTrial, TrialState

    optuna.logging.set_verbosity(optuna.logging.WARNING)
    trials = [
        FrozenTrial(number=i, state=TrialState.COMPLETE, value=None, values=list(p), datetime_start=None,
                    datetime_complete=None, params={}, distributions={}, user_attrs={}, system_attrs={},
                    intermediate_values={}, trial_id=i)
        for i, p in enumerate(points)
    ]
    directions = [StudyDirection.MINIMIZE] * len(points[0])
    sampler = NSGAIISampler(seed=0)
    run = lambda: sampler._fast_non_dominated_sort(list(trials), directions)
    return run, lambda fronts: [sorted(t.number for t in f) for f in fronts]


def deap_hv(points, reference):
    import numpy as np
    from deap.tools._hypervolume import hv

    pts = np.array(points, dtype=float)
    ref = np.array(reference, dtype=float)
    return (lambda: hv.hypervolume(pts, ref)), float


def optuna_hv(points, reference):
    import numpy as np
    from optuna._hypervolume import WFG

    pts = np.array(points, dtype=float)
    ref = np.array(reference, dtype=float)
    return (lambda: WFG().compute(pts, ref)), float


def version(tool):
    if tool.startswith("deap"):
        import deap
        return "deap " + deap.__version__
    import optuna
    return "optuna " + optuna.__version__


def answer(req):
    tool = req["tool"]
    points = req["points"]
    if tool == "deap-sort":
        run, convert = deap_sort(points, log=False)
    elif tool == "deap-sort-log":
        run, convert = deap_sort(points, log=True)
    elif tool == "optuna-sort":
        run, convert = optuna_sort(points)
    elif tool == "deap-hv":
        run, convert = deap_hv(points, req["reference"])
    elif tool == "optuna-hv":
        run, convert = optuna_hv(points, req["reference"])
    else:
        raise SystemExit("unknown tool " + tool)
    seconds = []
    cpu_seconds = []
    result = None
    for _ in range(int(req.get("repeats", 1))):
        t0 = time.perf_counter()
        c0 = time.process_time()
        result = run()
        cpu_seconds.append(time.process_time() - c0)
        seconds.append(time.perf_counter() - t0)
    return {"tool": tool, "version": version(tool), "result": convert(result), "seconds": seconds, "cpuSeconds": cpu_seconds}


def main():
    with open(sys.argv[1]) as f:
        req = json.load(f)
    for r in req if isinstance(req, list) else [req]:
        print(json.dumps(answer(r)), flush=True)


if __name__ == "__main__":
    main()
