"""tapegrad: TensorFlow 2's eager autodiff API on NumPy, with gradients that explain themselves.

    import tapegrad as tf

Public names are listed in ``_exports.py`` and resolved on first use.
"""
from . import _exports
from ._core.tape import GradientTape  # noqa: F401 - the most used names, bound eagerly
from ._core.tensor import Tensor  # noqa: F401
from ._core.variables import Variable  # noqa: F401
from .ops import overloads as _overloads  # noqa: F401 - attaches Python operators to Tensor
from . import math, nn, linalg, errors, random, debugging  # noqa: F401,E402

__version__ = "0.1.0"
_exports.install(globals(), "tapegrad")
