"""``tf.compat``: the TF1 surfaces TF2 programs still call (``tf.compat.v1``), and ``v2``."""
from . import v1  # noqa: F401


def __getattr__(name):
    if name == "v2":
        import tapegrad
        return tapegrad
    raise AttributeError(f"module 'tapegrad.compat' has no attribute '{name}'")
