"""`tf.random` names (resolved from tapegrad._exports.RANDOM)."""
from . import _exports

_exports.install(globals(), "tapegrad.random")
