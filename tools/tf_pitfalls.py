"""Run the demo's pitfall programs (tapegrad/cli/pitfalls.py) on real TensorFlow and check that
each outcome is the recorded ``tf_outcome``. TF is not a dependency of tapegrad: run this with
the reference environment, e.g. ``/tmp/tfenv/bin/python tools/tf_pitfalls.py``.
"""
import importlib.util
import os
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
PATH = os.path.join(HERE, "..", "tapegrad", "cli", "pitfalls.py")


def load():
    """pitfalls.py by path, so that the tapegrad package itself is not imported."""
    spec = importlib.util.spec_from_file_location("pitfalls", PATH)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def main():
    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
    import tensorflow as tf
    pitfalls = load()
    bad = 0
    for p in pitfalls.PITFALLS:
        got = pitfalls.run_program(p).text()
        ok = got.startswith(p.tf_outcome)
        bad += not ok
        print(f"{'ok  ' if ok else 'DIFF'} {p.key}: {got}")
        if not ok:
            print(f"     recorded: {p.tf_outcome}")
    print(f"TF {tf.__version__}: {len(pitfalls.PITFALLS) - bad} of {len(pitfalls.PITFALLS)} match")
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
