"""Segment reductions (sorted and unsorted) and dynamic_partition / dynamic_stitch (the counting
ops searchsorted, bincount and histogram_fixed_width: count_ops.py).

Gradients follow TF's rules: segment reductions and the partition/stitch pair send the upstream
gradient back to ``data`` (segment ids get none). Rules build their masks and counts from the ids with NumPy (ids carry no gradient)
and move gradients with tapegrad ops, so higher derivatives work.
"""
from .._core import dtypes as _dt
from .._core.backend import xp as np
from .._core.errors import InvalidArgumentError
from .._core.registry import defop, tf_type_name
from .._core.tensor import IndexedSlices, Tensor, convert_to_tensor
from . import array_ops
from .binary_ops import maximum
from .indexing_ops import _const, _fail, _gather, _indices
from .math_ops import select, sqrt, truediv

_SORTED_IDS = (_dt.int32, _dt.int64)
_UNSORTED_IDS = (_dt.int16, _dt.int32, _dt.int64)


def _err(msg):
    return InvalidArgumentError(None, None, msg)


def _dims(shape):
    return "[" + ",".join(str(d) for d in shape) + "]"


def _where(flat_pos, shape):
    """Index of flat position ``flat_pos`` in ``shape``, written as TF writes it ("2,1")."""
    return ",".join(str(int(i)) for i in np.unravel_index(flat_pos, shape)) if shape else ""


def _lowest(dtype):
    return np.finfo(dtype).min if dtype.kind == "f" else np.iinfo(dtype).min


def _highest(dtype):
    return np.finfo(dtype).max if dtype.kind == "f" else np.iinfo(dtype).max


def _dense(grad):
    return convert_to_tensor(grad) if isinstance(grad, IndexedSlices) else grad


def _zeros(t):
    return Tensor(np.zeros(t._value.shape, t._dtype._np), t._dtype)


# -- sorted segment reductions ------------------------------------------------------------------

def _check_sorted(data, ids):
    """TF's checks, in TF's order; returns (rows, run starts, run ids)."""
    if data.ndim == 0:
        raise _err("input must be at least rank 1")
    if ids.ndim != 1:
        raise _err("segment_ids should be a vector.")
    if ids.shape[0] != data.shape[0]:
        raise _err("segment_ids should be the same size as dimension 0 of input.")
    n = int(ids[-1]) + 1 if ids.size else 0
    if n < 0:
        raise _err("segment ids must be >= 0")
    starts = np.flatnonzero(np.concatenate([[True], ids[1:] != ids[:-1]])) if ids.size else \
        np.zeros(0, np.intp)
    run_ids = ids[starts]
    # TF walks the runs in order; at each one a drop to the next id is reported before this
    # id's range.
    down = np.flatnonzero(run_ids[:-1] > run_ids[1:])
    bad = np.flatnonzero((run_ids < 0) | (run_ids >= n))
    if down.size and (not bad.size or down[0] <= bad[0]):
        raise _err("segment ids are not increasing")
    if bad.size:
        raise _err(f"Segment id {int(run_ids[bad[0]])} out of range [0, {n}), possibly because "
                   f"'segment_ids' input is not sorted.")
    return n, starts, run_ids


def _sorted_reduce(ufunc, fill, data, ids):
    n, starts, run_ids = _check_sorted(data, ids)
    out = np.full((n,) + data.shape[1:], fill, data.dtype)
    if starts.size:
        out[run_ids] = ufunc.reduceat(data, starts, axis=0)
    return out


@defop("SegmentSum", dtypes=_dt.NUMERIC, same_dtype=False)
def _segment_sum(data, ids):
    return _sorted_reduce(np.add, 0, data, ids)


@defop("SegmentProd", dtypes=_dt.NUMERIC, same_dtype=False)
def _segment_prod(data, ids):
    return _sorted_reduce(np.multiply, 1, data, ids)


def _fold_nans(ufunc, out, data, flat_ids):
    """TF's max/min kernels fold ``acc = acc > x ? acc : x`` (``<`` for min) in element order,
    so the element after a NaN replaces it: a segment's result is the extreme of the elements
    after its last NaN, or NaN when a NaN comes last. NumPy's maximum propagates every NaN."""
    if data.dtype.kind != "f" or flat_ids.size == 0:
        return out
    rows = data.reshape((flat_ids.size, -1))
    nan = np.isnan(rows)
    if not nan.any():
        return out
    keep = flat_ids >= 0
    ids, rows, nan = flat_ids[keep], rows[keep], nan[keep]
    n, width = out.shape[0], rows.shape[1]
    pos = np.arange(ids.size)[:, None]
    last = np.full((n, width), -1)
    np.maximum.at(last, ids, np.where(nan, pos, -1))
    after = pos > last[ids]
    res = np.full((n, width), -np.inf if ufunc is np.maximum else np.inf, rows.dtype)
    ufunc.at(res, ids, np.where(after, rows, res[ids]))
    any_after = np.zeros((n, width), bool)
    np.logical_or.at(any_after, ids, after)
    res[~any_after] = np.nan
    flat = out.reshape((n, width)).copy()
    has_nan = last >= 0
    flat[has_nan] = res[has_nan]
    return flat.reshape(out.shape)


@defop("SegmentMax", dtypes=_dt.REAL, same_dtype=False)
def _segment_max(data, ids):
    out = _sorted_reduce(np.maximum, 0, data, ids)  # an empty segment gives 0, as TF
    return _fold_nans(np.maximum, out, data, ids)


@defop("SegmentMin", dtypes=_dt.REAL, same_dtype=False)
def _segment_min(data, ids):
    return _fold_nans(np.minimum, _sorted_reduce(np.minimum, 0, data, ids), data, ids)


@defop("SegmentMean", dtypes=_dt.NUMERIC, same_dtype=False)
def _segment_mean(data, ids):
    total = _sorted_reduce(np.add, 0, data, ids)
    count = _counts(ids, total.shape[0], None, total.ndim)
    if data.dtype.kind in "iu":  # integer mean truncates toward zero, as TF's kernel
        q = np.abs(total) // count
        return np.where(total < 0, -q, q).astype(data.dtype)
    return (total / count).astype(data.dtype)


def _per_segment(ids, n, mask):
    """Per segment, how many elements with ``mask`` set it holds (negative ids dropped)."""
    flat = ids.reshape(-1)
    keep = flat >= 0
    rows = mask.reshape((flat.size,) + mask.shape[ids.ndim:])
    c = np.zeros((n,) + rows.shape[1:])
    np.add.at(c, flat[keep], rows[keep])
    return c


def _counts(ids, n, chosen, ndim):
    """Elements per segment (or ``chosen`` ones), at least 1 so that rows of empty segments,
    which no element reads, stay finite; shaped to broadcast against an output of rank ndim."""
    if chosen is None:
        c = np.bincount(ids.reshape(-1)[ids.reshape(-1) >= 0], minlength=n).astype(np.float64)
        c = c.reshape((n,) + (1,) * (ndim - 1))
    else:
        c = _per_segment(ids, n, chosen)
    return np.maximum(c, 1)


def _spread(grad, ids):
    """Row ``ids[i]`` of ``grad`` for every element i: each element's share of its segment's
    gradient; zeros for elements with a negative id (the unsorted ops dropped them)."""
    neg = ids < 0
    if not neg.any():
        return _gather(grad, _const(ids), axis=0, batch_dims=0)
    g = _gather(grad, _const(np.where(neg, 0, ids)), axis=0, batch_dims=0)
    keep = (~neg).reshape(ids.shape + (1,) * (g._value.ndim - ids.ndim))
    return select(_const(keep), g, _zeros(g))


def _sum_grad(op, grad):
    return (_spread(_dense(grad), op.inputs[1]._value),) + (None,) * (len(op.inputs) - 1)


def _mean_grad(op, grad):
    grad = _dense(grad)
    ids = op.inputs[1]._value
    count = _counts(ids, grad._value.shape[0], None, grad._value.ndim)
    return _spread(grad / _const(count.astype(grad._dtype._np)), ids), None


def _extreme_grad(op, grad):
    """The elements equal to their segment's max (min) share its gradient equally."""
    grad = _dense(grad)
    x, out, ids = op.inputs[0]._value, op.outputs[0]._value, op.inputs[1]._value
    valid = (ids >= 0).reshape(ids.shape + (1,) * (x.ndim - ids.ndim))
    chosen = valid & (x == out[np.where(ids >= 0, ids, 0)])
    count = _counts(ids, out.shape[0], chosen, out.ndim).astype(grad._dtype._np)
    share = _spread(grad / _const(count), ids)
    return (select(_const(chosen), share, _zeros(share)),) + (None,) * (len(op.inputs) - 1)


def _prod_grad(op, grad):
    """Product of the segment's other elements, without dividing by zero: a segment with two
    zeros passes nothing back; with one zero, only that element gets the product of the rest."""
    grad = _dense(grad)
    data, ids_t = op.inputs[0], op.inputs[1]
    x, ids = data._value, ids_t._value
    n = op.outputs[0]._value.shape[0]
    zero = x == 0
    zeros_in = _per_segment(ids, n, zero)
    grad = select(_const(zeros_in > 1), _zeros(grad), grad)
    nonzero = select(_const(zero), Tensor(np.ones(x.shape, x.dtype), data._dtype), data)
    rest = op.opdef(nonzero, ids_t, **op.attrs)  # product of the non-zero elements
    partial = select(_const(zero), _spread(rest, ids), _spread(op.outputs[0], ids) / nonzero)
    return _spread(grad, ids) * partial, None


_segment_sum.def_grad(_sum_grad)
_segment_mean.def_grad(_mean_grad)
_segment_max.def_grad(_extreme_grad)
_segment_min.def_grad(_extreme_grad)
_segment_prod.def_grad(_prod_grad)


def _sorted(opdef, data, segment_ids):
    data = convert_to_tensor(data)
    return opdef(data, _indices(segment_ids, opdef.type, _SORTED_IDS))


def segment_sum(data, segment_ids, name=None):
    """Sums of the rows of ``data`` in each segment; ``segment_ids`` sorted, one per row."""
    return _sorted(_segment_sum, data, segment_ids)


def segment_mean(data, segment_ids, name=None):
    """Means per segment (an empty segment gives 0; integer means truncate)."""
    return _sorted(_segment_mean, data, segment_ids)


def segment_max(data, segment_ids, name=None):
    """Maxima per segment (an empty segment gives 0)."""
    return _sorted(_segment_max, data, segment_ids)


def segment_min(data, segment_ids, name=None):
    """Minima per segment (an empty segment gives 0)."""
    return _sorted(_segment_min, data, segment_ids)


def segment_prod(data, segment_ids, name=None):
    """Products per segment (an empty segment gives 1)."""
    return _sorted(_segment_prod, data, segment_ids)


# -- unsorted segment reductions ----------------------------------------------------------------

def _unsorted_reduce(ufunc, fill, data, ids, num_segments):
    if num_segments < 0:
        raise _err(f"Input num_segments == {num_segments} must not be negative.")
    if data.shape[:ids.ndim] != ids.shape:
        raise _err(f"data.shape = {_dims(data.shape)} does not start with segment_ids.shape = "
                   f"{_dims(ids.shape)}")
    flat = ids.reshape(-1)
    over = np.flatnonzero(flat >= num_segments)
    if over.size:
        raise _err(f"segment_ids[{_where(over[0], ids.shape)}] = {int(flat[over[0]])} is out of "
                   f"range [0, {num_segments})")
    rest = data.shape[ids.ndim:]
    out = np.full((num_segments,) + rest, fill, data.dtype)
    keep = flat >= 0  # negative ids are dropped, as TF's CPU kernels do
    ufunc.at(out, flat[keep], data.reshape((flat.size,) + rest)[keep])
    return out


@defop("UnsortedSegmentSum", dtypes=_dt.NUMERIC, same_dtype=False)
def _unsorted_sum(data, ids, *, num_segments):
    return _unsorted_reduce(np.add, 0, data, ids, num_segments)


@defop("UnsortedSegmentProd", dtypes=_dt.NUMERIC, same_dtype=False)
def _unsorted_prod(data, ids, *, num_segments):
    return _unsorted_reduce(np.multiply, 1, data, ids, num_segments)


@defop("UnsortedSegmentMax", dtypes=_dt.REAL, same_dtype=False)
def _unsorted_max(data, ids, *, num_segments):
    """An empty segment holds the dtype's lowest value, as TF."""
    out = _unsorted_reduce(np.maximum, _lowest(data.dtype), data, ids, num_segments)
    return _fold_nans(np.maximum, out, data, ids.reshape(-1))


@defop("UnsortedSegmentMin", dtypes=_dt.REAL, same_dtype=False)
def _unsorted_min(data, ids, *, num_segments):
    out = _unsorted_reduce(np.minimum, _highest(data.dtype), data, ids, num_segments)
    return _fold_nans(np.minimum, out, data, ids.reshape(-1))


_unsorted_sum.def_grad(_sum_grad)
_unsorted_max.def_grad(_extreme_grad)
_unsorted_min.def_grad(_extreme_grad)
_unsorted_prod.def_grad(_prod_grad)


def _unsorted(opdef, data, segment_ids, num_segments):
    data = convert_to_tensor(data)
    ids = _indices(segment_ids, opdef.type, _UNSORTED_IDS)
    num = convert_to_tensor(num_segments)
    if num._dtype not in (_dt.int32, _dt.int64):
        raise _fail(opdef.type, [data, ids, num], f"Value for attr 'Tnumsegments' of "
                    f"{tf_type_name(num._dtype)} is not in the list of allowed values: int32, "
                    f"int64")
    if num._value.ndim:
        raise _fail(opdef.type, [data, ids, num], f"num_segments should be a scalar, not shape "
                    f"{_dims(num._value.shape)}")
    return opdef(data, ids, num_segments=int(num._value))


def unsorted_segment_sum(data, segment_ids, num_segments, name=None):
    """Sums per segment; ``segment_ids`` (any order, shape a prefix of data's) in
    [0, num_segments), negative ids dropped."""
    return _unsorted(_unsorted_sum, data, segment_ids, num_segments)


def unsorted_segment_max(data, segment_ids, num_segments, name=None):
    """Maxima per segment (the dtype's lowest value for an empty one)."""
    return _unsorted(_unsorted_max, data, segment_ids, num_segments)


def unsorted_segment_min(data, segment_ids, num_segments, name=None):
    """Minima per segment (the dtype's highest value for an empty one)."""
    return _unsorted(_unsorted_min, data, segment_ids, num_segments)


def unsorted_segment_prod(data, segment_ids, num_segments, name=None):
    """Products per segment (1 for an empty one)."""
    return _unsorted(_unsorted_prod, data, segment_ids, num_segments)


def _sum_and_count(data, segment_ids, num_segments):
    """Segment sums, and element counts (at least 1) as TF's composite computes them."""
    data = convert_to_tensor(data)
    ids = _indices(segment_ids, "UnsortedSegmentSum", _UNSORTED_IDS)
    summed = _unsorted(_unsorted_sum, data, ids, num_segments)
    ones = Tensor(np.ones(ids._value.shape, data._dtype._np), data._dtype)
    n = _unsorted_sum(ones, ids, num_segments=summed._value.shape[0])
    n = array_ops.reshape(n, n._value.shape + (1,) * (summed._value.ndim - 1))
    return summed, maximum(n, Tensor(np.ones((), data._dtype._np), data._dtype))


def unsorted_segment_mean(data, segment_ids, num_segments, name=None):
    """Means per segment (0 for an empty one); integer data gives TF's true division."""
    summed, n = _sum_and_count(data, segment_ids, num_segments)
    return truediv(summed, n)


def unsorted_segment_sqrt_n(data, segment_ids, num_segments, name=None):
    """Sums per segment divided by the square root of the segment's size."""
    summed, n = _sum_and_count(data, segment_ids, num_segments)
    return summed / sqrt(n)


# -- dynamic_partition / dynamic_stitch ---------------------------------------------------------

@defop("DynamicPartition", same_dtype=False, n_out=-1)
def _dynamic_partition(data, partitions, *, num_partitions):
    p = partitions
    if data.shape[:p.ndim] != p.shape:
        raise _err(f"data.shape must start with partitions.shape, got data.shape = "
                   f"{_dims(data.shape)}, partitions.shape = {_dims(p.shape)}")
    flat = p.reshape(-1)
    bad = np.flatnonzero((flat < 0) | (flat >= num_partitions))
    if bad.size:
        raise _err(f"partitions[{_where(bad[0], p.shape)}] = {int(flat[bad[0]])} is not in "
                   f"[0, {num_partitions})")
    rows = data.reshape((flat.size,) + data.shape[p.ndim:])
    return tuple(rows[flat == k] for k in range(num_partitions))


@_dynamic_partition.def_grad
def _dynamic_partition_grad(op, *grads):
    """Stitch the partitions' gradients back to the positions their rows came from."""
    data, partitions = op.inputs
    flat = partitions._value.reshape(-1)
    came_from = [_const(np.flatnonzero(flat == k).astype(np.int32))
                 for k in range(op.attrs["num_partitions"])]
    stitched = _dynamic_stitch(*came_from, *[_dense(g) for g in grads], n=len(came_from))
    return array_ops.reshape(stitched, data._value.shape), None


def dynamic_partition(data, partitions, num_partitions, name=None):
    """Splits ``data`` into ``num_partitions`` tensors by the partition index of each entry."""
    data = convert_to_tensor(data)
    parts = convert_to_tensor(partitions)
    if parts._dtype is not _dt.int32:
        raise _fail("DynamicPartition", [data, parts], f"cannot compute DynamicPartition as "
                    f"input #1(zero-based) was expected to be a int32 tensor but is a "
                    f"{tf_type_name(parts._dtype)} tensor")
    num_partitions = int(num_partitions)
    if num_partitions < 1:
        raise _fail("DynamicPartition", [data, parts], f"Value for attr 'num_partitions' of "
                    f"{num_partitions} must be at least minimum 1")
    return list(_dynamic_partition(data, parts, num_partitions=num_partitions))


@defop("DynamicStitch", same_dtype=False)
def _dynamic_stitch(*args, n):
    indices, data = args[:n], args[n:]
    rest = None
    for i, (idx, d) in enumerate(zip(indices, data)):
        if d.shape[:idx.ndim] != idx.shape:
            raise _err(f"data[{i}].shape = {_dims(d.shape)} does not start with indices[{i}]"
                       f".shape = {_dims(idx.shape)}")
        if rest is None:
            rest = d.shape[idx.ndim:]
        elif d.shape[idx.ndim:] != rest:
            raise _err(f"Need data[0].shape[{indices[0].ndim}:] = data[{i}].shape[{idx.ndim}:], "
                       f"got data[0].shape = {_dims(data[0].shape)}, data[{i}].shape = "
                       f"{_dims(d.shape)}, indices[0].shape = {_dims(indices[0].shape)}, "
                       f"indices[{i}].shape = {_dims(idx.shape)}")
    size = max((int(i.max()) + 1 for i in indices if i.size), default=0)
    out = np.zeros((size,) + (rest or ()), data[0].dtype if data else np.float32)
    for idx, d in zip(indices, data):  # later inputs win where indices repeat, as TF
        flat = idx.reshape(-1)
        bad = np.flatnonzero(flat < 0)
        if bad.size:
            raise _err(f"indices[{int(bad[0])}] is out of range")
        out[flat] = d.reshape((flat.size,) + out.shape[1:])
    return out


@_dynamic_stitch.def_grad
def _dynamic_stitch_grad(op, grad):
    """Each data input gets the rows its indices point at (indices get no gradient)."""
    n = op.attrs["n"]
    grad = _dense(grad)
    return [None] * n + [_gather(grad, op.inputs[i], axis=0, batch_dims=0) for i in range(n)]


def dynamic_stitch(indices, data, name=None):
    """Interleaves ``data`` into one tensor: ``merged[indices[m][i]] = data[m][i]``."""
    indices, data = list(indices), list(data)
    if len(indices) != len(data):
        raise ValueError(f"List argument 'data' to 'dynamic_stitch' Op with length {len(data)} "
                         f"must match length {len(indices)} of argument 'indices'.")
    idx = [convert_to_tensor(i) for i in indices]
    first = next((d for d in data if isinstance(d, Tensor) or hasattr(d, "_is_variable")), None)
    ref = convert_to_tensor(first)._dtype if first is not None else None
    vals = [convert_to_tensor(d, dtype_hint=ref) for d in data]
    inputs = idx + vals
    for k, t in enumerate(inputs):
        want = _dt.int32 if k < len(idx) else vals[0]._dtype
        if t._dtype is not want:
            raise _fail("DynamicStitch", inputs, f"cannot compute DynamicStitch as input "
                        f"#{k}(zero-based) was expected to be a {tf_type_name(want)} tensor "
                        f"but is a {tf_type_name(t._dtype)} tensor")
    return _dynamic_stitch(*inputs, n=len(idx))
