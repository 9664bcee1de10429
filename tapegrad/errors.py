"""`tf.errors` names (resolved from tapegrad._exports.ERRORS)."""
from . import _exports

_exports.install(globals(), "tapegrad.errors")
