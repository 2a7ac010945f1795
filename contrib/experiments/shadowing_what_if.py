#!/usr/bin/env python3
"""What would a shadowing-aware rate model change in the predictions of realistic_fidelity.py?

For every finished device-round of runs made with --rateModel=ergodic, the link's planned mean
SNR x is recovered from its predicted transfer time (predicted rate = b F(x) / ln 2, F(x) =
e^(1/x) E1(1/x), the cost model's ErgodicLog), and the prediction is recomputed with the large-
scale gain as a log-normal random variable around the estimate (standard deviation sigma dB:
shadowing that decorrelates while the device walks), E_z[F(x 10^(sigma z / 10))], z ~ N(0, 1),
by Gauss-Hermite quadrature. The allocation is kept (the plan would move a little with the
model; the question here is how well the model predicts what the network then does). Prints,
per sigma, the mean |measured - predicted| / predicted of delay and device energy, and the
floor of realistic_fidelity.py (best constant rescaling).

  contrib/experiments/shadowing_what_if.py results/realistic-fidelity/base-seed{1,2,3,4,5}
"""
import argparse
import math
import os
import sys

import numpy as np
import pandas as pd
from scipy.optimize import brentq
from scipy.special import exp1

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from realistic_fidelity import floor_error  # noqa: E402

LN2 = math.log(2)
NODES, WEIGHTS = np.polynomial.hermite_e.hermegauss(24)  # probabilists' Hermite: N(0, 1)
WEIGHTS = WEIGHTS / WEIGHTS.sum()


def ergodic(x):
    """F(x) = E[ln(1 + x H)], H ~ Exp(1), nats."""
    x = np.asarray(x, dtype=float)
    t = 1.0 / x
    return np.where(t < 700, np.exp(np.minimum(t, 700)) * exp1(t), x - x * x)


def ergodic_inverse(y):
    """Mean SNR whose F is y nats."""
    log_x = brentq(lambda lx: float(ergodic(math.exp(lx))) - y, -40.0, 40.0, xtol=1e-12)
    return math.exp(log_x)


def shadowed(x, sigma_db):
    """E_z[F(x 10^(sigma z / 10))]."""
    if sigma_db == 0:
        return float(ergodic(x))
    return float(np.dot(WEIGHTS, ergodic(x * 10 ** (sigma_db * NODES / 10))))


def transfer_time(bits, b, t_pred, sigma_db):
    """The predicted transfer time t_pred = bits / (b F(x) / ln 2) under the shadowed model."""
    if not (t_pred > 0) or not (b > 0):
        return t_pred
    x = ergodic_inverse(bits / (t_pred * b) * LN2)
    return bits / (b * shadowed(x, sigma_db) / LN2)


def main():
    ap = argparse.ArgumentParser(description=__doc__,
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("runs", nargs="+", help="output folders of realistic_fidelity.py runs")
    ap.add_argument("--sigmas", nargs="+", type=float, default=[0, 2, 4, 6, 8])
    args = ap.parse_args()
    frames = []
    for r in args.runs:
        path = os.path.join(r, "devices.csv")
        if not os.path.exists(path):
            sys.exit(f"shadowing_what_if: {path}: not found (run realistic_fidelity.py first)")
        frames.append(pd.read_csv(path))
    d = pd.concat(frames)
    d = d[d.status == "done"]
    meas_e = d.compute_energy_j + d.radio_energy_j
    print("sigma_dB  delay-err  energy-err  floor delay/energy  delay meas/pred median")
    for sigma in args.sigmas:
        up = [transfer_time(8 * row.bytes_up, row.bandwidth_hz, row.predicted_uplink_s, sigma)
              for row in d.itertuples()]
        down = [transfer_time(8 * row.bytes_down, row.bandwidth_hz, row.predicted_downlink_s,
                              sigma) for row in d.itertuples()]
        up, down = np.array(up), np.array(down)
        delay = (d.predicted_device_compute_s + d.predicted_edge_compute_s + up + down).values
        tx = np.where(d.predicted_uplink_s > 0,
                      d.predicted_tx_energy_j * up / d.predicted_uplink_s.where(
                          d.predicted_uplink_s > 0, 1), 0)
        energy = d.predicted_compute_energy_j.values + tx
        rd = d.delay_s.values / delay
        re = meas_e.values / energy
        print(f"{sigma:8.1f}  {100 * np.mean(np.abs(rd - 1)):8.1f} %  "
              f"{100 * np.mean(np.abs(re - 1)):8.1f} %   {100 * floor_error(pd.Series(rd)):5.1f} % "
              f"{100 * floor_error(pd.Series(re)):5.1f} %     {np.median(rd):.3f}", flush=True)


if __name__ == "__main__":
    main()
