"""Elementwise binary math (atan2, maximum/minimum, the "no NaN" divisions and products),
add_n, and the cumulative scans cumsum/cumprod, each with its gradient right below it.

Rules are written with tapegrad ops (second order works) and never undo broadcasting: the
engine sums each gradient back to its input's shape.
"""
from .._core import dtypes as _dt
from .._core.backend import xp as np
from .._core.errors import InvalidArgumentError
from .._core.registry import defop
from .._core.tensor import Tensor, convert_to_tensor
from .comparison_ops import greater_equal, less_equal, not_equal
from .math_ops import _TRUEDIV_FLOAT, _cast, _conj, _pair, select, square

FLOATS = _dt.FLOATS
INEXACT = _dt.INEXACT
NUMERIC = _dt.NUMERIC


def _zero(t):
    """A scalar constant 0 of t's dtype (broadcast by the op it feeds)."""
    return Tensor(np.zeros((), t._dtype._np), t._dtype)


def _nonzero(x):
    """1 where x != 0 else 0, in x's dtype (a mask: no gradient flows through it)."""
    return _cast(not_equal(x, 0), dtype=x._dtype)


# -- atan2, maximum, minimum, squared_difference ------------------------------------------------

@defop("Atan2", dtypes=FLOATS)
def atan2(y, x):
    """Angle of the point (x, y), in [-pi, pi]."""
    return np.arctan2(y, x)


@atan2.def_grad
def _atan2_grad(op, grad):
    """d atan2(y, x) = (x dy - y dx) / (x**2 + y**2)."""
    y, x = op.inputs
    g = grad / (square(x) + square(y))
    return g * x, -g * y


@defop("Maximum", dtypes=_dt.REAL)
def maximum(x, y):
    """Elementwise max (NaN propagates)."""
    return np.maximum(x, y)


@maximum.def_grad
def _maximum_grad(op, grad):
    """The upstream goes to x where x >= y (so ties go to the first argument), else to y."""
    x, y = op.inputs
    return _route(greater_equal(x, y), grad)


@defop("Minimum", dtypes=_dt.REAL)
def minimum(x, y):
    """Elementwise min (NaN propagates)."""
    return np.minimum(x, y)


@minimum.def_grad
def _minimum_grad(op, grad):
    """The upstream goes to x where x <= y (ties go to the first argument), else to y."""
    x, y = op.inputs
    return _route(less_equal(x, y), grad)


def _route(to_x, grad):
    zero = _zero(grad)
    return select(to_x, grad, zero), select(to_x, zero, grad)


_SQD_TYPES = INEXACT | {_dt.int32, _dt.int64}


@defop("SquaredDifference", dtypes=_SQD_TYPES)
def squared_difference(x, y):
    """(x - y) * conj(x - y)."""
    d = x - y
    return d * np.conj(d) if d.dtype.kind == "c" else d * d


@squared_difference.def_grad
def _squared_difference_grad(op, grad):
    """2 * grad * (x - y) for x, its negation for y (no conjugate, as TF)."""
    x, y = op.inputs
    gx = (2 * grad) * (x - y)
    return gx, -gx


# -- xlogy, xdivy, divide_no_nan, multiply_no_nan: 0 where the guard operand is 0 --------------

@defop("Xlogy", dtypes=INEXACT)
def xlogy(x, y):
    """x * log(y), and 0 where x == 0 (even for y == 0 or NaN)."""
    return np.where(x == 0, np.zeros((), x.dtype), x * np.log(y))


@xlogy.def_grad
def _xlogy_grad(op, grad):
    """d/dx = log(y) (0 where x == 0), d/dy = x/y (0 where x == 0)."""
    x, y = op.inputs
    return (xlogy(_nonzero(x), y) * grad if op.needs(0) else None,
            xdivy(x, y) * grad if op.needs(1) else None)


@defop("Xdivy", dtypes=INEXACT)
def xdivy(x, y):
    """x / y, and 0 where x == 0 (even for y == 0 or NaN)."""
    return np.where(x == 0, np.zeros((), x.dtype), x / y)


@xdivy.def_grad
def _xdivy_grad(op, grad):
    """d/dx = 1/y (0 where x == 0), d/dy = -x/y**2 (0 where x == 0)."""
    x, y = op.inputs
    return (xdivy(_nonzero(x), y) * grad if op.needs(0) else None,
            xdivy(-x, square(y)) * grad if op.needs(1) else None)


@defop("DivNoNan", dtypes=INEXACT)
def _div_no_nan(x, y):
    return np.where(y == 0, np.zeros((), x.dtype), x / y)


@_div_no_nan.def_grad
def _div_no_nan_grad(op, grad):
    """d/dx = 1/y, d/dy = -x/y**2, each taken as 0 where y == 0."""
    x, y = op.inputs
    x, y = _conj(x), _conj(y)
    return (_div_no_nan(grad, y) if op.needs(0) else None,
            grad * _div_no_nan(_div_no_nan(-x, y), y) if op.needs(1) else None)


_DIV_NO_NAN_TYPES = ("tf.uint8, tf.int8, tf.uint16, tf.int16, tf.uint32, tf.int32, tf.uint64, "
                     "tf.int64, tf.bfloat16, tf.float16, tf.float32, tf.float64, tf.complex64, "
                     "tf.complex128")


def divide_no_nan(x, y, name=None):
    """x / y, and 0 where y == 0 (even for x NaN or inf); integers are divided as floats."""
    x, y = _pair(x, y)
    if x._dtype is not y._dtype:
        raise TypeError(f"`x` and `y` must have the same dtype, got {x._dtype!r} != {y._dtype!r}.")
    if x._dtype.is_bool:
        raise TypeError(f"Invalid dtype tf.bool in tf.math.divide_no_nan. Expected one of "
                        f"{{{_DIV_NO_NAN_TYPES}}}.")
    target = _TRUEDIV_FLOAT.get(x._dtype)
    if target is not None:
        x, y = _cast(x, dtype=target), _cast(y, dtype=target)
    return _div_no_nan(x, y)


@defop("MulNoNan", dtypes=INEXACT)
def _mul_no_nan(x, y):
    return np.where(y == 0, np.zeros((), x.dtype), x * y)


@_mul_no_nan.def_grad
def _mul_no_nan_grad(op, grad):
    """d/dx = y (0 where y == 0), d/dy = x (0 where the upstream is 0), as TF's rule."""
    x, y = op.inputs
    return (_mul_no_nan(grad, y) if op.needs(0) else None,
            _mul_no_nan(x, grad) if op.needs(1) else None)


def multiply_no_nan(x, y, name=None):
    """x * y, and 0 where y == 0 (even for x NaN or inf)."""
    x = convert_to_tensor(x)
    y = convert_to_tensor(y, dtype=x._dtype)
    return _mul_no_nan(x, y)


# -- add_n --------------------------------------------------------------------------------------

@defop("AddN", dtypes=NUMERIC)
def _add_n(*xs):
    shape = xs[0].shape
    for i, a in enumerate(xs[1:], start=1):
        if a.shape != shape:
            raise InvalidArgumentError(
                None, None, f"Inputs to operation AddN of type AddN must have the same size and "
                            f"shape.  Input 0: {list(shape)} != input {i}: {list(a.shape)}")
    out = xs[0] + xs[1]
    for a in xs[2:]:
        out += a  # ``out`` is a fresh array made here
    return out


@_add_n.def_grad
def _add_n_grad(op, grad):
    return [grad] * len(op.inputs)


def add_n(inputs, name=None):
    """Sum of a list of tensors of one shape and dtype (no broadcasting)."""
    inputs = [convert_to_tensor(v) for v in inputs]
    if not inputs:
        raise ValueError("Inputs must be an iterable of at least one Tensor/IndexedSlices with "
                         "the same dtype and shape.")
    if len(inputs) == 1:
        return inputs[0]
    return _add_n(*inputs)


# -- cumsum, cumprod ----------------------------------------------------------------------------

def _scan(fn, identity, x, axis, exclusive, reverse):
    if x.shape[axis] == 0:
        return x
    if reverse:
        x = np.flip(x, axis)
    if exclusive:  # shift by one along axis, the identity element entering first
        head = np.full(x.shape[:axis] + (1,) + x.shape[axis + 1:], identity, x.dtype)
        x = np.concatenate([head, np.delete(x, -1, axis)], axis)
    out = fn(x, axis=axis, dtype=x.dtype)
    return np.flip(out, axis) if reverse else out


@defop("Cumsum", dtypes=NUMERIC)
def _cumsum(x, *, axis, exclusive, reverse):
    return _scan(np.cumsum, 0, x, axis, exclusive, reverse)


@_cumsum.def_grad
def _cumsum_grad(op, grad):
    """Each input feeds every later (earlier, if reversed) output: a scan the other way."""
    a = op.attrs
    return _cumsum(grad, axis=a["axis"], exclusive=a["exclusive"], reverse=not a["reverse"])


@defop("Cumprod", dtypes=NUMERIC)
def _cumprod(x, *, axis, exclusive, reverse):
    return _scan(np.cumprod, 1, x, axis, exclusive, reverse)


@_cumprod.def_grad
def _cumprod_grad(op, grad):
    """TF's rule: the reverse scan of grad * cumprod, divided by x with 0 where x == 0. Exact
    where x has no zeros; at a zero input it gives 0 (as TF), not the true product of others."""
    x = op.inputs[0]
    a = op.attrs
    out = _cumsum(op.outputs[0] * grad, axis=a["axis"], exclusive=a["exclusive"],
                  reverse=not a["reverse"])
    return _div_no_nan(out, x)


def _scan_axis(x, axis, op_type):
    if isinstance(axis, Tensor) or getattr(axis, "_is_variable", False):
        axis = convert_to_tensor(axis)._value
    arr = np.asarray(axis)
    if arr.dtype.kind not in "iu":
        raise TypeError(f"Cannot convert {axis!r} to EagerTensor of dtype int32")
    if arr.ndim != 0:
        raise InvalidArgumentError(None, None, f"ScanOp: axis must be a scalar, not "
                                               f"{arr.tolist()} [Op:{op_type}]")
    ndim = x._value.ndim
    axis = int(arr)
    if not -ndim <= axis < ndim:
        raise InvalidArgumentError(None, None, f"ScanOp: Expected scan axis in the range "
                                               f"[{-ndim}, {ndim}), but got {axis} [Op:{op_type}]")
    return axis % ndim


def cumsum(x, axis=0, exclusive=False, reverse=False, name=None):
    """Cumulative sum along ``axis``; ``exclusive`` leaves out the current element,
    ``reverse`` scans from the end."""
    x = convert_to_tensor(x)
    return _cumsum(x, axis=_scan_axis(x, axis, "Cumsum"), exclusive=bool(exclusive),
                   reverse=bool(reverse))


def cumprod(x, axis=0, exclusive=False, reverse=False, name=None):
    """Cumulative product along ``axis``; ``exclusive`` leaves out the current element,
    ``reverse`` scans from the end."""
    x = convert_to_tensor(x)
    return _cumprod(x, axis=_scan_axis(x, axis, "Cumprod"), exclusive=bool(exclusive),
                    reverse=bool(reverse))
