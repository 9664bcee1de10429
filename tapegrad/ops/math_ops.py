"""Elementwise arithmetic: each op's forward (on arrays) with its gradient rule right below it.

Rules are written with tapegrad ops, so a tape around the backward pass records them (higher
derivatives). Rules never undo broadcasting: the engine sums each gradient to its input's shape.
"""
from .._core import dtypes as _dt
from .._core.backend import xp as np
from .._core.registry import defop
from .._core.tensor import Tensor, _PY_SCALARS, convert_to_tensor, scalar_tensor
from .comparison_ops import equal, greater, not_equal

FLOATS = _dt.FLOATS
INEXACT = _dt.INEXACT
NUMERIC = _dt.NUMERIC


def _conj(t):
    """Complex gradients follow TF's conjugate convention; for real dtypes this is free."""
    return conj(t) if t._dtype.is_complex else t


def _conj_np(a):
    """``_conj`` on the array of a Tensor, for the fast (array) twins of the rules."""
    return np.conj(a) if a.dtype.kind == "c" else a


# -- binary arithmetic --------------------------------------------------------------------------

@defop("AddV2", dtypes=NUMERIC)
def add(x, y):
    return x + y


@add.def_grad
def _add_grad(op, grad):
    return grad, grad


@add.def_fast_grad
def _add_grad_np(op, g):
    return g, g


@defop("Sub", dtypes=NUMERIC)
def subtract(x, y):
    return x - y


@subtract.def_grad
def _subtract_grad(op, grad):
    return grad, -grad


@subtract.def_fast_grad
def _subtract_grad_np(op, g):
    return g, (-g if op.needs(1) else None)


@defop("Mul", dtypes=NUMERIC | {_dt.bool})
def multiply(x, y):
    return x * y


@multiply.def_grad
def _multiply_grad(op, grad):
    x, y = op.inputs
    return (multiply(grad, _conj(y)) if op.needs(0) else None,
            multiply(_conj(x), grad) if op.needs(1) else None)


@multiply.def_fast_grad
def _multiply_grad_np(op, g):
    x, y = op.inputs
    return (g * _conj_np(y._value) if op.needs(0) else None,
            _conj_np(x._value) * g if op.needs(1) else None)


@defop("RealDiv", dtypes=INEXACT)
def _real_div(x, y):
    return x / y


@_real_div.def_grad
def _real_div_grad(op, grad):
    """d(x/y) = grad/y, -grad*x/y**2."""
    x, y = op.inputs
    y = _conj(y)
    return (_real_div(grad, y) if op.needs(0) else None,
            -grad * _conj(x) / (y * y) if op.needs(1) else None)


@_real_div.def_fast_grad
def _real_div_grad_np(op, g):
    x, y = op.inputs
    y = _conj_np(y._value)
    return (g / y if op.needs(0) else None,
            -g * _conj_np(x._value) / (y * y) if op.needs(1) else None)


@defop("Neg", dtypes=NUMERIC)
def negative(x):
    return -x


@negative.def_grad
def _negative_grad(op, grad):
    return -grad


@negative.def_fast_grad
def _negative_grad_np(op, g):
    return -g


@defop("Conj", same_dtype=False)
def conj(x):
    return np.conj(x)


@conj.def_grad
def _conj_grad(op, grad):
    return conj(grad)


# -- unary basics -------------------------------------------------------------------------------

@defop("Exp", dtypes=INEXACT)
def exp(x):
    return np.exp(x)


@exp.def_grad
def _exp_grad(op, grad):
    """d exp(x) = exp(x)."""
    return grad * _conj(op.outputs[0])


@exp.def_fast_grad
def _exp_grad_np(op, g):
    return g * _conj_np(op.outputs[0]._value)


@defop("Log", dtypes=INEXACT)
def log(x):
    return np.log(x)


@log.def_grad
def _log_grad(op, grad):
    """d log(x) = 1/x."""
    return grad / _conj(op.inputs[0])


@log.def_fast_grad
def _log_grad_np(op, g):
    return g / _conj_np(op.inputs[0]._value)


@defop("Tanh", dtypes=INEXACT)
def tanh(x):
    return np.tanh(x)


@tanh.def_grad
def _tanh_grad(op, grad):
    """d tanh(x) = 1 - tanh(x)**2, as one fused op (TF's TanhGrad)."""
    return _tanh_backward(_conj(op.outputs[0]), grad)


@tanh.def_fast_grad
def _tanh_grad_np(op, g):
    return _tanh_backward.forward(_conj_np(op.outputs[0]._value), g)


@defop("TanhGrad", dtypes=INEXACT)
def _tanh_backward(y, g):
    return g * (1 - y * y)


@_tanh_backward.def_grad
def _tanh_backward_grad(op, grad):
    y, g = op.inputs
    return -2 * grad * g * _conj(y), _tanh_backward(y, grad)


@defop("Square", dtypes=NUMERIC)
def square(x):
    return x * x


@square.def_grad
def _square_grad(op, grad):
    """d x**2 = 2x."""
    return grad * (2 * _conj(op.inputs[0]))


@square.def_fast_grad
def _square_grad_np(op, g):
    x = _conj_np(op.inputs[0]._value)
    return g * (x.dtype.type(2) * x)


@defop("Sqrt", dtypes=INEXACT)
def sqrt(x):
    return np.sqrt(x)


@sqrt.def_grad
def _sqrt_grad(op, grad):
    """d sqrt(x) = 0.5/sqrt(x), fused; 0 where the upstream gradient is 0, as TF's SqrtGrad."""
    return _sqrt_backward(_conj(op.outputs[0]), grad)


@sqrt.def_fast_grad
def _sqrt_grad_np(op, g):
    return _sqrt_backward.forward(_conj_np(op.outputs[0]._value), g)


@defop("SqrtGrad", dtypes=INEXACT)
def _sqrt_backward(y, g):
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.where(g == 0, np.zeros((), g.dtype), g * 0.5 / y)


@_sqrt_backward.def_grad
def _sqrt_backward_grad(op, grad):
    """d(g/(2y))/dy = -g/(2y**2) = -out/y;  d/dg = 1/(2y) (where g != 0)."""
    y, g = op.inputs
    out = op.outputs[0]
    return -grad * _conj(out / y), _sqrt_backward(y, grad)


@defop("Cast", same_dtype=False)
def _cast(x, *, dtype):
    if dtype._np == x.dtype:
        return x
    if x.dtype.kind == "c" and dtype._np.kind != "c":
        x = np.real(x)  # complex -> real keeps the real part (no ComplexWarning)
    return np.asarray(x).astype(dtype._np)


@_cast.def_grad
def _cast_grad(op, grad):
    """Identity cast back, only between float/complex dtypes (TF returns None otherwise)."""
    src = op.inputs[0]._dtype
    if src.differentiable and op.outputs[0]._dtype.differentiable:
        if grad.__class__ is not Tensor and hasattr(grad, "indices"):  # IndexedSlices stay sparse
            from .._core.tensor import IndexedSlices
            return IndexedSlices(_cast(grad.values, dtype=src), grad.indices, grad.dense_shape)
        return _cast(grad, dtype=src) if grad._dtype is not src else grad
    return None


@_cast.def_fast_grad
def _cast_grad_np(op, g):
    src = op.inputs[0]._dtype
    if src.differentiable and op.outputs[0]._dtype.differentiable:
        return _cast.forward(g, dtype=src)
    return None


def cast(x, dtype, name=None):
    """Casts a tensor to a new dtype (``tf.cast``)."""
    from .._core.tensor import convert_to_tensor
    dtype = _dt.as_dtype(dtype)
    x = convert_to_tensor(x)
    if x._dtype.is_complex and not dtype.is_complex:
        x = real(x)
    return _cast(x, dtype=dtype)


@defop("Real", same_dtype=False)
def _real(x):
    return np.real(x)


def real(x, name=None):
    from .._core.tensor import convert_to_tensor
    x = convert_to_tensor(x)
    return _real(x) if x._dtype.is_complex else x


@_real.def_grad
def _real_grad(op, grad):
    return _cast(grad, dtype=op.inputs[0]._dtype)


@defop("SelectV2", same_dtype=False)
def select(condition, x, y):
    """x where condition else y, broadcasting all three (TF's SelectV2, behind ``where``)."""
    return np.where(condition, x, y)


@select.def_grad
def _select_grad(op, grad):
    """The condition gets no gradient; each branch gets the upstream where it was chosen."""
    c = op.inputs[0]
    zeros = _zeros(grad)  # not grad * 0: an inf/nan upstream must not leak into the other branch
    return None, select(c, grad, zeros), select(c, zeros, grad)


# -- division, powers, integer division ---------------------------------------------------------

_TRUEDIV_FLOAT = {_dt.int8: _dt.float32, _dt.int16: _dt.float32, _dt.uint8: _dt.float32,
                  _dt.uint16: _dt.float32, _dt.int32: _dt.float64, _dt.int64: _dt.float64,
                  _dt.uint32: _dt.float64, _dt.uint64: _dt.float64}


def truediv(x, y, name=None):
    """x / y; integer inputs are first cast to float (int32/int64 -> float64), as in TF."""
    x, y = _pair(x, y)
    # TF's Python wrapper checks these before any kernel runs, hence TypeError (not the
    # InvalidArgumentError a kernel dtype mismatch gives).
    if y._dtype is not x._dtype:
        raise TypeError(f"`x` and `y` must have the same dtype, got {x._dtype!r} != {y._dtype!r}.")
    if x._dtype.is_bool:
        raise TypeError(f"Invalid dtype tf.bool in __truediv__. Expected one of {{{_DIV_TYPES}}}.")
    target = _TRUEDIV_FLOAT.get(x._dtype)
    if target is not None:
        x, y = _cast(x, dtype=target), _cast(y, dtype=target)
    return _real_div(x, y)


_DIV_TYPES = ("tf.uint8, tf.int8, tf.uint16, tf.int16, tf.uint32, tf.int32, tf.uint64, tf.int64, "
              "tf.bfloat16, tf.float16, tf.float32, tf.float64, tf.complex64, tf.complex128")


def divide(x, y, name=None):
    """x / y (Python division semantics, as ``tf.math.divide``)."""
    return truediv(x, y)


def _zeros(t):
    """Constant zeros shaped like ``t`` (TF's zeros_like: no path back to ``t``)."""
    return Tensor(np.zeros(t._value.shape, t._dtype._np), t._dtype)


def _ones(t):
    return Tensor(np.ones(t._value.shape, t._dtype._np), t._dtype)


def _pair(x, y):
    """Convert two operands, Python scalars taking the other operand's dtype."""
    if x.__class__ is Tensor:
        if y.__class__ in _PY_SCALARS:
            return x, scalar_tensor(y, x._dtype)
    elif y.__class__ is Tensor and x.__class__ in _PY_SCALARS:
        return scalar_tensor(x, y._dtype), y
    if _is_tensorlike(x):
        x = convert_to_tensor(x)
        y = convert_to_tensor(y) if _is_tensorlike(y) else convert_to_tensor(y, dtype=x._dtype)
    else:
        y = convert_to_tensor(y)
        x = convert_to_tensor(x) if _is_tensorlike(x) else convert_to_tensor(x, dtype=y._dtype)
    return x, y


def _is_tensorlike(v):
    return isinstance(v, Tensor) or getattr(v, "_is_variable", False)


@defop("Pow", dtypes=NUMERIC)
def pow(x, y):  # noqa: A001 - TF's public name
    if x.dtype.kind in "iu" and np.any(np.asarray(y) < 0):
        from .._core.errors import InvalidArgumentError
        raise InvalidArgumentError(None, None, "Integers to negative integer powers are not allowed")
    return np.power(x, y)


@pow.def_grad
def _pow_grad(op, grad):
    """d x**y = y*x**(y-1) dx + log(x)*x**y dy (log taken where x > 0, else 0), as TF."""
    x, y = op.inputs
    z = op.outputs[0]
    # log(x) only where it is defined (x > 0 for real, x != 0 for complex), else 0.
    mask = not_equal(x, 0) if x._dtype.is_complex else greater(x, 0)
    safe_log = select(mask, log(select(mask, x, _ones(x))), _zeros(x))  # x * 0 is nan at inf
    grad_y = grad * _conj(z * safe_log)
    grad_x = grad * _conj(y * pow(x, y - 1))
    return grad_x, grad_y


@defop("FloorDiv", dtypes=_dt.REAL)
def floordiv(x, y):
    if x.dtype.kind in "iu" and np.any(np.asarray(y) == 0):
        from .._core.errors import InvalidArgumentError
        raise InvalidArgumentError(None, None, "Integer division by zero")
    return np.floor_divide(x, y)


@floordiv.def_grad
def _floordiv_grad(op, grad):
    """Piecewise constant: TF's rule returns None."""
    return None, None


@defop("FloorMod", dtypes=_dt.REAL)
def floormod(x, y):
    if x.dtype.kind in "iu" and np.any(np.asarray(y) == 0):
        from .._core.errors import InvalidArgumentError
        raise InvalidArgumentError(None, None, "Integer division by zero")
    return np.mod(x, y)


@floormod.def_grad
def _floormod_grad(op, grad):
    """x mod y = x - floor(x/y)*y: d/dx = 1, d/dy = -floor(x/y)."""
    x, y = op.inputs
    return grad, grad * -floordiv(x, y)


mod = floormod
