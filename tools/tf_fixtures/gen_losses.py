"""Generate tests/fixtures/losses.json from TensorFlow 2.21 (run in a separate virtualenv):

    /tmp/tfenv/bin/python tools/tf_fixtures/gen_losses.py

Each case: loss class + config, inputs, TF's reduced value and its gradient w.r.t. y_pred.
The cases themselves live in tests/loss_cases.py, shared with the test that replays them.
"""
import json
import os
import sys

import numpy as np
import tensorflow as tf

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "..", "tests"))
from loss_cases import CASES  # noqa: E402


def main():
    out = []
    for case in CASES:
        cls = getattr(tf.keras.losses, case["cls"])
        loss = cls(**case["config"])
        y_true = tf.constant(np.asarray(case["y_true"], case.get("true_dtype", "float32")))
        y_pred = tf.Variable(np.asarray(case["y_pred"], np.float32))
        kwargs = {}
        if "sample_weight" in case:
            kwargs["sample_weight"] = tf.constant(np.asarray(case["sample_weight"], np.float32))
        with tf.GradientTape() as tape:
            value = loss(y_true, y_pred, **kwargs)
        grad = tape.gradient(value, y_pred)
        out.append({"name": case["name"], "value": np.asarray(value).tolist(),
                    "grad": None if grad is None else np.asarray(grad).tolist()})
    path = os.path.join(HERE, "..", "..", "tests", "fixtures", "losses.json")
    with open(path, "w") as f:
        json.dump({"tf_version": tf.__version__, "cases": out}, f, indent=1)
    print(f"wrote {len(out)} cases to {path}")


if __name__ == "__main__":
    main()
