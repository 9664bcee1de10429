"""Indexing: ``Tensor.__getitem__`` (StridedSlice), slice, strided_slice, gather, boolean_mask,
and IndexedSlices conversion (gather_nd and the scatters: scatter_ops.py).

Keys are normalised once into a tuple of ints, slices, None and Ellipsis that NumPy indexes
directly (basic indexing, no copy); TF's error texts are worked out only when NumPy refuses.
Gathers and scatters share one index construction, so each one's gradient is the other.
"""
import builtins

from .._core import dtypes as _dt
from .._core.backend import xp as np
from .._core.callsite import format_site, user_site
from .._core.errors import InvalidArgumentError
from .._core.registry import _describe, defop, tf_type_name
from .._core.tensor import (_CONVERTERS, IndexedSlices, Tensor, TensorShape, _contains_tensor,
                            constant_from_value, convert_to_tensor)
from . import array_ops
from .math_ops import _cast, _is_tensorlike, _pair, add

newaxis = None
_slice = builtins.slice  # this module's public ``slice`` is tf.slice

_INDEX_DTYPES = (_dt.int16, _dt.int32, _dt.int64)
_SCATTER_INDEX_DTYPES = _INDEX_DTYPES + (_dt.uint16,)
_BAD_KEY = ("Only integers, slices (`:`), ellipsis (`...`), tf.newaxis (`None`) and scalar "
            "tf.int32/tf.int64 tensors are valid indices, got ")


def _fail(op_type, inputs, msg, cls=InvalidArgumentError):
    """TF's exception for bad arguments, naming the op, the inputs and the user's line."""
    return cls(None, None, f"{msg} [Op:{op_type}] (inputs: {_describe(inputs)}; "
                           f"at {format_site(user_site(3))})")


def _raw(v):
    """The array behind a Tensor/Variable, or ``np.asarray`` of anything else."""
    return v._value if _is_tensorlike(v) else np.asarray(v)


def _int_list(v):
    return [int(i) for i in np.asarray(_raw(v)).reshape(-1)]


def _const(arr):
    arr = np.asarray(arr)
    return Tensor(arr, _dt.from_numpy(arr.dtype))


def _shape_tensor(shape):
    return Tensor(np.array(shape, np.int32), _dt.int32)


def _dims(shape):
    return "[" + ",".join(str(d) for d in shape) + "]"


def _indices(indices, op_type, allowed=_INDEX_DTYPES):
    c = indices.__class__
    if c is Tensor:
        t = indices
    elif c is list or c is int:  # the common literals: skip the general conversion
        arr = np.array(indices)
        if arr.dtype.kind == "i" and (c is int and -2**31 <= indices < 2**31 or arr.size == 0
                                      or (arr.min() >= -2**31 and arr.max() < 2**31)):
            arr = arr.astype(np.int32)
            arr.flags.writeable = False
            return Tensor(arr, _dt.int32)
        t = convert_to_tensor(indices)
    else:
        t = convert_to_tensor(indices)
    if t._dtype not in allowed:
        names = ", ".join(d.name for d in allowed)
        raise _fail(op_type, [t], f"Value for attr 'Tindices' of {tf_type_name(t._dtype)} is "
                                  f"not in the list of allowed values: {names}")
    return t


# -- Tensor.__getitem__ and StridedSlice --------------------------------------------------------

def _as_index(k):
    """A Python int from one index entry (int, NumPy integer, scalar int32/int64 tensor)."""
    c = k.__class__
    if c is int:
        return k
    if c is bool or c is np.bool_:
        raise InvalidArgumentError(None, None, "Value for attr 'Index' of bool is not in the "
                                               "list of allowed values: int16, int32, int64 "
                                               "[Op:StridedSlice]")
    if isinstance(k, np.integer) or (isinstance(k, np.ndarray) and k.ndim == 0
                                     and k.dtype.kind in "iu"):
        return int(k)
    if _is_tensorlike(k) and k._dtype in (_dt.int32, _dt.int64) and np.ndim(k._value) == 0:
        return int(k._value)
    raise TypeError(_BAD_KEY + repr(k))


def _part(v):
    return v if v is None or v.__class__ is int else _as_index(v)


def _parse_key(key):
    """TF's slice spec as a tuple NumPy indexes the same way (a list is read as a tuple)."""
    if key.__class__ is not tuple:
        key = tuple(key) if key.__class__ is list else (key,)
    out = []
    for k in key:
        c = k.__class__
        if c is int or k is None or k is Ellipsis:
            out.append(k)
        elif c is _slice:
            out.append(_slice(_part(k.start), _part(k.stop), _part(k.step)))
        else:
            out.append(_as_index(k))
    return tuple(out)


def _is_mask_key(key):
    if key.__class__ is bool:
        return True
    if _is_tensorlike(key):
        return key._dtype is _dt.bool
    return isinstance(key, np.ndarray) and key.dtype == np.bool_


def _slice_error(shape, key):
    """TF's message for a key NumPy refused."""
    ndim = len(shape)
    if sum(k is Ellipsis for k in key) > 1:
        return "Multiple ellipses in slice spec not allowed"
    n_dims = sum(k is not None and k is not Ellipsis for k in key)
    if ndim == 0 and n_dims:
        return "Attempting to slice scalar input."
    if n_dims > ndim:
        return f"Index out of range using input dim {ndim}; input has only {ndim} dims"
    d = 0
    for pos, k in enumerate(key):
        if k is Ellipsis:
            d = ndim - sum(j is not None and j is not Ellipsis for j in key[pos + 1:])
        elif k is None:
            continue
        elif k.__class__ is _slice:
            if k.step == 0:
                return f"strides[{pos}] must be non-zero"
            d += 1
        else:
            i = k + shape[d] if k < 0 else k
            if not 0 <= i < shape[d]:
                return f"slice index {i} of dimension {d} out of bounds."
            d += 1
    return f"invalid slice {key!r} for shape {list(shape)}"


@defop("StridedSlice", same_dtype=False)
def _strided_slice(x, *, key):
    try:
        return x[key]
    except (IndexError, ValueError, TypeError):
        raise InvalidArgumentError(None, None, _slice_error(np.shape(x), key)) from None


@_strided_slice.def_grad
def _strided_slice_grad(op, grad):
    """The upstream, scattered into zeros of the input's shape."""
    return _strided_slice_backward(grad, shape=op.inputs[0]._value.shape, key=op.attrs["key"])


@defop("StridedSliceGrad", same_dtype=False)
def _strided_slice_backward(g, *, shape, key):
    out = np.zeros(shape, g.dtype)
    out[key] = g
    return out


@_strided_slice_backward.def_grad
def _strided_slice_backward_grad(op, grad):
    return _strided_slice(grad, key=op.attrs["key"])


class _AssignableSlice(Tensor):
    """``v[key]``: a Tensor (the read, sliced) that can also write that slice: ``v[0].assign(3.)``."""

    __slots__ = ("_var", "_key")

    def assign(self, value, name=None):
        """Writes ``value`` (broadcast) into this slice of the variable; returns the variable."""
        var = self._var
        v = convert_to_tensor(value, dtype=var._dtype)
        new = np.array(var._value, copy=True)  # a new array: variables are never written in place
        try:
            new[self._key] = v._value
        except ValueError:
            raise _fail("ResourceStridedSliceAssign", [v], f"Cannot broadcast input shape "
                        f"{_dims(np.shape(v._value))} into final shape "
                        f"{_dims(np.shape(new[self._key]))}") from None
        new.flags.writeable = False
        return var._set(Tensor(new, var._dtype), True)


def _slice_of(var, out, key):
    s = _AssignableSlice.__new__(_AssignableSlice)
    s._value, s._dtype, s._id = out._value, out._dtype, out._id  # same id: the tape sees `out`
    site = getattr(out, "_site", None)
    if site is not None:
        s._site = site
    s._var, s._key = var, key
    return s


def getitem(tensor, key):
    """``tensor[key]``: ints, slices (any step), ``...``, ``tf.newaxis``, scalar int tensors; a
    bool mask selects with ``boolean_mask``; a list is read as a tuple, as in TF."""
    var = None
    if tensor.__class__ is not Tensor:
        if getattr(tensor, "_is_variable", False):
            var = tensor
        tensor = convert_to_tensor(tensor)
    kc = key.__class__
    if kc is int:
        key = (key,)
    elif kc is _slice and (key.start is None or key.start.__class__ is int) and (
            key.stop is None or key.stop.__class__ is int) and (
            key.step is None or key.step.__class__ is int):
        key = (key,)
    elif _is_mask_key(key):
        return boolean_mask(tensor, key)
    else:
        key = _parse_key(key)
    out = _strided_slice(tensor, key=key)
    return out if var is None else _slice_of(var, out, key)


def slice(input_, begin, size, name=None):  # noqa: A001 - TF's public name
    """Extracts ``size`` elements from ``begin`` on each axis (size -1: to the end)."""
    x = convert_to_tensor(input_)
    b, s = _int_list(begin), _int_list(size)
    shape = x._value.shape
    if len(b) != len(shape) or len(s) != len(shape):
        raise _fail("Slice", [x], f"Expected begin and size arguments to be 1-D tensors of size "
                                  f"{len(shape)}, but got shapes [{len(b)}] and [{len(s)}] "
                                  f"instead.")
    key = []
    for i, (bi, si, di) in enumerate(zip(b, s, shape)):
        if not 0 <= bi <= di:
            raise _fail("Slice", [x], f"Expected begin[{i}] in [0, {di}], but got {bi}")
        if si == -1:
            si = di - bi
        elif not 0 <= si <= di - bi:
            raise _fail("Slice", [x], f"Expected size[{i}] in [0, {di - bi}], but got {si}")
        key.append(_slice(bi, bi + si))
    return _strided_slice(x, key=tuple(key))


def strided_slice(input_, begin, end, strides=None, begin_mask=0, end_mask=0, ellipsis_mask=0,
                  new_axis_mask=0, shrink_axis_mask=0, var=None, name=None):
    """Python-style strided slicing spelled as begin/end/strides vectors and bit masks."""
    x = convert_to_tensor(input_)
    for v in (begin, end, strides):
        if v is not None and not convert_to_tensor(v)._dtype.is_integer:
            raise _fail("StridedSlice", [x], f"Value for attr 'Index' of "
                        f"{tf_type_name(convert_to_tensor(v)._dtype)} is not in the list of "
                        f"allowed values: int16, int32, int64")
    b, e = _int_list(begin), _int_list(end)
    s = [1] * len(b) if strides is None else _int_list(strides)
    if not len(b) == len(e) == len(s):
        raise _fail("StridedSlice", [x], f"Expected begin, end, and strides to be 1D equal size "
                    f"tensors, but got shapes [{len(b)}], [{len(e)}], and [{len(s)}] instead.")
    key = []
    for i in range(len(b)):
        bit = 1 << i
        if ellipsis_mask & bit:
            key.append(Ellipsis)
        elif new_axis_mask & bit:
            key.append(None)
        elif shrink_axis_mask & bit:
            if s[i] < 0:  # TF takes the one index only walking forwards
                raise _fail("StridedSlice", [x], "only stride 1 allowed on non-range indexing.")
            key.append(b[i])
        else:
            key.append(_slice(None if begin_mask & bit else b[i],
                              None if end_mask & bit else e[i], s[i]))
    key = tuple(key)
    out = _strided_slice(x, key=key)
    return out if var is None else _slice_of(var, out, key)


# -- gather --------------------------------------------------------------------------------------

def _gather_index(pshape, indices, axis, batch_dims):
    """Index arrays with ``params[ix] == gather(params, indices, axis, batch_dims)``: aranges
    for the dims before ``axis`` (batch dims line up with the indices' own), then the indices."""
    m = axis - batch_dims
    nd = axis + indices.ndim - batch_dims
    ix = []
    for k in range(axis):
        shp = [1] * nd
        shp[k] = pshape[k]
        ix.append(np.arange(pshape[k]).reshape(shp))
    ishape = indices.shape
    ix.append(indices.reshape(ishape[:batch_dims] + (1,) * m + ishape[batch_dims:]))
    return tuple(ix)


def _bad_index(indices, n):
    pos = np.argwhere((indices < 0) | (indices >= n))[0]
    return (f"indices[{','.join(str(int(p)) for p in pos)}] = {int(indices[tuple(pos)])} is not "
            f"in [0, {n})")


@defop("GatherV2", same_dtype=False)
def _gather(params, indices, *, axis, batch_dims):
    if not -params.ndim <= axis < params.ndim:
        need = axis + 1 if axis >= 0 else -axis
        raise InvalidArgumentError(None, None, f"Shape must be at least rank {need} but is "
                                               f"rank {params.ndim}")
    if axis < 0:  # kept as given in the attrs: TF's rule gives IndexedSlices for a literal 0
        axis += params.ndim
    if params.shape[:batch_dims] != indices.shape[:batch_dims]:
        k = next(i for i in range(batch_dims) if params.shape[i] != indices.shape[i])
        raise InvalidArgumentError(None, None, f"params.shape[{k}]: {params.shape[k]} should be "
                                               f"equal to indices.shape[{k}]: {indices.shape[k]}")
    try:
        if batch_dims == 0 and indices.dtype == np.int32:
            # negatives read as unsigned are out of range too: NumPy's own check covers both
            return params.take(indices.view(np.uint32), axis=axis)
        if indices.size and indices.min() < 0:
            raise IndexError
        if batch_dims == 0:
            return params.take(indices, axis=axis)
        return params[_gather_index(params.shape, indices, axis, batch_dims)]
    except IndexError:
        raise InvalidArgumentError(None, None, _bad_index(indices, params.shape[axis])) from None


@_gather.def_grad
def _gather_grad(op, grad):
    """Axis 0 without batch dims: IndexedSlices (one row per index, duplicates kept), as TF.
    Otherwise the upstream scattered (summed) into zeros of the params' shape."""
    params, indices = op.inputs
    axis, b = op.attrs["axis"], op.attrs["batch_dims"]
    pshape = params._value.shape
    if axis == 0 and b == 0:  # a literal 0: axis=-rank gives a dense gradient, as in TF
        values = array_ops.reshape(grad, (indices._value.size,) + pshape[1:])  # no -1 (empty)
        return IndexedSlices(values, Tensor(indices._value.reshape(-1), indices._dtype),
                             _shape_tensor(pshape)), None
    ix = _gather_index(pshape, indices._value, axis % len(pshape), b)
    full = np.stack(np.broadcast_arrays(*ix), axis=-1)
    if full.ndim == 1:  # a scalar index (no batch dims): ScatterNd needs one update row
        full, grad = full[None], array_ops.reshape(grad, (1,) + tuple(grad.shape))
    return _scatter_nd(_const(full), grad, shape=pshape), None


def gather(params, indices, validate_indices=None, axis=None, batch_dims=0, name=None):
    """Slices of ``params`` along ``axis`` at ``indices`` (after ``batch_dims`` shared dims)."""
    params = convert_to_tensor(params)
    indices = _indices(indices, "GatherV2")
    b = int(batch_dims)
    ind_nd = np.ndim(indices._value)
    axis = b if axis is None else int(_raw(axis))  # TF: a negative batch_dims counts from the end
    if b < 0:                                      # of params as the default axis
        b += ind_nd
    nd = params._value.ndim
    in_range = -nd <= axis < nd  # else the op reports the rank it needs, as TF
    if b < 0 or (b > ind_nd and in_range):
        raise _fail("GatherV2", [params, indices], f"Expected batch_dims in the range "
                    f"[{-ind_nd}, {ind_nd}], but got {batch_dims}")
    if in_range and b > axis % nd:
        raise _fail("GatherV2", [params, indices], f"batch_dims ({b}) must be less than or "
                    f"equal to axis ({axis}).")
    return _gather(params, indices, axis=axis, batch_dims=b)


# -- boolean_mask --------------------------------------------------------------------------------

def boolean_mask(tensor, mask, axis=None, name="boolean_mask"):
    """The entries of ``tensor`` where ``mask`` is true, mask dims flattened into one (from
    ``axis``); composed as TF composes it (reshape, then gather at the true positions)."""
    tensor = convert_to_tensor(tensor)
    m = np.asarray(_raw(mask))
    if m.ndim == 0:
        raise ValueError("mask cannot be scalar.")
    axis = 0 if axis is None else int(_raw(axis))
    shape = tensor._value.shape
    seg = shape[axis:axis + m.ndim]
    if seg != m.shape:
        raise ValueError(f"Shapes {TensorShape(seg)} and {TensorShape(m.shape)} are "
                         f"incompatible")
    n = int(np.prod(seg, dtype=np.int64))
    flat = array_ops.reshape(tensor, shape[:axis] + (n,) + shape[axis + m.ndim:])
    return _gather(flat, _const(np.flatnonzero(m)), axis=axis, batch_dims=0)


# -- IndexedSlices conversions (registered with the engine's convert_to_tensor) ------------------

def _densify(value, dtype=None):
    """IndexedSlices -> dense: values summed into zeros by index (duplicates add up)."""
    if value.dense_shape is None:
        raise ValueError(f"Tensor conversion requested for IndexedSlices for argument `value` "
                         f"without dense_shape: {value!r}")
    values = convert_to_tensor(value.values)
    if dtype is not None and dtype is not values._dtype:
        raise ValueError(f"Incompatible tensor conversion requested to `dtype` {dtype.name} for "
                         f"IndexedSlices ({value!r}) with dtype {values._dtype.name}")
    idx = _raw(value.indices).reshape(-1, 1)
    return _scatter_nd(_const(idx), values, shape=tuple(_int_list(value.dense_shape)))


def _add_slices(a, b):
    """``IndexedSlices + tensor`` densifies; anything else is left to Python (TypeError, as TF)."""
    if not _is_tensorlike(b):
        return NotImplemented
    return add(*_pair(_densify(a), b))


def _pack(value, dtype=None):
    """``convert_to_tensor([t1, t2, 3.0])``: stack the elements, differentiably (TF's autopacking:
    plain numbers take the first tensor's dtype; an explicit dtype casts the tensors)."""
    explicit = dtype is not None
    if dtype is None:
        dtype = _first_dtype(value)
    return _pack_nested(value, dtype, explicit)


def _first_dtype(value):
    for v in value:
        if isinstance(v, (list, tuple)):
            d = _first_dtype(v)
            if d is not None:
                return d
        elif _is_tensorlike(v):
            return v._dtype
    return None


def _pack_nested(value, dtype, explicit):
    if isinstance(value, (list, tuple)):
        if not _contains_tensor(value):
            return constant_from_value(value, dtype)
        return _stack([_pack_nested(v, dtype, explicit) for v in value])
    if _is_tensorlike(value):
        t = convert_to_tensor(value)
        return _cast(t, dtype=dtype) if explicit and t._dtype is not dtype else t
    return convert_to_tensor(value, dtype=dtype)


def _stack(parts):
    stack = getattr(array_ops, "stack", None)
    if stack is not None:
        return stack(parts)
    shape = parts[0]._value.shape
    for i, p in enumerate(parts[1:], 1):
        if p._value.shape != shape:
            raise _fail("Pack", parts, f"Shapes of all inputs must match: values[0].shape = "
                        f"{_dims(shape)} != values[{i}].shape = {_dims(p._value.shape)}")
    return array_ops.concat([array_ops.reshape(p, (1,) + shape) for p in parts], axis=0)


_CONVERTERS[IndexedSlices] = _densify
_CONVERTERS["IndexedSlices.add"] = _add_slices
_CONVERTERS["pack"] = _pack


# Last: scatter_ops builds on this module's helpers, and gather's gradient is its scatter.
from .scatter_ops import _scatter_nd  # noqa: E402
