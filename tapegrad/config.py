"""`tf.config` names (resolved from tapegrad._exports.CONFIG)."""
from . import _exports

_exports.install(globals(), "tapegrad.config")
