#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0-only
"""Per-device prediction error of a run's devices.csv (doc: Validation, Wi-Fi prediction).

Prints, over the finished offloading device-rounds, the mean |measured - predicted| / predicted
of the delay and of the device energy (compute + radio against compute + transmit + listening),
the medians of measured / predicted, and the failed device-rounds.
Usage: wifi_prediction_error.py OUTPUT_DIR/devices.csv [more devices.csv ...]
"""
import sys

import pandas as pd


def main(paths):
    if not paths:
        sys.exit("usage: wifi_prediction_error.py DEVICES_CSV [DEVICES_CSV ...]")
    for path in paths:
        d = pd.read_csv(path)
        done = d[(d.status == "done") & (d.server >= 0)]
        failed = d[(d.status != "done") & (d.server >= 0)]
        meas_e = done.compute_energy_j + done.radio_energy_j
        pred_e = (done.predicted_compute_energy_j + done.predicted_tx_energy_j +
                  done.predicted_listen_energy_j)
        delay_err = ((done.delay_s - done.predicted_delay_s).abs() / done.predicted_delay_s).mean()
        energy_err = ((meas_e - pred_e).abs() / pred_e).mean()
        print(f"{path}: {len(done)} done, {len(failed)} failed; delay error "
              f"{100 * delay_err:.1f} % (measured/predicted median "
              f"{(done.delay_s / done.predicted_delay_s).median():.2f}), energy error "
              f"{100 * energy_err:.1f} % (median {(meas_e / pred_e).median():.2f})")


if __name__ == "__main__":
    main(sys.argv[1:])
