"""`tf.math` names (resolved from tapegrad._exports.MATH)."""
from . import _exports

_exports.install(globals(), "tapegrad.math")
