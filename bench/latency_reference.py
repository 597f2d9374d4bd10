"""The latency model's numpy baseline for `npm run bench`: least squares per operation type on
the survey's operations (columns MACs, output size, 1), then each network's prediction as the sum
of its operations' predictions plus the fixed per-pass cost. Prints JSON: median times and the
predictions (so the bench can check both sides agree)."""
import json
import sys
import time

import numpy as np

spec = json.load(open(sys.argv[1]))
samples = np.array(spec["samples"], dtype=float)
net_ops = np.array(spec["network_ops"], dtype=float)
types = len(spec["types"])


def fit():
    coef = np.zeros((types, 3))
    for t in range(types):
        rows = samples[samples[:, 0] == t]
        X = np.column_stack([rows[:, 1], rows[:, 2], np.ones(len(rows))])
        # lstsq's minimum-norm answer on a rank-deficient X (a skip has no MACs) can differ from
        # nasbook's, which drops such a column; the predictions on the same features agree.
        coef[t] = np.linalg.lstsq(X, rows[:, 3], rcond=None)[0]
    return coef


def predict(coef):
    c = coef[net_ops[:, 1].astype(int)]
    per_op = np.maximum(0.0, c[:, 0] * net_ops[:, 2] + c[:, 1] * net_ops[:, 3] + c[:, 2])
    return np.bincount(net_ops[:, 0].astype(int), weights=per_op, minlength=spec["networks"]) + spec["overhead"]


fit_ms, predict_ms = [], []
for _ in range(spec["repeats"]):
    t0 = time.perf_counter()
    coef = fit()
    fit_ms.append(1000 * (time.perf_counter() - t0))
    t0 = time.perf_counter()
    predictions = predict(coef)
    predict_ms.append(1000 * (time.perf_counter() - t0))
print(json.dumps({"fit_ms": float(np.median(fit_ms)), "predict_ms": float(np.median(predict_ms)), "predictions": predictions.tolist()}))
