"""`tf.linalg` names (resolved from tapegrad._exports.LINALG)."""
from . import _exports

_exports.install(globals(), "tapegrad.linalg")
