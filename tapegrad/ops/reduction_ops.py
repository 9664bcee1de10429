"""Reductions with TF's ``axis``/``keepdims`` conventions, each with its gradient."""
from .._core import dtypes as _dt
from .._core.backend import xp as np
from .._core.registry import defop
from .._core.tensor import convert_to_tensor
from . import array_ops


def normalize_axis(axis, ndim):
    """TF axis argument (None, int, list, tensor) -> sorted tuple of non-negative axes."""
    if axis is None:
        return tuple(range(ndim))
    if hasattr(axis, "_value"):
        axis = axis._value
    axis = np.asarray(axis).reshape(-1).tolist()
    out = []
    for a in axis:
        a = int(a)
        if not -ndim <= a < max(ndim, 1):
            from .._core.errors import InvalidArgumentError
            raise InvalidArgumentError(None, None, f"Invalid reduction dimension {a} for input "
                                                   f"with {ndim} dimensions.")
        out.append(a % ndim if ndim else 0)
    return tuple(sorted(set(out)))


def _kept_shape(shape, axes):
    return tuple(1 if i in axes else d for i, d in enumerate(shape))


@defop("Sum", dtypes=_dt.NUMERIC)
def _sum(x, *, axis, keepdims):
    return np.sum(x, axis=axis, keepdims=keepdims, dtype=x.dtype)


@_sum.def_grad
def _sum_grad(op, grad):
    """Broadcast the upstream gradient back over the reduced axes."""
    x = op.inputs[0]
    shape = x._value.shape
    if not op.attrs["keepdims"]:
        grad = array_ops.reshape(grad, _kept_shape(shape, op.attrs["axis"]))
    return array_ops.broadcast_to(grad, shape)


def reduce_sum(input_tensor, axis=None, keepdims=False, name=None):
    """Sum of elements across ``axis`` (all axes when None)."""
    x = convert_to_tensor(input_tensor)
    return _sum(x, axis=normalize_axis(axis, x._value.ndim), keepdims=bool(keepdims))
