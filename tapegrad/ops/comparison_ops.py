"""Comparisons and logical ops: none is differentiable, each is declared so explicitly."""
from .._core import dtypes as _dt
from .._core.backend import xp as np
from .._core.registry import defop

equal = defop("Equal", lambda x, y: np.equal(x, y), differentiable=False)
not_equal = defop("NotEqual", lambda x, y: np.not_equal(x, y), differentiable=False)
less = defop("Less", lambda x, y: np.less(x, y), dtypes=_dt.REAL, differentiable=False)
less_equal = defop("LessEqual", lambda x, y: np.less_equal(x, y), dtypes=_dt.REAL,
                   differentiable=False)
greater = defop("Greater", lambda x, y: np.greater(x, y), dtypes=_dt.REAL, differentiable=False)
greater_equal = defop("GreaterEqual", lambda x, y: np.greater_equal(x, y), dtypes=_dt.REAL,
                      differentiable=False)

_BOOL = frozenset({_dt.bool})
logical_and = defop("LogicalAnd", lambda x, y: np.logical_and(x, y), dtypes=_BOOL,
                    differentiable=False)
logical_or = defop("LogicalOr", lambda x, y: np.logical_or(x, y), dtypes=_BOOL,
                   differentiable=False)
logical_not = defop("LogicalNot", lambda x: np.logical_not(x), dtypes=_BOOL,
                    differentiable=False)


def logical_xor(x, y, name=None):
    """(x | y) & ~(x & y), composed as TF composes it."""
    return logical_and(logical_or(x, y), logical_not(logical_and(x, y)))


_INTS = _dt.INTEGERS
bitwise_and = defop("BitwiseAnd", lambda x, y: np.bitwise_and(x, y), dtypes=_INTS,
                    differentiable=False)
bitwise_or = defop("BitwiseOr", lambda x, y: np.bitwise_or(x, y), dtypes=_INTS,
                   differentiable=False)
bitwise_xor = defop("BitwiseXor", lambda x, y: np.bitwise_xor(x, y), dtypes=_INTS,
                    differentiable=False)
invert = defop("Invert", lambda x: np.invert(x), dtypes=_INTS, differentiable=False)
