"""`tf.nn` names (resolved from tapegrad._exports.NN)."""
from . import _exports

_exports.install(globals(), "tapegrad.nn")
