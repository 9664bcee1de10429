"""Shape ops: reshape, broadcast_to, concat ... each with its gradient."""
from .._core.backend import xp as np
from .._core.errors import InvalidArgumentError
from .._core.registry import defop
from .._core.tensor import Tensor, convert_to_tensor


def _as_shape(shape):
    if isinstance(shape, Tensor):
        shape = shape._value
    return tuple(int(d) for d in np.asarray(shape).reshape(-1))


@defop("Reshape", same_dtype=False)
def _reshape(x, *, shape):
    try:
        return np.reshape(x, shape)
    except ValueError:
        raise InvalidArgumentError(
            None, None, f"Input to reshape is a tensor with {np.size(x)} values, but the "
                        f"requested shape has {int(np.prod([d for d in shape if d != -1]))}") from None


@_reshape.def_grad
def _reshape_grad(op, grad):
    return _reshape(grad, shape=op.inputs[0]._value.shape)


def reshape(tensor, shape, name=None):
    """Reshapes a tensor (one dimension may be -1)."""
    return _reshape(tensor, shape=_as_shape(shape))


@defop("BroadcastTo", same_dtype=False)
def _broadcast_to(x, *, shape):
    return np.broadcast_to(x, shape)


@_broadcast_to.def_grad
def _broadcast_to_grad(op, grad):
    return grad  # the engine sums it back to the input's shape


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
    axis = int(axis) % max(x._value.ndim, 1)
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


def identity(input, name=None):
    """Returns a tensor with the same value (a new node on the tape)."""
    return _identity(convert_to_tensor(input))

