"""Tensor creation and shape queries: constant, zeros, fill, range, shape ... (Fill is the only
differentiable one; the rest are declared not differentiable, as TF declares them)."""
from .._core import dtypes as _dt
from .._core.backend import xp as np
from .._core.callsite import user_site
from .._core.registry import defop
from .._core.tensor import Tensor, constant_from_value, convert_to_tensor
from .array_ops import _as_shape


def constant(value, dtype=None, shape=None, name="Const"):
    """A constant tensor from a Python or NumPy value (a Tensor's value is copied: no link)."""
    if isinstance(value, Tensor) or getattr(value, "_is_variable", False):
        t = convert_to_tensor(value)
        value = t.numpy()  # TF's constant() takes the value, not the history
        if dtype is not None:
            value = value.astype(_dt.as_dtype(dtype)._np) if hasattr(value, "astype") else value
    t = constant_from_value(value, None if dtype is None else _dt.as_dtype(dtype), site=user_site(2))
    if shape is not None:
        shape = _as_shape(shape)
        if t._value.size == 1:
            arr = np.broadcast_to(t._value.reshape(()), shape).copy()
        else:
            arr = np.reshape(t._value, shape)
        arr.flags.writeable = False
        t = Tensor(arr, t._dtype)
    return t


def _new(arr):
    arr.flags.writeable = False
    return Tensor(arr, _dt.from_numpy(arr.dtype))


def zeros(shape, dtype=_dt.float32, name=None, layout=None):
    return _new(np.zeros(_as_shape(shape), _dt.as_dtype(dtype)._np))


def ones(shape, dtype=_dt.float32, name=None, layout=None):
    return _new(np.ones(_as_shape(shape), _dt.as_dtype(dtype)._np))


@defop("ZerosLike", same_dtype=False, differentiable=False)
def _zeros_like(x):
    return np.zeros_like(x)


@defop("OnesLike", same_dtype=False, differentiable=False)
def _ones_like(x):
    return np.ones_like(x)


def zeros_like(input, dtype=None, name=None, layout=None):
    x = _zeros_like(convert_to_tensor(input))
    return x if dtype is None else _new(np.zeros(x._value.shape, _dt.as_dtype(dtype)._np))


def ones_like(input, dtype=None, name=None, layout=None):
    x = _ones_like(convert_to_tensor(input))
    return x if dtype is None else _new(np.ones(x._value.shape, _dt.as_dtype(dtype)._np))


@defop("Fill", same_dtype=False)
def _fill(value, *, dims):
    return np.full(dims, value, dtype=value.dtype)


@_fill.def_grad
def _fill_grad(op, grad):
    """Every output element depends on the one value: the gradient is their sum."""
    from .reduction_ops import reduce_sum
    return reduce_sum(grad)


def fill(dims, value, name=None, layout=None):
    return _fill(convert_to_tensor(value), dims=_as_shape(dims))


@defop("Shape", same_dtype=False, differentiable=False)
def _shape(x, *, out_type):
    return np.asarray(x.shape, dtype=out_type._np)


def shape(input, out_type=_dt.int32, name=None):
    return _shape(convert_to_tensor(input), out_type=_dt.as_dtype(out_type))


@defop("Size", same_dtype=False, differentiable=False)
def _size(x, *, out_type):
    return np.asarray(np.size(x), dtype=out_type._np)


def size(input, out_type=_dt.int32, name=None):
    return _size(convert_to_tensor(input), out_type=_dt.as_dtype(out_type))


@defop("Rank", same_dtype=False, differentiable=False)
def _rank(x):
    return np.asarray(np.ndim(x), dtype=np.int32)


def rank(input, name=None):
    return _rank(convert_to_tensor(input))


@defop("Range", differentiable=False)
def _range(start, limit, delta):
    return np.arange(start, limit, delta).astype(np.result_type(start, limit, delta))


def range(start, limit=None, delta=1, dtype=None, name="range"):  # noqa: A001 - TF's name
    """Like Python's range, as a tensor; float endpoints give a float tensor."""
    if limit is None:
        start, limit = 0, start
    args = [start, limit, delta]
    if dtype is not None:
        args = [convert_to_tensor(a, dtype=dtype) if not isinstance(a, Tensor) else a for a in args]
    else:
        ref = None
        tensors = [a for a in args if isinstance(a, Tensor)]
        if tensors:
            ref = tensors[0]._dtype
        elif any(isinstance(a, float) for a in args):
            ref = _dt.float32
        else:
            ref = _dt.int32
        args = [a if isinstance(a, Tensor) else convert_to_tensor(a, dtype=ref) for a in args]
    return _range(*args)


def linspace(start, stop, num, name=None, axis=0):
    """``num`` evenly spaced values from start to stop; differentiable in start and stop, as
    TF's composite is: start + (stop - start) * k / (num - 1)."""
    start = convert_to_tensor(start)
    stop = convert_to_tensor(stop, dtype=start._dtype)
    num = int(num)
    frac = np.arange(num, dtype=start._dtype._np) / max(num - 1, 1)
    if num == 1:
        frac = np.zeros(1, start._dtype._np)
    frac_t = Tensor(frac.reshape((num,) + (1,) * start._value.ndim), start._dtype)
    out = start + (stop - start) * frac_t
    return out if axis in (0, -out._value.ndim) else _moveaxis(out, axis)


def _moveaxis(t, axis):
    from .array_ops import transpose
    nd = t._value.ndim
    axis %= nd
    perm = list(range(1, axis + 1)) + [0] + list(range(axis + 1, nd))
    return transpose(t, perm)


def eye(num_rows, num_columns=None, batch_shape=None, dtype=_dt.float32, name=None):
    arr = np.eye(int(num_rows), None if num_columns is None else int(num_columns),
                 dtype=_dt.as_dtype(dtype)._np)
    if batch_shape is not None:
        arr = np.broadcast_to(arr, tuple(batch_shape) + arr.shape).copy()
    return _new(arr)


