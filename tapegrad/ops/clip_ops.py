"""Clipping: clip_by_value (one op), clip_by_norm, clip_by_global_norm and global_norm.

The norm clippers compose ops exactly as TF does (so their gradients match TF's, zero vectors
and ties included); IndexedSlices are clipped through their values and stay IndexedSlices.
Optimizers clip gradients outside any tape: there the same arithmetic runs directly on arrays
(``_direct``), without the per-op overhead of a dozen ops.
"""
import collections.abc

from .._core import dtypes as _dt
from .._core.backend import xp as np
from .._core.context import state
from .._core.errors import InvalidArgumentError
from .._core.registry import CHECK_NUMERICS, defop, tf_type_name
from .._core.tensor import IndexedSlices, Tensor, TensorShape, convert_to_tensor
from .binary_ops import maximum, minimum
from .math_ops import _cast, cast, select, sqrt
from .nn_ops import _l2_loss
from .reduction_ops import _sum, normalize_axis


def _values(t):
    return convert_to_tensor(t.values if isinstance(t, IndexedSlices) else t)


def _direct(tensors, clip=None):
    """Whether nothing can record (no tape, no check_numerics), every input is a float tensor of
    one dtype and ``clip`` a number or a tensor of that dtype: then arrays give the same result."""
    if state.tapes or CHECK_NUMERICS[0] or not tensors:
        return False
    dt = tensors[0]._dtype
    if not dt.is_floating or any(t._dtype is not dt for t in tensors):
        return False
    return clip is None or np.isscalar(clip) or (type(clip) is Tensor and clip._dtype is dt)


def _rewrap(t, values):
    if isinstance(t, IndexedSlices):
        return IndexedSlices(values, t.indices, t.dense_shape)
    return values


@defop("ClipByValue", dtypes=_dt.REAL)
def _clip_by_value(x, lo, hi):
    return np.maximum(np.minimum(x, hi), lo)


@_clip_by_value.def_grad
def _clip_by_value_grad(op, grad):
    """The gradients of TF's maximum(minimum(x, hi), lo), ties going to x: x gets the upstream
    inside [lo, hi] bounds included, each bound where it was the value taken."""
    grad = convert_to_tensor(grad)  # a sparse upstream (gather of the clipped tensor) as dense
    x, lo, hi = (t._value for t in op.inputs)
    under_hi = x <= hi
    over_lo = np.minimum(x, hi) >= lo
    zero = Tensor(np.zeros((), grad._dtype._np), grad._dtype)
    return (select(_mask(under_hi & over_lo), grad, zero),
            select(_mask(~over_lo), grad, zero) if op.needs(1) else None,
            select(_mask(~under_hi & over_lo), grad, zero) if op.needs(2) else None)


def _mask(arr):
    return Tensor(np.asarray(arr), _dt.bool)


def clip_by_value(t, clip_value_min, clip_value_max, name=None):
    """Clips values to [clip_value_min, clip_value_max]; the gradient is 1 inside and at the
    bounds, 0 outside."""
    values = _values(t)
    lo = _bound(clip_value_min, values)
    hi = _bound(clip_value_max, values)
    shape = values._value.shape
    if lo._value.shape != shape or hi._value.shape != shape:
        try:
            full = np.broadcast_shapes(shape, lo._value.shape, hi._value.shape)
        except ValueError:
            full = None
        if full != shape:
            other = hi._value.shape if full is None else full
            raise ValueError(f"Shapes {TensorShape(shape)} and {TensorShape(other)} are "
                             f"incompatible")
    return _rewrap(t, _clip_by_value(values, lo, hi))


def _bound(v, values):
    if isinstance(v, Tensor) or getattr(v, "_is_variable", False):
        return convert_to_tensor(v)
    return convert_to_tensor(v, dtype=values._dtype)


def clip_by_norm(t, clip_norm, axes=None, name=None):
    """Rescales ``t`` so that its L2 norm over ``axes`` is at most ``clip_norm`` (a negative
    clip_norm counts as 0)."""
    values = _values(t)
    if np.isscalar(clip_norm):
        clip_norm = max(clip_norm, 0)
        if _direct([values]):
            return _rewrap(t, _clip_by_norm_direct(values, clip_norm, axes))
    else:
        clip_norm = maximum(convert_to_tensor(clip_norm), 0)
        if clip_norm._dtype is not values._dtype:
            clip_norm = cast(clip_norm, values._dtype)
    l2sum = _sum(values * values, axis=normalize_axis(axes, values._value.ndim), keepdims=True)
    positive = Tensor(l2sum._value > 0, _dt.bool)
    # sqrt only where the sum is positive, so a zero vector's gradient stays finite
    ones = Tensor(np.ones((), l2sum._dtype._np), l2sum._dtype)
    l2norm = select(positive, sqrt(select(positive, l2sum, ones)), l2sum)
    intermediate = values * clip_norm
    if intermediate._value.shape != values._value.shape:
        raise ValueError(f"Shapes {values.shape} and {intermediate.shape} are incompatible")
    return _rewrap(t, intermediate / maximum(l2norm, clip_norm))


def _clip_by_norm_direct(values, clip_norm, axes):
    v = values._value
    c = np.asarray(clip_norm, v.dtype)
    l2sum = np.sum(v * v, axis=normalize_axis(axes, v.ndim), keepdims=True, dtype=v.dtype)
    positive = l2sum > 0
    l2norm = np.where(positive, np.sqrt(np.where(positive, l2sum, np.ones((), v.dtype))), l2sum)
    return Tensor(v * c / np.maximum(l2norm, c), values._dtype)


def _check_list(t_list):
    if not isinstance(t_list, collections.abc.Sequence) or isinstance(t_list, str):
        raise TypeError(f"`t_list` should be a sequence of tensors. Received {type(t_list)}.")
    return list(t_list)


def global_norm(t_list, name=None):
    """sqrt(sum of squares of every element of every tensor); None entries are skipped and
    IndexedSlices count through their values."""
    t_list = _check_list(t_list)
    values = [_values(t) for t in t_list if t is not None]
    if _direct(values):
        total = _l2_loss.forward(values[0]._value)
        for v in values[1:]:
            total = total + _l2_loss.forward(v._value)
        return Tensor(np.sqrt(total * total.dtype.type(2)), values[0]._dtype)
    halves = [_l2_loss(v) for v in values]
    if not halves:
        return Tensor(np.zeros((), np.float32), _dt.float32)
    total = halves[0]
    for i, h in enumerate(halves[1:], 1):
        if h._dtype is not total._dtype:
            raise InvalidArgumentError(
                None, None, f"cannot compute Pack as input #{i}(zero-based) was expected to be "
                            f"a {tf_type_name(total._dtype)} tensor but is a "
                            f"{tf_type_name(h._dtype)} tensor [Op:Pack]")
        total = total + h
    return sqrt(total * 2.0)


def clip_by_global_norm(t_list, clip_norm, use_norm=None, name=None):
    """Scales every tensor by clip_norm / max(global_norm, clip_norm). Returns
    (list_clipped, global_norm); None entries pass through; a non-finite global norm makes every
    output NaN, as in TF."""
    t_list = _check_list(t_list)
    use_norm = global_norm(t_list) if use_norm is None else convert_to_tensor(use_norm)
    values = [None if t is None else _values(t) for t in t_list]
    present = [v for v in values if v is not None]
    if _direct([use_norm] + present, clip_norm):
        n = use_norm._value
        c = np.asarray(getattr(clip_norm, "_value", clip_norm), n.dtype)
        one = n.dtype.type(1)
        scale = c * np.minimum(one / n, one / c) + (n - n)
        return [None if t is None else _rewrap(t, Tensor(v._value * scale, v._dtype))
                for t, v in zip(t_list, values)], use_norm
    one = Tensor(np.ones((), use_norm._dtype._np), use_norm._dtype)
    scale = clip_norm * minimum(one / use_norm, one / clip_norm)
    scale = scale + (use_norm - use_norm)  # NaN when the norm is inf or NaN
    clipped = []
    for t, v in zip(t_list, values):
        if t is None:
            clipped.append(None)
            continue
        s = scale if scale._dtype is v._dtype else _cast(scale, dtype=v._dtype)
        clipped.append(_rewrap(t, v * s))
    return clipped, use_norm
