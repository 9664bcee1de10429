"""Sorting: sort, argsort, top_k (one TopKV2 op, as in TF) and unique.

Order is stable: ties keep the lower index first in both directions, as TF's. The gradient of
the sorted values is the upstream gradient put back where each value came from; indices get
zeros (TF's rule), and Unique has no gradient entry at all (LookupError when differentiated
through, as in TF).
"""
import collections

from .._core import dtypes as _dt
from .._core.backend import xp as np
from .._core.errors import InvalidArgumentError
from .._core.registry import defop, op_error, tf_type_name
from .._core.tensor import convert_to_tensor

TopKV2 = collections.namedtuple("TopKV2", ["values", "indices"])
Unique = collections.namedtuple("Unique", ["y", "idx"])
_INDEX_DTYPES = (_dt.int32, _dt.int64)
_TOP_K_INDEX_DTYPES = (_dt.int16, _dt.int32, _dt.int64)


@defop("TopKV2", dtypes=_dt.REAL, n_out=2)
def _top_k(x, *, k, axis, descending, index_dtype):
    n = x.shape[axis]
    if descending:
        # Stable descending order with ties lower-index first, for every dtype (negating would
        # overflow unsigned and minimum integers): sort the reversed array, then map back.
        idx = np.argsort(np.flip(x, axis), axis=axis, kind="stable")
        idx = (n - 1) - np.flip(idx, axis)
    else:
        idx = np.argsort(x, axis=axis, kind="stable")
    if k < n:
        idx = idx[..., :k]  # top_k works on the last axis
    idx = idx.astype(index_dtype._np, copy=False)
    return np.take_along_axis(x, idx, axis), idx


@_top_k.def_grad
def _top_k_grad(op, grad, _indices_grad):
    """Each value's gradient goes back to the entry it came from; other entries get 0."""
    axis = op.attrs["axis"]
    return _put_along(grad, op.outputs[1], axis=axis, n=op.inputs[0]._value.shape[axis])


@defop("PutAlongAxis", same_dtype=False)
def _put_along(g, idx, *, axis, n):
    """Zeros of length ``n`` along ``axis`` with ``g`` written at ``idx`` (distinct per row)."""
    shape = list(g.shape)
    shape[axis] = n
    out = np.zeros(shape, g.dtype)
    np.put_along_axis(out, idx, g, axis)
    return out


@_put_along.def_grad
def _put_along_grad(op, grad):
    return _take_along(grad, op.inputs[1], axis=op.attrs["axis"]), None


@defop("TakeAlongAxis", same_dtype=False)
def _take_along(x, idx, *, axis):
    return np.take_along_axis(x, idx, axis)


@_take_along.def_grad
def _take_along_grad(op, grad):
    axis = op.attrs["axis"]
    return _put_along(grad, op.inputs[1], axis=axis, n=op.inputs[0]._value.shape[axis]), None


def _direction(direction):
    if direction not in ("ASCENDING", "DESCENDING"):
        raise ValueError(f"Argument `direction` should be one of ASCENDING, DESCENDING. "
                         f"Received: direction={direction}")
    return direction == "DESCENDING"


def _sort(values, axis, direction):
    x = convert_to_tensor(values)
    descending = _direction(direction)
    n = x._value.ndim
    axis = int(getattr(axis, "_value", axis))
    if not -n <= axis < n:
        raise op_error(_top_k, [x], InvalidArgumentError(
            None, None, f"slice index {axis} of dimension 0 out of bounds (sort axis for a "
                        f"tensor of rank {n})"))
    axis %= n
    return _top_k(x, k=x._value.shape[axis], axis=axis, descending=descending,
                  index_dtype=_dt.int32)


def sort(values, axis=-1, direction="ASCENDING", name=None):
    """Sorts along ``axis``; the gradient routes back through the permutation."""
    return _sort(values, axis, direction)[0]


def argsort(values, axis=-1, direction="ASCENDING", stable=False, name=None):
    """The int32 indices that sort ``values`` along ``axis`` (always stable)."""
    return _sort(values, axis, direction)[1]


def top_k(input, k=1, sorted=True, index_type=_dt.int32, name=None):  # noqa: A002 - TF's names
    """The ``k`` largest entries along the last axis, with their indices, as (values, indices).
    The result is always sorted (TF leaves the order unspecified when ``sorted=False``)."""
    x = convert_to_tensor(input)
    k = int(getattr(k, "_value", k))
    shape = x._value.shape
    problem = None
    if not shape:
        problem = f"input must be >= 1-D, got shape {list(shape)}"
    elif k < 0:
        problem = f"Need k >= 0, got {k}"
    elif shape[-1] < k:
        problem = f"input must have at least k columns. Had {shape[-1]}, needed {k}"
    if problem:
        raise op_error(_top_k, [x], InvalidArgumentError(None, None, problem))
    index_type = _dt.as_dtype(index_type)
    if index_type not in _TOP_K_INDEX_DTYPES:
        raise op_error(_top_k, [x], InvalidArgumentError(
            None, None, f"Value for attr 'index_type' of {tf_type_name(index_type)} is not in "
                        f"the list of allowed values: int16, int32, int64"))
    return TopKV2(*_top_k(x, k=k, axis=len(shape) - 1, descending=True,
                          index_dtype=index_type))


@defop("Unique", same_dtype=False, n_out=2, differentiable="lookup_error")
def _unique(x, *, out_idx):
    if x.ndim != 1:
        raise InvalidArgumentError(None, None, "unique expects a 1D vector.")
    _, first, inverse = np.unique(x, return_index=True, return_inverse=True, equal_nan=False)
    # np.unique orders by value; TF keeps the order of first appearance.
    order = np.argsort(first, kind="stable")
    rank = np.empty_like(order)
    rank[order] = np.arange(order.size)
    return x[first[order]], rank[inverse.reshape(-1)].astype(out_idx._np, copy=False)


def unique(x, out_idx=_dt.int32, name=None):
    """The distinct entries of a 1-D tensor in order of first appearance, as (y, idx) with
    ``y[idx] == x``. Not differentiable: TF has no gradient for Unique (LookupError)."""
    t = convert_to_tensor(x)
    out_idx = _dt.as_dtype(out_idx)
    if out_idx not in _INDEX_DTYPES:
        raise op_error(_unique, [t], InvalidArgumentError(
            None, None, f"Value for attr 'out_idx' of {tf_type_name(out_idx)} is not in the "
                        f"list of allowed values: int32, int64"))
    return Unique(*_unique(t, out_idx=out_idx))
