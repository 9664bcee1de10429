"""tapegrad: TensorFlow 2's eager autodiff API on NumPy, with gradients that explain themselves.

    import tapegrad as tf

Public names are listed in ``_exports.py`` and resolved on first use.
"""
import warnings as _warnings

from . import _exports

# TF computes log(0) = -inf silently; NumPy would warn from inside our op modules, pointing at
# library lines. Silence only warnings raised from tapegrad's own modules (user code unchanged);
# check_numerics is the tool that reports non-finite values, at the user's line.
_warnings.filterwarnings("ignore", category=RuntimeWarning, module=r"tapegrad(\.|$)")
from ._core.tape import GradientTape  # noqa: F401 - the most used names, bound eagerly
from ._core.tensor import Tensor  # noqa: F401
from ._core.variables import Variable  # noqa: F401
from .ops import overloads as _overloads  # noqa: F401 - attaches Python operators to Tensor
from .ops import indexing_ops as _indexing_ops  # noqa: F401,E402 - IndexedSlices converters
# The engine sums, reshapes and casts gradients with the registry's Sum/Reshape/Cast.
from .ops import array_ops as _array_ops, reduction_ops as _reduction_ops  # noqa: F401,E402
from . import errors  # noqa: F401,E402

__version__ = "0.1.0"
_exports.install(globals(), "tapegrad")

# Namespaces load on first use (``tf.keras``, ``tf.optimizers`` ...): a program pays the memory
# of the parts it touches, not of all of tapegrad.
_SUBMODULES = frozenset({"math", "nn", "linalg", "random", "debugging", "train", "autodiff",
                         "optimizers", "keras", "compat", "config"})
_table_getattr = __getattr__  # noqa: F821 - installed by _exports.install just above
_table_dir = __dir__  # noqa: F821


def __getattr__(name):
    if name in _SUBMODULES:
        import importlib
        return importlib.import_module(f"{__name__}.{name}")
    return _table_getattr(name)


def __dir__():
    return sorted(set(_table_dir()) | _SUBMODULES)
