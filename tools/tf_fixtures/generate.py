"""Regenerate the TensorFlow-parity fixtures under tests/fixtures/ (needs TensorFlow 2.21).

    python3 -m venv /tmp/tfenv && /tmp/tfenv/bin/pip install tensorflow-cpu==2.21.0
    /tmp/tfenv/bin/python tools/tf_fixtures/generate.py

Runs every entry of tests/snippets/op_table.py and every behaviour snippet registered in
tests/snippets/*_cases.py under real TensorFlow and writes what happened (values, dtypes,
shapes, gradients, exception types and first message lines) as JSON. The parity tests run the
same code under tapegrad and compare. TensorFlow is never needed to run the tests.
"""
import argparse
import json
import logging
import os
import sys
import warnings

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
sys.path.insert(0, os.path.join(ROOT, "tests"))

import numpy as np  # noqa: E402
import tensorflow as tf  # noqa: E402

import snippets  # noqa: E402
from snippets import codec, op_table  # noqa: E402

FIXTURES = os.path.join(ROOT, "tests", "fixtures")


def _meta():
    return {"tensorflow": tf.__version__, "numpy": np.__version__,
            "python": sys.version.split()[0],
            "regenerate": "/tmp/tfenv/bin/python tools/tf_fixtures/generate.py"}


def op_case(entry, cid, arrays):
    rec = {"entry": entry.key, "inputs": [codec.encode_array(a, a.dtype.name, "ndarray")
                                          for a in arrays]}
    outs = codec.outcome(lambda: op_table.forward(tf, entry, arrays))
    if isinstance(outs, Exception):
        rec.update(forward=codec.encode_error(outs), weights=None, grads=None)
        return rec
    weights = op_table.make_weights([o.numpy() for o in outs], cid)
    rec["weights"] = [None if w is None else codec.encode_array(w, w.dtype.name, "ndarray")
                      for w in weights]
    outs, tape, target, sources = op_table.run(tf, entry, arrays, weights)
    rec["forward"] = codec.encode(outs)
    rec["grads"] = (codec.encode(codec.outcome(lambda: tape.gradient(target, sources)))
                    if sources else None)
    return rec


def generate_ops():
    cases = {}
    for entry in op_table.TABLE:
        for cid, arrays in op_table.expand(entry):
            cases[cid] = op_case(entry, cid, arrays)
    return cases


NAMESPACES = ("", "math", "nn", "linalg", "random", "errors", "train", "debugging", "autodiff",
              "data", "keras", "keras.optimizers", "keras.optimizers.schedules", "compat.v1",
              "compat.v1.train", "optimizers", "strings", "sparse", "dtypes", "experimental",
              "config", "keras.layers", "keras.initializers", "keras.activations", "keras.models")


def tf_names():
    """Public names of the TF namespaces tapegrad mirrors (checks tapegrad/_exports.py)."""
    out = {}
    for path in NAMESPACES:
        mod = tf
        try:
            for part in filter(None, path.split(".")):
                mod = getattr(mod, part)
        except AttributeError:
            continue
        out["tapegrad" + ("." + path if path else "")] = sorted(
            n for n in dir(mod) if not n.startswith("_"))
    return out


def generate_behaviour():
    out = {}
    for name, snip in snippets.load_all().items():
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            out[name] = {"group": snip.group, "result": codec.run_snippet(snip.fn, tf)}
    return out


def _write(name, data):
    """Compact JSON with one record per line, so a regeneration diffs per case."""
    path = os.path.join(FIXTURES, name)

    def dump(v):
        return json.dumps(v, separators=(",", ":"), sort_keys=True)
    lines = []
    for key, value in data.items():
        if isinstance(value, dict) and key != "meta":
            body = ",\n".join(f"  {dump(k)}:{dump(v)}" for k, v in value.items())
            lines.append(f"{dump(key)}:{{\n{body}\n}}")
        else:
            lines.append(f"{dump(key)}:{dump(value)}")
    with open(path, "w") as f:
        f.write("{" + ",\n".join(lines) + "}\n")
    json.loads(open(path).read())  # what the tests will read must parse
    print(f"wrote {path} ({os.path.getsize(path)} bytes)")


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--only", choices=("ops", "behaviour"), help="regenerate one file")
    parser.add_argument("-v", "--verbose", action="store_true", help="print every outcome")
    args = parser.parse_args()
    logging.getLogger("tensorflow").setLevel(logging.ERROR)
    if not tf.__version__.startswith("2.21."):
        print(f"warning: TensorFlow {tf.__version__}; the fixtures describe 2.21", file=sys.stderr)
    os.makedirs(FIXTURES, exist_ok=True)
    if args.only in (None, "ops"):
        cases = generate_ops()
        _write("tf_ops.json", {"meta": _meta(), "names": tf_names(), "cases": cases})
        for cid, rec in cases.items():
            bad = [k for k in ("forward", "grads")
                   if isinstance(rec[k], dict) and rec[k].get("t") == "error"]
            if bad or args.verbose:
                print(cid, {k: rec[k] for k in bad} if bad else "")
        print(f"{len(cases)} op cases")
    if args.only in (None, "behaviour"):
        snips = generate_behaviour()
        _write("tf_behaviour.json", {"meta": _meta(), "snippets": snips})
        if args.verbose:
            for name, rec in snips.items():
                print(f"{rec['group']:>10} {name}: {json.dumps(rec['result'])[:200]}")
        print(f"{len(snips)} behaviour snippets")


if __name__ == "__main__":
    main()
