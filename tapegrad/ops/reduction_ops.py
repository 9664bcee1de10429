"""Reductions with TF's ``axis``/``keepdims`` conventions, each with its gradient.

Every reduction op takes ``axis`` as a sorted tuple of non-negative axes (``normalize_axis``)
and a bool ``keepdims``. Rules first restore the reduced axes as size-1 dims (``_kept``), so
the upstream gradient broadcasts against the input.
"""
from .._core import dtypes as _dt
from .._core.backend import xp as np
from .._core.errors import InvalidArgumentError
from .._core.registry import defop, op_error, tf_type_name
from .._core.tensor import Tensor, convert_to_tensor
from . import array_ops
from .comparison_ops import equal, not_equal
from .math_ops import _cast, _conj, conj, exp, real, sqrt, square

_ALL_AXES = [tuple(range(n)) for n in range(33)]


def _axis_error(axis, ndim):
    return InvalidArgumentError(None, None, f"Invalid reduction dimension ({axis} for input with "
                                            f"{ndim} dimension(s)")


def normalize_axis(axis, ndim):
    """TF axis argument (None, int, list, tensor) -> sorted tuple of non-negative axes.

    Out-of-range and duplicate axes raise InvalidArgumentError (a scalar has no axis 0)."""
    if axis is None:
        return _ALL_AXES[ndim] if ndim < 33 else tuple(range(ndim))
    if axis.__class__ is int:
        if -ndim <= axis < ndim:
            return (axis % ndim,)
        raise _axis_error(axis, ndim)
    if getattr(axis, "_is_variable", False):
        axis = convert_to_tensor(axis)
    if isinstance(axis, Tensor):
        axis = axis._value
    arr = np.asarray(axis)
    if arr.dtype.kind not in "iu" and arr.size:
        raise TypeError(f"Cannot convert {axis!r} to EagerTensor of dtype int32")
    out = []
    for a in arr.reshape(-1).tolist():
        if not -ndim <= a < ndim:
            raise _axis_error(a, ndim)
        a %= ndim
        if a in out:
            raise InvalidArgumentError(None, None, f"Invalid reduction arguments: Axes contains "
                                                   f"duplicate dimension: {a}")
        out.append(a)
    return tuple(sorted(out))


def _kept_shape(shape, axes):
    return tuple(1 if i in axes else d for i, d in enumerate(shape))


def _kept(op, t):
    """``t`` (shaped like the op's output) reshaped to keep the reduced axes as size 1."""
    if op.attrs["keepdims"]:
        return t
    return array_ops.reshape(t, _kept_shape(op.inputs[0]._value.shape, op.attrs["axis"]))


def _count(shape, axes):
    n = 1
    for a in axes:
        n *= shape[a]
    return n


def _prep(input_tensor, axis, opdef):
    x = convert_to_tensor(input_tensor)
    try:
        return x, normalize_axis(axis, x._value.ndim)
    except InvalidArgumentError as e:  # name the op, the input and the user's line
        raise op_error(opdef, [x], e) from None


def _fail(opdef, inputs, msg):
    return op_error(opdef, inputs, InvalidArgumentError(None, None, msg))


# -- sum and mean -------------------------------------------------------------------------------

@defop("Sum", dtypes=_dt.NUMERIC)
def _sum(x, *, axis, keepdims):
    return np.add.reduce(x, axis, x.dtype, None, keepdims)


@_sum.def_grad
def _sum_grad(op, grad):
    """Broadcast the upstream gradient back over the reduced axes."""
    return array_ops.broadcast_to(_kept(op, grad), op.inputs[0]._value.shape)


def _spread_np(op, g):
    """The twins' shared step: ``g`` with the reduced axes kept, broadcast over the input."""
    shape = op.inputs[0]._value.shape
    if g.size == 1:  # a full reduction: np.full is several times cheaper than broadcast_to
        return np.full(shape, g.reshape(()), g.dtype)
    if not op.attrs["keepdims"]:
        g = np.reshape(g, _kept_shape(shape, op.attrs["axis"]))
    return np.broadcast_to(g, shape)


@_sum.def_fast_grad
def _sum_grad_np(op, g):
    return _spread_np(op, g)


def reduce_sum(input_tensor, axis=None, keepdims=False, name=None):
    """Sum of elements across ``axis`` (all axes when None)."""
    x, axes = _prep(input_tensor, axis, _sum)
    return _sum(x, axis=axes, keepdims=bool(keepdims))


@defop("Mean", dtypes=_dt.NUMERIC)
def _mean(x, *, axis, keepdims):
    n = _count(x.shape, axis)
    if x.dtype.kind in "iu":
        # TF accumulates integers in 64 bits and truncates the quotient toward zero.
        s = np.add.reduce(x, axis, np.int64 if x.dtype.kind == "i" else np.uint64, None,
                          keepdims)
        if n == 0:
            return np.zeros(np.shape(s), x.dtype)
        q = s // n
        if x.dtype.kind == "i":
            q = q + ((q * n != s) & (s < 0))
        return np.asarray(q).astype(x.dtype)
    # Floats accumulate in their own type, as TF (a float16 mean can overflow like TF's).
    return np.add.reduce(x, axis, x.dtype, None, keepdims) / n


@_mean.def_grad
def _mean_grad(op, grad):
    n = _count(op.inputs[0]._value.shape, op.attrs["axis"])
    if n > 1:
        grad = grad / n
    return array_ops.broadcast_to(_kept(op, grad), op.inputs[0]._value.shape)


@_mean.def_fast_grad
def _mean_grad_np(op, g):
    n = _count(op.inputs[0]._value.shape, op.attrs["axis"])
    return _spread_np(op, g / g.dtype.type(n) if n > 1 else g)


def reduce_mean(input_tensor, axis=None, keepdims=False, name=None):
    """Mean across ``axis``; integer inputs give TF's truncated integer mean."""
    x, axes = _prep(input_tensor, axis, _mean)
    return _mean(x, axis=axes, keepdims=bool(keepdims))


# -- max and min --------------------------------------------------------------------------------

def _extreme(ufunc, x, axis, keepdims, floats, ints):
    if x.size:
        return ufunc.reduce(x, axis, None, None, keepdims)
    # Empty reductions give the identity TF uses: -inf/inf for floats, the int limits else.
    init = floats if x.dtype.kind == "f" else ints(x.dtype)
    return ufunc.reduce(x, axis, None, None, keepdims, initial=init)


@defop("Max", dtypes=_dt.REAL)
def _max(x, *, axis, keepdims):
    return _extreme(np.maximum, x, axis, keepdims, -np.inf, lambda d: np.iinfo(d).min)


@defop("Min", dtypes=_dt.REAL)
def _min(x, *, axis, keepdims):
    return _extreme(np.minimum, x, axis, keepdims, np.inf, lambda d: np.iinfo(d).max)


def _min_or_max_grad(op, grad):
    """The gradient goes to the elements equal to the result; ties share it equally (a NaN
    result matches nothing, so 0/0 gives NaN everywhere, as TF)."""
    x = op.inputs[0]
    y = _kept(op, op.outputs[0])
    hits = _cast(equal(y, x), dtype=grad._dtype)
    share = hits / _sum(hits, axis=op.attrs["axis"], keepdims=True)
    return share * _kept(op, grad)


_max.def_grad(_min_or_max_grad)
_min.def_grad(_min_or_max_grad)


def reduce_max(input_tensor, axis=None, keepdims=False, name=None):
    """Maximum across ``axis``; -inf (or the int minimum) for an empty reduction."""
    x, axes = _prep(input_tensor, axis, _max)
    return _max(x, axis=axes, keepdims=bool(keepdims))


def reduce_min(input_tensor, axis=None, keepdims=False, name=None):
    """Minimum across ``axis``; inf (or the int maximum) for an empty reduction."""
    x, axes = _prep(input_tensor, axis, _min)
    return _min(x, axis=axes, keepdims=bool(keepdims))


# -- prod ---------------------------------------------------------------------------------------

@defop("Prod", dtypes=_dt.NUMERIC)
def _prod(x, *, axis, keepdims):
    return np.multiply.reduce(x, axis, x.dtype, None, keepdims)


@_prod.def_grad
def _prod_grad(op, grad):
    """d prod / d x_i = product of the other elements, from exclusive cumulative products on
    both sides (no division, so zeros in the input are exact, as TF's rule)."""
    from .binary_ops import cumprod
    x = op.inputs[0]
    shape = x._value.shape
    axes = op.attrs["axis"]
    grad = array_ops.broadcast_to(_kept(op, grad), shape)
    kept = [i for i in range(len(shape)) if i not in axes]
    perm = kept + list(axes)
    moved = perm != list(range(len(shape)))
    xt = array_ops.transpose(x, perm) if moved else x
    flat = array_ops.reshape(xt, [shape[i] for i in kept] + [_count(shape, axes)])
    others = (cumprod(flat, axis=-1, exclusive=True) *
              cumprod(flat, axis=-1, exclusive=True, reverse=True))
    others = array_ops.reshape(others, xt._value.shape)
    if moved:
        inverse = [0] * len(perm)
        for i, p in enumerate(perm):
            inverse[p] = i
        others = array_ops.transpose(others, inverse)
    return grad * _conj(others)


def reduce_prod(input_tensor, axis=None, keepdims=False, name=None):
    """Product across ``axis`` (1 for an empty reduction)."""
    x, axes = _prep(input_tensor, axis, _prod)
    return _prod(x, axis=axes, keepdims=bool(keepdims))


# -- logsumexp (a primitive for stability and speed) --------------------------------------------

@defop("ReduceLogSumExp", dtypes=_dt.FLOATS)
def _logsumexp(x, *, axis, keepdims):
    m = np.maximum.reduce(x, axis, None, None, True, initial=-np.inf)
    m = np.where(np.isfinite(m), m, 0)  # all -inf (or an inf) in a slice: shift by 0, as TF
    out = np.log(np.add.reduce(np.exp(x - m), axis, None, None, True)) + m
    return out if keepdims else out.reshape([d for i, d in enumerate(x.shape) if i not in axis])


@_logsumexp.def_grad
def _logsumexp_grad(op, grad):
    """softmax(x) * grad, with the softmax formed from the output (NaN where x = lse = inf)."""
    return _kept(op, grad) * exp(op.inputs[0] - _kept(op, op.outputs[0]))


def reduce_logsumexp(input_tensor, axis=None, keepdims=False, name=None):
    """log(sum(exp(x))) across ``axis``, computed without overflow."""
    x, axes = _prep(input_tensor, axis, _logsumexp)
    return _logsumexp(x, axis=axes, keepdims=bool(keepdims))


# -- variance and standard deviation (composites) -----------------------------------------------

def reduce_variance(input_tensor, axis=None, keepdims=False, name=None):
    """Variance across ``axis``; real-valued for complex input."""
    # TF takes the mean first, so a bad axis or a bool input fails there (InvalidArgumentError)
    # before the integer check below.
    x, axes = _prep(input_tensor, axis, _mean)
    m = _mean(x, axis=axes, keepdims=True)
    if x._dtype.is_integer:
        raise TypeError(f"Input must be either real or complex. Received integer type "
                        f"<dtype: '{x._dtype.name}'>.")
    d = x - m
    sq = real(d * conj(d)) if x._dtype.is_complex else square(d)
    return _mean(sq, axis=axes, keepdims=bool(keepdims))


def reduce_std(input_tensor, axis=None, keepdims=False, name=None):
    """Standard deviation across ``axis`` (NaN gradient where it is 0, as TF)."""
    return sqrt(reduce_variance(input_tensor, axis, keepdims))


# -- boolean reductions and counting (not differentiable) ---------------------------------------

def _bool_prep(opdef, input_tensor, axis):
    """Convert and check like TF: a non-tensor converts as bool; a non-bool tensor fails before
    the axis is looked at, with ValueError when ``axis`` is a list (TF's eager fast path then
    falls back to generic input conversion) and InvalidArgumentError otherwise."""
    if not _is_tensorlike(input_tensor):
        input_tensor = convert_to_tensor(input_tensor, dtype=_dt.bool)
    x = convert_to_tensor(input_tensor)
    if not x._dtype.is_bool:
        if isinstance(axis, (list, tuple)):
            raise ValueError(f"Tensor conversion requested dtype bool for Tensor with dtype "
                             f"{x._dtype.name}: {x!r}")
        raise _fail(opdef, [x], f"cannot compute {opdef.type} as input #0(zero-based) was "
                                f"expected to be a bool tensor but is a "
                                f"{tf_type_name(x._dtype)} tensor")
    return _prep(x, axis, opdef)


def _is_tensorlike(v):
    return isinstance(v, Tensor) or getattr(v, "_is_variable", False)


@defop("Any", dtypes={_dt.bool}, differentiable=False)
def _any(x, *, axis, keepdims):
    return np.logical_or.reduce(x, axis, None, None, keepdims)


@defop("All", dtypes={_dt.bool}, differentiable=False)
def _all(x, *, axis, keepdims):
    return np.logical_and.reduce(x, axis, None, None, keepdims)


def reduce_any(input_tensor, axis=None, keepdims=False, name=None):
    """Logical or across ``axis`` (False for an empty reduction)."""
    x, axes = _bool_prep(_any, input_tensor, axis)
    return _any(x, axis=axes, keepdims=bool(keepdims))


def reduce_all(input_tensor, axis=None, keepdims=False, name=None):
    """Logical and across ``axis`` (True for an empty reduction)."""
    x, axes = _bool_prep(_all, input_tensor, axis)
    return _all(x, axis=axes, keepdims=bool(keepdims))


def count_nonzero(input, axis=None, keepdims=None, dtype=_dt.int64, name=None):  # noqa: A002
    """Number of non-zero elements across ``axis``, as ``dtype`` (int64 by default)."""
    x, axes = _prep(input, axis, _sum)
    zero = Tensor(np.zeros((), x._dtype._np), x._dtype)
    count = _sum(_cast(not_equal(x, zero), dtype=_dt.int64), axis=axes, keepdims=bool(keepdims))
    dtype = _dt.as_dtype(dtype)
    return count if dtype is _dt.int64 else _cast(count, dtype=dtype)


# -- argmax / argmin (integer outputs: no gradient, as TF) --------------------------------------

_INDEX_TYPES = (_dt.int16, _dt.uint16, _dt.int32, _dt.int64)


def _arg_reduce(fn, fill, x, axis, output_type):
    if not x.size:  # an empty output (an empty reduced axis was rejected up front)
        return np.zeros(x.shape[:axis] + x.shape[axis + 1:], output_type._np)
    if x.dtype.kind == "f":
        nan = np.isnan(x)
        if nan.any():  # TF's kernels never select a NaN unless nothing else beats the start
            x = np.where(nan, fill, x)
    return fn(x, axis=axis).astype(output_type._np, copy=False)


@defop("ArgMax", dtypes=_dt.REAL | {_dt.bool}, differentiable=False)
def _argmax(x, *, axis, output_type):
    return _arg_reduce(np.argmax, -np.inf, x, axis, output_type)


@defop("ArgMin", dtypes=_dt.REAL | {_dt.bool}, differentiable=False)
def _argmin(x, *, axis, output_type):
    return _arg_reduce(np.argmin, np.inf, x, axis, output_type)


def _arg_axis(opdef, x, axis, output_type):
    output_type = _dt.as_dtype(output_type)
    if output_type not in _INDEX_TYPES:
        raise _fail(opdef, [x], f"Value for attr 'output_type' of {tf_type_name(output_type)} "
                                f"is not in the list of allowed values: int16, uint16, int32, "
                                f"int64")
    if axis is None:
        axis = 0
    if getattr(axis, "_is_variable", False) or isinstance(axis, Tensor):
        axis = convert_to_tensor(axis)._value
    axis = int(axis)
    shape = x._value.shape
    n = len(shape)
    if not -n <= axis < n or n == 0:
        raise _fail(opdef, [x], f"Expected dimension in the range [{-n}, {n}), but got {axis}")
    axis %= n
    if shape[axis] == 0 and _count(shape, [i for i in range(n) if i != axis]):
        raise _fail(opdef, [x], f"Reduction axis {axis} is empty in shape {list(shape)}")
    return axis, output_type


def argmax(input, axis=None, output_type=_dt.int64, name=None):  # noqa: A002
    """Index of the largest value along ``axis`` (0 when None); the first one on ties."""
    x = convert_to_tensor(input)
    axis, output_type = _arg_axis(_argmax, x, axis, output_type)
    return _argmax(x, axis=axis, output_type=output_type)


def argmin(input, axis=None, output_type=_dt.int64, name=None):  # noqa: A002
    """Index of the smallest value along ``axis`` (0 when None); the first one on ties."""
    x = convert_to_tensor(input)
    axis, output_type = _arg_axis(_argmin, x, axis, output_type)
    return _argmin(x, axis=axis, output_type=output_type)
