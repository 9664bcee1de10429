"""Shape ops (reshape, transpose, stack, split ...), one_hot and where, each with its gradient
(tile, pad, reverse and roll: tile_ops.py). Also autopacking (``convert_to_tensor([t, 1.0])``) and ``Tensor.__iter__``.

Attribute-like arguments (perm, axis, multiples, paddings) become op attributes; they are
checked here so a bad one raises TF's exception type before any array work.
"""
from .._core import dtypes as _dt
from .._core.backend import xp as np
from .._core.errors import InvalidArgumentError
from .._core.registry import defop, op_error, tf_type_name
from .._core.tensor import _CONVERTERS, _contains_tensor, Tensor, constant_from_value, \
    convert_to_tensor
from . import math_ops


def _as_shape(shape):
    if isinstance(shape, Tensor):
        shape = shape._value
    return tuple(int(d) for d in np.asarray(shape).reshape(-1))


@defop("Reshape", same_dtype=False)
def _reshape(x, *, shape):
    known = int(np.prod([d for d in shape if d != -1]))
    if -1 in shape and known == 0 and np.size(x) == 0:
        # TF infers -1 from the non-zero sizes on both sides ([3, 0] -> [-1, 0] is [3, 0]);
        # NumPy refuses to guess.
        have = int(np.prod([d for d in np.shape(x) if d]))
        want = int(np.prod([d for d in shape if d not in (-1, 0)]))
        shape = tuple(have // want if d == -1 else d for d in shape)
    try:
        return np.reshape(x, shape)
    except ValueError:
        what = f"requires a multiple of {known}" if -1 in shape else f"has {known}"
        raise InvalidArgumentError(
            None, None, f"Input to reshape is a tensor with {np.size(x)} values, but the "
                        f"requested shape {what}") from None


@_reshape.def_grad
def _reshape_grad(op, grad):
    return _reshape(grad, shape=op.inputs[0]._value.shape)


@_reshape.def_fast_grad
def _reshape_grad_np(op, g):
    return np.reshape(g, op.inputs[0]._value.shape)


def reshape(tensor, shape, name=None):
    """Reshapes a tensor (one dimension may be -1)."""
    return _reshape(tensor, shape=_as_shape(shape))


@defop("BroadcastTo", same_dtype=False)
def _broadcast_to(x, *, shape):
    return np.broadcast_to(x, shape)


@_broadcast_to.def_grad
def _broadcast_to_grad(op, grad):
    return grad  # the engine sums it back to the input's shape


_broadcast_to.def_fast_grad(_broadcast_to_grad)  # the same rule serves arrays


def broadcast_to(input, shape, name=None):
    """Broadcasts a tensor to ``shape``."""
    x = convert_to_tensor(input)
    shape = _as_shape(shape)
    if x._value.shape == shape:
        return x
    return _broadcast_to(x, shape=shape)


@defop("ConcatV2")
def _concat(*values, axis):
    return np.concatenate(values, axis=axis)


@_concat.def_grad
def _concat_grad(op, grad):
    axis = op.attrs["axis"]
    sizes = [t._value.shape[axis] for t in op.inputs]
    return split(grad, sizes, axis=axis)


def concat(values, axis, name=None):
    """Concatenates tensors along ``axis``."""
    values = [convert_to_tensor(v) for v in values]
    if len(values) == 1:
        return identity(values[0])
    ndim = values[0]._value.ndim
    axis = int(axis._value if isinstance(axis, Tensor) else axis)
    if not -ndim <= axis < ndim:
        raise InvalidArgumentError(None, None, f"ConcatOp : Expected concatenating dimensions in "
                                               f"the range [{-ndim}, {ndim}), but got {axis}")
    return _concat(*values, axis=axis % ndim)


@defop("SplitV", same_dtype=False, n_out=-1)
def _split(x, *, sizes, axis):
    return tuple(np.split(x, np.cumsum(sizes)[:-1], axis=axis))


@_split.def_grad
def _split_grad(op, *grads):
    return _concat(*grads, axis=op.attrs["axis"])


def split(value, num_or_size_splits, axis=0, num=None, name=None):
    """Splits a tensor into equal parts (an int) or parts of the given sizes (a list)."""
    x = convert_to_tensor(value)
    ndim = x._value.ndim
    if not -ndim <= int(axis) < ndim:
        raise InvalidArgumentError(None, None, f"-input rank(-{ndim}) <= split_dim < input rank "
                                               f"({ndim}), but got {int(axis)}")
    axis = int(axis) % ndim
    dim = x._value.shape[axis]
    if isinstance(num_or_size_splits, (int, np.integer)):
        n = int(num_or_size_splits)
        if n <= 0 or dim % n:
            raise InvalidArgumentError(None, None, f"Number of ways to split should evenly divide "
                                                   f"the split dimension, but got split_dim {axis} "
                                                   f"(size = {dim}) and num_split {n}")
        sizes = [dim // n] * n
    else:
        sizes = [int(s) for s in np.asarray(getattr(num_or_size_splits, "_value", num_or_size_splits))]
        if not sizes:  # an empty Python list converts as float in TF
            raise InvalidArgumentError(None, None, (
                "Value for attr 'num_split' of 0 must be at least minimum 1"
                if _tensorlike(num_or_size_splits) else
                "Value for attr 'Tlen' of float is not in the list of allowed values: int8, "
                "int32, int64"))
        if len(sizes) == 1 and sizes[0] != dim:  # TF infers no -1 for a single output
            raise InvalidArgumentError(None, None, f"If there is only one output, it must have "
                                                   f"the same size as the input. Input size: "
                                                   f"{dim} output size: {sizes[0]}")
        if -1 in sizes:
            sizes[sizes.index(-1)] = dim - (sum(sizes) + 1)
        if sum(sizes) != dim:
            raise InvalidArgumentError(None, None, f"Determined shape must either match input "
                                                   f"shape along split_dim exactly if fully "
                                                   f"specified, or be less than the size of the "
                                                   f"input along split_dim if not fully "
                                                   f"specified.  Got: {sum(sizes)}")
    return list(_split(x, sizes=tuple(sizes), axis=axis))


@defop("Identity", same_dtype=False)
def _identity(x):
    return x


@_identity.def_grad
def _identity_grad(op, grad):
    return grad


_identity.def_fast_grad(_identity_grad)


def identity(input, name=None):
    """Returns a tensor with the same value (a new node on the tape)."""
    return _identity(convert_to_tensor(input))


# -- argument helpers ---------------------------------------------------------------------------

def _fail(opdef, inputs, msg):
    """TF's InvalidArgumentError for a bad argument, naming the op, inputs and the user's line."""
    return op_error(opdef, inputs, InvalidArgumentError(None, None, msg))


def _ints(value, attr, opdef, inputs):
    """An integer argument (Python, NumPy or integer Tensor) as a flat tuple of ints; any other
    dtype raises TF's attr error (``Value for attr 'Tmultiples' of float ...``)."""
    cls = value.__class__
    if cls is int:
        return (value,)
    if (cls is list or cls is tuple) and all(v.__class__ is int for v in value):
        return tuple(value)
    t = convert_to_tensor(value)
    if not t._dtype.is_integer:
        if t._value.size == 0 and not isinstance(value, Tensor):
            return ()  # an empty Python list
        raise _fail(opdef, inputs, f"Value for attr '{attr}' of {tf_type_name(t._dtype)} is "
                                   f"not in the list of allowed values: int32, int64")
    return tuple(t._value.reshape(-1).tolist())


def _tensorlike(v):
    return v.__class__ is Tensor or isinstance(v, Tensor) or getattr(v, "_is_variable", False)


def _convert_matching(values):
    """Convert values to one dtype as TF's eager op calls do: the first Tensor or Variable sets
    it (else the first value's own dtype); Python/NumPy values are converted to it."""
    ref = None
    for v in values:
        if _tensorlike(v):
            ref = v.dtype
            break
    out = []
    for v in values:
        if v.__class__ is not Tensor:
            v = convert_to_tensor(v) if _tensorlike(v) else convert_to_tensor(v, dtype=ref)
        if ref is None:
            ref = v._dtype
        out.append(v)
    return out


# -- transpose, expand_dims, squeeze ------------------------------------------------------------

@defop("Transpose", same_dtype=False)
def _transpose(x, *, perm):
    return np.transpose(x, perm)


@_transpose.def_grad
def _transpose_grad(op, grad):
    perm = op.attrs["perm"]
    inverse = [0] * len(perm)
    for i, p in enumerate(perm):
        inverse[p] = i
    return _transpose(grad, perm=tuple(inverse))


def transpose(a, perm=None, conjugate=False, name="transpose"):
    """Permutes dimensions (reversed by default); ``conjugate`` also conjugates complex values."""
    x = convert_to_tensor(a)
    n = x._value.ndim
    if perm is None:
        perm = tuple(range(n - 1, -1, -1))
    else:
        perm = _ints(perm, "Tperm", _transpose, [x])
        if len(perm) != n:
            raise _fail(_transpose, [x], f"transpose expects a vector of size {n}. But "
                                         f"input(1) is a vector of size {len(perm)}")
        for p in perm:
            if not -n <= p < n:
                raise _fail(_transpose, [x], f"{p} is out of range [0 .. {n})")
        perm = tuple(p % n for p in perm)
        if len(set(perm)) != n:
            missing = min(set(range(n)) - set(perm))
            raise _fail(_transpose, [x], f"{missing} is missing from "
                                         f"{{{','.join(map(str, perm))}}}.")
    if conjugate and x._dtype.is_complex:
        x = math_ops.conj(x)
    return _transpose(x, perm=perm)


@defop("ExpandDims", same_dtype=False)
def _expand_dims(x, *, axis):
    s = x.shape
    return x.reshape(s[:axis] + (1,) + s[axis:])


@defop("Squeeze", same_dtype=False)
def _squeeze(x, *, axis):
    return x.reshape(tuple(d for i, d in enumerate(x.shape) if i not in axis))


def _back_to_input_shape(op, grad):
    return _reshape(grad, shape=op.inputs[0]._value.shape)


_expand_dims.def_grad(_back_to_input_shape)
_squeeze.def_grad(_back_to_input_shape)


def expand_dims(input, axis, name=None):
    """Inserts a dimension of size 1 at ``axis``."""
    x = convert_to_tensor(input)
    if axis is None:
        raise ValueError("Attempt to convert a value (None) with an unsupported type "
                         "(<class 'NoneType'>) to a Tensor.")
    a = _ints(axis, "Tdim", _expand_dims, [x])
    if len(a) != 1:
        raise _fail(_expand_dims, [x], "'dim' must be a tensor with a single value")
    a, n = a[0], x._value.ndim
    if not -n - 1 <= a <= n:
        raise _fail(_expand_dims, [x], f"Tried to expand dim index {a} for tensor with {n} "
                                       f"dimensions.")
    return _expand_dims(x, axis=a % (n + 1))


def squeeze(input, axis=None, name=None):
    """Removes dimensions of size 1 (all of them, or those listed in ``axis``)."""
    x = convert_to_tensor(input)
    shape = x._value.shape
    n = len(shape)
    if axis is None:
        axes = tuple(i for i, d in enumerate(shape) if d == 1)
    else:
        axes = []
        for a in _ints(axis, "squeeze_dims", _squeeze, [x]):
            if not -n <= a < n:
                raise _fail(_squeeze, [x], f"Tried to squeeze dim index {a} for tensor with "
                                           f"{n} dimensions.")
            a %= n
            if shape[a] != 1:
                raise _fail(_squeeze, [x], f"Can not squeeze dim[{a}], expected a dimension "
                                           f"of 1, got {shape[a]}")
            axes.append(a)
        axes = tuple(sorted(set(axes)))
    return _squeeze(x, axis=axes)


# -- stack, unstack, autopacking, iteration ---------------------------------------------------

@defop("Pack")
def _pack(*values, axis):
    s = values[0].shape
    for i, v in enumerate(values):
        if v.shape != s:
            raise InvalidArgumentError(None, None, f"Shapes of all inputs must match: values[0]."
                                                   f"shape = {list(s)} != values[{i}].shape = "
                                                   f"{list(v.shape)}")
    return np.stack(values, axis=axis)


@_pack.def_grad
def _pack_grad(op, grad):
    return _unpack(grad, num=len(op.inputs), axis=op.attrs["axis"])


@defop("Unpack", same_dtype=False, n_out=-1)
def _unpack(x, *, num, axis):
    return tuple(x) if axis == 0 else tuple(np.moveaxis(x, axis, 0))


@_unpack.def_grad
def _unpack_grad(op, *grads):
    return _pack(*grads, axis=op.attrs["axis"])


def _axis_in(axis, rank):
    """An axis for stack/unstack: TF checks these in Python, with ValueError."""
    a = int(axis)
    if not -rank <= a < rank:
        raise ValueError(f"Argument `axis` = {a} not in range [{-rank}, {rank})")
    return a % rank


def stack(values, axis=0, name="stack"):
    """Stacks a list of rank-R tensors into one rank-(R+1) tensor along ``axis``."""
    if _tensorlike(values):
        values = unstack(values)
    elif values.__class__ is not list and values.__class__ is not tuple:
        values = list(values)
    axis = int(axis)
    if axis == 0 and not _contains_tensor(values):
        try:
            return convert_to_tensor(values)  # a constant list: TF converts it directly
        except (TypeError, ValueError):
            pass
    values = _convert_matching(values)
    if not values:
        raise ValueError("Argument `values` must be a non-empty list of tensors to stack.")
    return _pack(*values, axis=_axis_in(axis, values[0]._value.ndim + 1))


def unstack(value, num=None, axis=0, name="unstack"):
    """Splits a tensor into a list of tensors along ``axis`` (one output per slice)."""
    x = convert_to_tensor(value)
    shape = x._value.shape
    axis = _axis_in(axis, len(shape))
    n = shape[axis]
    if num is not None and int(num) != n:
        raise _fail(_unpack, [x], f"Input shape axis {axis} must equal {int(num)}, got shape "
                                  f"{list(shape)}")
    return list(_unpack(x, num=n, axis=axis))


def _tensor_iter(self):
    """Iterating a tensor yields its rows: one Unpack op, so gradients flow to each row."""
    shape = self._value.shape
    if not shape:
        raise TypeError("Cannot iterate over a scalar tensor.")
    return iter(_unpack(self, num=shape[0], axis=0))


def _first_dtype(value):
    for v in value:
        if isinstance(v, (list, tuple)):
            d = _first_dtype(v)
            if d is not None:
                return d
        elif _tensorlike(v):
            return v.dtype
    return None


def _pack_nested(value, dtype):
    parts = [_pack_nested(v, dtype) if isinstance(v, (list, tuple)) and _contains_tensor(v)
             else (convert_to_tensor(v) if _tensorlike(v) else convert_to_tensor(v, dtype=dtype))
             for v in value]
    return _pack(*parts, axis=0)


def _autopack(value, dtype=None):
    """``convert_to_tensor`` of a (nested) list holding tensors: a Pack op, so it stays
    differentiable. The first tensor's dtype wins; other elements are converted to it."""
    inferred = _first_dtype(value)
    if dtype is not None and dtype is not inferred:
        # TF gives up on packing here and converts the values as constants.
        return constant_from_value(np.array(value, dtype=dtype._np), dtype)
    return _pack_nested(value, inferred)


_CONVERTERS["pack"] = _autopack
Tensor.__iter__ = _tensor_iter


# -- one_hot, where -----------------------------------------------------------------------------

_INDEX_TYPES = frozenset({_dt.uint8, _dt.int8, _dt.int32, _dt.int64})


@defop("OneHot", same_dtype=False, differentiable=False)
def _one_hot(indices, on, off, *, depth, axis):
    out = np.where(indices[..., None] == np.arange(depth), on, off)
    return out if axis == -1 else np.moveaxis(out, -1, axis)


def one_hot(indices, depth, on_value=None, off_value=None, axis=None, dtype=None, name=None):
    """One-hot encoding: ``on_value`` where the last axis equals the index, else ``off_value``.
    Not differentiable, even with respect to ``on_value``/``off_value`` (as in TF)."""
    idx = convert_to_tensor(indices)
    if idx._dtype not in _INDEX_TYPES:
        raise _fail(_one_hot, [idx], f"Value for attr 'TI' of {tf_type_name(idx._dtype)} is not "
                                     f"in the list of allowed values: uint8, int8, int32, int64")
    dtype = None if dtype is None else _dt.as_dtype(dtype)
    on = None if on_value is None else convert_to_tensor(on_value, dtype_hint=dtype)
    off = None if off_value is None else convert_to_tensor(off_value, dtype_hint=dtype)
    if on is not None or off is not None:
        for t, what in ((on, "on_value"), (off, "off_value")):
            if t is not None and dtype is not None and t._dtype is not dtype:
                raise TypeError(f"dtype <dtype: '{t._dtype.name}'> of {what} does not match "
                                f"dtype parameter <dtype: '{dtype.name}'>")
        if on is not None and off is not None and on._dtype is not off._dtype:
            raise TypeError(f"dtype <dtype: '{on._dtype.name}'> of on_value does not match "
                            f"dtype <dtype: '{off._dtype.name}'> of off_value")
        dtype = on._dtype if on is not None else off._dtype
    elif dtype is None:
        dtype = _dt.float32
    on = convert_to_tensor(1, dtype=dtype) if on is None else on
    off = convert_to_tensor(0, dtype=dtype) if off is None else off
    depth = int(getattr(depth, "_value", depth))
    rank = idx._value.ndim + 1
    axis = -1 if axis is None else int(axis)
    if depth < 0:
        raise _fail(_one_hot, [idx], f"depth must be non-negative, got: {depth}")
    if axis != -1 and not 0 <= axis < rank:
        raise _fail(_one_hot, [idx], f"Expected axis to be -1 or between [0, {rank}).  But "
                                     f"received: {axis}")
    return _one_hot(idx, on, off, depth=depth, axis=axis)


@defop("Where", same_dtype=False, differentiable=False)
def _where_indices(condition):
    if condition.ndim == 0:
        raise InvalidArgumentError(None, None, "WhereOp : Unhandled input dimensions: 0")
    return np.argwhere(condition).astype(np.int64, copy=False)


def where(condition, x=None, y=None, name=None):
    """With x and y: x where condition holds, else y (all three broadcast). Alone: the int64
    coordinates of the true (non-zero) entries, one row each."""
    if x is None and y is None:
        return _where_indices(convert_to_tensor(condition))
    if x is None or y is None:
        raise ValueError("x and y must both be non-None or both be None.")
    c = condition
    if c.__class__ is not Tensor:
        c = convert_to_tensor(c) if _tensorlike(c) else convert_to_tensor(c, dtype=_dt.bool)
    if x.__class__ is not Tensor or y.__class__ is not Tensor:
        x, y = _convert_matching((x, y))
    inputs = [c, x, y]
    for i, (t, want) in enumerate(((c, _dt.bool), (y, x._dtype))):
        if t._dtype is not want:
            raise _fail(math_ops.select, inputs,
                        f"cannot compute SelectV2 as input #{2 * i}(zero-based) was expected to "
                        f"be a {tf_type_name(want)} tensor but is a {tf_type_name(t._dtype)} "
                        f"tensor")
    try:
        return math_ops.select(c, x, y)
    except InvalidArgumentError:
        shapes = [t._value.shape for t in inputs]
        try:
            np.broadcast_shapes(*shapes)
        except ValueError:
            raise _fail(math_ops.select, inputs,
                        "condition {}, then {}, and else {} must be broadcastable".format(
                            *(list(s) for s in shapes))) from None
        raise
