"""searchsorted, bincount and histogram_fixed_width: counting and bucketing ops, none of which
TF gives a gradient entry (differentiating through them raises LookupError, as in TF)."""
from .._core import dtypes as _dt
from .._core.backend import xp as np
from .._core.registry import defop, tf_type_name
from .._core.tensor import Tensor, convert_to_tensor
from . import array_ops
from .indexing_ops import _fail
from .math_ops import _cast, _is_tensorlike
from .segment_ops import _dims, _err

_COUNT_TYPES = (_dt.int32, _dt.int64, _dt.float32, _dt.float64)


def _bound(side, seq, values, out_type):
    if seq.shape[0] != values.shape[0]:
        raise _err("Leading dim_size of both tensors must match.")
    out = np.empty(values.shape, out_type._np)
    for r in range(seq.shape[0]):
        out[r] = np.searchsorted(seq[r], values[r], side=side)
    nan = values != values
    if nan.any():  # a NaN compares false with everything: first slot on the left, last on the right
        out[nan] = 0 if side == "left" else seq.shape[1]
    return out


@defop("LowerBound", differentiable="lookup_error")
def _lower_bound(seq, values, *, out_type):
    return _bound("left", seq, values, out_type)


@defop("UpperBound", differentiable="lookup_error")
def _upper_bound(seq, values, *, out_type):
    return _bound("right", seq, values, out_type)


def searchsorted(sorted_sequence, values, side="left", out_type=_dt.int32, name=None):
    """Where each of ``values`` would go in the innermost dimension of ``sorted_sequence``.
    Composed as TF composes it (rows, search, reshape back), so the integer result is cut off
    from the tape the way TF's is."""
    seq = convert_to_tensor(sorted_sequence)
    vals = convert_to_tensor(values)
    for t in (seq, vals):
        if t._value.ndim == 0:
            raise _fail("StridedSlice", [t], "slice index -1 of dimension 0 out of bounds.")
    seq2 = array_ops.reshape(seq, [-1, seq._value.shape[-1]])
    vals2 = array_ops.reshape(vals, [-1, vals._value.shape[-1]])
    if side not in ("left", "right"):
        raise ValueError(f"Argument `side` must be either 'right' or 'left'. Received: `side` = "
                         f"'{side}'.")
    opdef = _lower_bound if side == "left" else _upper_bound
    out_type = _dt.as_dtype(out_type)
    if out_type not in (_dt.int32, _dt.int64):
        raise _fail(opdef.type, [seq2, vals2], f"Value for attr 'out_type' of "
                    f"{tf_type_name(out_type)} is not in the list of allowed values: int32, int64")
    return array_ops.reshape(opdef(seq2, vals2, out_type=out_type), vals._value.shape)


def _allowed(opdef_type, attr, dtype, inputs):
    if dtype not in _COUNT_TYPES:
        raise _fail(opdef_type, inputs, f"Value for attr '{attr}' of {tf_type_name(dtype)} is "
                    f"not in the list of allowed values: int32, int64, float, double")


@defop("DenseBincount", same_dtype=False, differentiable="lookup_error")
def _dense_bincount(arr, weights, *, size, binary_output):
    if arr.size and arr.min() < 0:
        raise _err("Input arr must be non-negative!")
    if weights.size and weights.shape != arr.shape:
        raise _err(f"`weights` must be the same shape as `arr` or a length-0 `Tensor`, in which "
                   f"case it acts as all weights equal to 1. Received {_dims(weights.shape)}")
    rows = arr.reshape(-1, arr.shape[-1]) if arr.ndim == 2 else arr.reshape(1, -1)
    w = weights.reshape(rows.shape) if weights.size else np.ones(rows.shape, weights.dtype)
    out = np.zeros((rows.shape[0], max(size, 0)), weights.dtype)
    r, c = np.nonzero(rows < size)  # values at or past ``size`` are left out (maxlength)
    if binary_output:
        out[r, rows[r, c]] = 1
    else:
        np.add.at(out, (r, rows[r, c]), w[r, c])
    return out if arr.ndim == 2 else out[0]


def bincount(arr, weights=None, minlength=None, maxlength=None, dtype=_dt.int32, name=None,
             axis=None, binary_output=False):
    """Counts of each value in ``arr`` (or sums of ``weights`` per value); ``axis=-1`` counts
    each row of a matrix separately."""
    arr = convert_to_tensor(arr)
    if weights is not None:
        weights = convert_to_tensor(weights)
        if binary_output:
            raise ValueError("Arguments `binary_output` and `weights` are mutually exclusive. "
                             "Please specify only one.")
    if not arr._dtype.is_integer:
        arr = _cast(arr, dtype=_dt.int32)
    axis = 0 if axis is None else axis
    if axis not in (0, -1):
        raise ValueError(f"Unsupported value for argument axis={axis}. Only 0 and -1 are "
                         f"currently supported.")
    a = arr._value
    size = int(a.max()) + 1 if a.size else 0
    if minlength is not None:
        size = max(int(convert_to_tensor(minlength)._value), size)
    if maxlength is not None:
        size = min(int(convert_to_tensor(maxlength)._value), size)
    if axis == 0:
        arr = array_ops.reshape(arr, [-1])
        if weights is not None:
            weights = array_ops.reshape(weights, [-1])
    if weights is None:
        dtype = _dt.as_dtype(dtype)
        weights = Tensor(np.zeros(0, dtype._np), dtype)
    _allowed("DenseBincount", "T", weights._dtype, [arr, weights])
    if arr._value.ndim > 2:
        raise _fail("DenseBincount", [arr, weights], "Shape must be at most rank 2 but is rank "
                    f"{arr._value.ndim}")
    return _dense_bincount(arr, weights, size=size, binary_output=bool(binary_output))


def _num(v):
    return f"{float(v):g}" if np.asarray(v).dtype.kind == "f" else str(int(v))


@defop("HistogramFixedWidth", differentiable="lookup_error")
def _histogram(values, value_range, *, nbins, dtype):
    if value_range.shape != (2,):
        raise _err("value_range should be a vector of 2 elements.")
    if nbins <= 0:
        raise _err(f"nbins should be a positive number, but got '{nbins}'")
    lo, hi = value_range
    if not lo < hi:
        raise _err(f"value_range should satisfy value_range[0] < value_range[1], but got "
                   f"'[{_num(lo)}, {_num(hi)}]'")
    if nbins == 1:  # TF counts everything, NaN included, before looking at the values
        return np.array([values.size], dtype._np)
    if values.dtype.kind == "f" and np.isnan(values).any():
        raise _err("Histogram values must not contain NaN")
    # TF's arithmetic, in double precision: the step as hi/n - lo/n (no overflow of hi - lo),
    # the value clamped into the range, its offset from lo over the step, truncated, and the
    # top edge folded into the last bin.
    step = float(hi) / nbins - float(lo) / nbins
    offset = np.clip(values, lo, hi).astype(np.float64).reshape(-1) - float(lo)
    with np.errstate(invalid="ignore", over="ignore", divide="ignore"):
        bins = np.minimum(offset / step, nbins - 1).astype(np.int64)
    return np.bincount(bins, minlength=nbins).astype(dtype._np)


def histogram_fixed_width(values, value_range, nbins=100, dtype=_dt.int32, name=None):
    """Counts of ``values`` in ``nbins`` equal bins over ``value_range``; values outside the
    range count in the first or last bin."""
    dtype = _dt.as_dtype(dtype)
    v, r = _pair_like(values, value_range)
    _allowed("HistogramFixedWidth", "T", v._dtype, [v, r])
    if dtype not in (_dt.int32, _dt.int64):
        raise _fail("HistogramFixedWidth", [v, r], f"Value for attr 'dtype' of "
                    f"{tf_type_name(dtype)} is not in the list of allowed values: int32, int64")
    return _histogram(v, r, nbins=int(convert_to_tensor(nbins)._value), dtype=dtype)


def _pair_like(a, b):
    """Two op inputs converted as TF's op wrappers do: the first Tensor among them (else the
    first value) sets the dtype of the other."""
    if _is_tensorlike(b) and not _is_tensorlike(a):
        b = convert_to_tensor(b)
        return convert_to_tensor(a, dtype=b._dtype), b
    a = convert_to_tensor(a)
    return a, convert_to_tensor(b, dtype=a._dtype)
