"""`tf.autodiff` names (resolved from tapegrad._exports.AUTODIFF)."""
from . import _exports

_exports.install(globals(), "tapegrad.autodiff")
