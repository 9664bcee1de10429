"""gather_nd, scatter_nd and tensor_scatter_nd_*: one index construction shared by the gathers
and the scatters, so each one's gradient is the other."""
from .._core.backend import xp as np
from .._core import dtypes as _dt
from .._core.errors import InvalidArgumentError, NotFoundError
from .._core.registry import defop, tf_type_name
from .._core.tensor import IndexedSlices, Tensor, convert_to_tensor
from . import array_ops
from .comparison_ops import equal
from .indexing_ops import (_SCATTER_INDEX_DTYPES, _const, _dims, _fail, _gather, _indices,
                           _int_list, _shape_tensor)
from .math_ops import _cast, _is_tensorlike, multiply, negative


# -- gather_nd / scatter_nd ----------------------------------------------------------------------

def _nd_index(shape, indices, batch_dims, what, suffix=""):
    """Index arrays for rows ``indices[..., :]`` into ``shape`` after ``batch_dims`` batch dims,
    checked as TF checks them (``what`` names the shape in the message)."""
    k = indices.shape[-1]
    lead = indices.shape[:-1]
    if indices.size:
        bad = (indices < 0) | (indices >= np.array(shape[batch_dims:batch_dims + k], np.int64))
        if bad.any():
            row = int(np.flatnonzero(bad.reshape(-1, k).any(axis=1))[0])
            vals = ", ".join(str(int(v)) for v in indices.reshape(-1, k)[row])
            raise InvalidArgumentError(None, None, f"indices[{row}] = [{vals}] does not index "
                                                   f"into {what} {_dims(shape)}{suffix}")
    ix = []
    for d in range(batch_dims):
        shp = [1] * len(lead)
        shp[d] = shape[d]
        ix.append(np.arange(shape[d]).reshape(shp))
    ix.extend(indices[..., j] for j in range(k))
    return tuple(ix)


def _nd_full(shape, indices, batch_dims):
    """Indices with the batch coordinates written out (what scatter_nd needs)."""
    if batch_dims == 0:
        return indices
    ix = _nd_index(shape, indices, batch_dims, "shape")
    return np.stack(np.broadcast_arrays(*ix), axis=-1)


@defop("GatherNd", same_dtype=False)
def _gather_nd(params, indices, *, batch_dims):
    k = indices.shape[-1] if indices.ndim else 0
    if indices.ndim == 0:
        raise InvalidArgumentError(None, None, "indices must be at least a vector")
    if k > params.ndim - batch_dims:
        raise InvalidArgumentError(None, None, f"index innermost dimension length must be <= "
                                               f"params rank; saw: {k} vs. {params.ndim}")
    ix = _nd_index(params.shape, indices, batch_dims, "param shape", ", node name: GatherNd")
    if not ix:
        return np.broadcast_to(params, indices.shape[:-1] + params.shape)
    return params[ix]


@_gather_nd.def_grad
def _gather_nd_grad(op, grad):
    """Whole-row gathers (indices [n, 1]) give IndexedSlices; others a dense scatter-add."""
    params, indices = op.inputs
    b = op.attrs["batch_dims"]
    iv = indices._value
    pshape = params._value.shape
    if b == 0 and iv.ndim == 2 and iv.shape[1] == 1:
        grad = convert_to_tensor(grad)
        return IndexedSlices(grad, Tensor(iv[:, 0], indices._dtype), _shape_tensor(pshape)), None
    return _scatter_nd(_const(_nd_full(pshape, iv, b)), grad, shape=pshape), None


def gather_nd(params, indices, batch_dims=0, name=None, bad_indices_policy=""):
    """Slices of ``params`` addressed by the rows of ``indices`` (last dim = index depth)."""
    params = convert_to_tensor(params)
    indices = _indices(indices, "GatherNd")
    b = int(batch_dims)
    if bad_indices_policy.upper() == "IGNORE":
        return _gather_nd_ignoring(params, indices, b)
    if params._value.size == 0 and indices._value.size:  # TF refuses any row of empty params
        raise _fail("GatherNd", [params, indices], f"Requested more than 0 entries, but params "
                    f"is empty.  Params shape: {_dims(params._value.shape)}")
    return _gather_nd(params, indices, batch_dims=b)


def _gather_nd_ignoring(params, indices, b):
    """gather_nd where out-of-range rows give zeros (composed, so it stays differentiable)."""
    iv = indices._value
    k = iv.shape[-1]
    dims = np.array(params._value.shape[b:b + k])
    ok = ((iv >= 0) & (iv < dims)).all(axis=-1)
    out = _gather_nd(params, _const(np.where(ok[..., None], iv, 0).astype(iv.dtype)),
                     batch_dims=b)
    mask = ok.reshape(ok.shape + (1,) * (out._value.ndim - ok.ndim)).astype(out._dtype._np)
    return multiply(out, _const(mask))


def _check_scatter(indices, updates, shape, scatter_nd=False):
    """TF's shape rules: updates = indices.shape[:-1] + shape[K:] (its messages on mismatch;
    ScatterNd words them differently from the TensorScatter* ops)."""
    ishape, ushape = indices.shape, updates.shape
    for name, s in (("Updates", ushape), ("Indices", ishape)):
        if not s:
            raise InvalidArgumentError(None, None, f"{name} shape must have rank at least one. "
                                                   f"Found:[]")
    k, n = ishape[-1], len(ishape) - 1
    if ushape[:n] != ishape[:n]:
        raise InvalidArgumentError(None, None, (
            f"Dimensions [0,{n}) of indices[shape={_dims(ishape)}] must match dimensions "
            f"[0,{n}) of updates[shape={_dims(ushape)}]") if scatter_nd else (
            f"Outer dimensions of indices and update must match. Indices shape: "
            f"{_dims(ishape)}, updates shape:{_dims(ushape)}"))
    if k > len(shape) or ushape[n:] != tuple(shape[k:]):
        raise InvalidArgumentError(None, None, (
            f"Dimensions [{k},{len(shape)}) of input[shape={_dims(shape)}] must match "
            f"dimensions [{n},{len(ushape)}) of updates[shape={_dims(ushape)}]") if scatter_nd
            else (f"Inner dimensions of output shape must match inner dimensions of updates "
                  f"shape. Output: {_dims(shape)} updates: {_dims(ushape)}"))
    return _nd_index(shape, indices, 0, "shape")


@defop("ScatterNd", same_dtype=False)
def _scatter_nd(indices, updates, *, shape):
    ix = _check_scatter(indices, updates, shape, scatter_nd=True)
    out = np.zeros(shape, updates.dtype)
    if not ix:  # index depth 0: every update lands on the whole output
        return updates.reshape((-1,) + tuple(shape)).sum(axis=0).astype(updates.dtype)
    np.add.at(out, ix, updates)
    return out


@_scatter_nd.def_grad
def _scatter_nd_grad(op, grad):
    """Each update receives the upstream at its position (duplicates all receive it)."""
    return None, _gather_nd(grad, op.inputs[0], batch_dims=0)


def _drop_bad_rows(indices, updates, shape):
    """bad_indices_policy='IGNORE': keep only in-range rows (a gather, so still differentiable)."""
    iv = indices._value
    k = iv.shape[-1]
    ok = ((iv >= 0) & (iv < np.array(shape[:k]))).all(axis=-1).reshape(-1)
    lead = iv.shape[:-1]
    flat = array_ops.reshape(updates, (-1,) + tuple(updates._value.shape[len(lead):]))
    rows = np.flatnonzero(ok)
    return (_const(iv.reshape(-1, k)[rows]), _gather(flat, _const(rows), axis=0, batch_dims=0))


def scatter_nd(indices, updates, shape, bad_indices_policy="", name=None):
    """Zeros of ``shape`` with ``updates`` added at ``indices`` (duplicates accumulate)."""
    updates = convert_to_tensor(updates)
    indices = _indices(indices, "ScatterNd")
    shape = tuple(_int_list(shape))
    if bad_indices_policy.upper() == "IGNORE":
        indices, updates = _drop_bad_rows(indices, updates, shape)
    _check_empty_output("ScatterNd", shape, indices, updates)
    return _scatter_nd(indices, updates, shape=shape)


# -- tensor_scatter_nd_* -------------------------------------------------------------------------

def _scatter_into(write):
    """Forward of a TensorScatter* op: a copy of the tensor, ``write(out, ix, updates)``."""
    def forward(tensor, indices, updates):
        ix = _check_scatter(indices, updates, tensor.shape)
        out = np.array(tensor, copy=True)
        write(out, ix, updates)
        return out
    return forward


_tensor_scatter_update = defop("TensorScatterUpdate", _scatter_into(
    lambda out, ix, u: out.__setitem__(ix, u)), same_dtype=False)
_tensor_scatter_add = defop("TensorScatterAdd", _scatter_into(np.add.at), same_dtype=False)
_tensor_scatter_sub = defop("TensorScatterSub", _scatter_into(np.subtract.at), same_dtype=False)
_tensor_scatter_max = defop("TensorScatterMax", _scatter_into(np.maximum.at), same_dtype=False)
_tensor_scatter_min = defop("TensorScatterMin", _scatter_into(np.minimum.at), same_dtype=False)


@_tensor_scatter_update.def_grad
def _tensor_scatter_update_grad(op, grad):
    """Tensor: the upstream with zeros where updates landed; updates: the upstream gathered
    (duplicate indices each receive it, although only one value survived)."""
    _, indices, updates = op.inputs
    grad = convert_to_tensor(grad)
    zeros = Tensor(np.zeros(updates._value.shape, grad._dtype._np), grad._dtype)
    return (_tensor_scatter_update(grad, indices, zeros) if op.needs(0) else None, None,
            _gather_nd(grad, indices, batch_dims=0) if op.needs(2) else None)


@_tensor_scatter_add.def_grad
def _tensor_scatter_add_grad(op, grad):
    return grad, None, _gather_nd(grad, op.inputs[1], batch_dims=0)


@_tensor_scatter_sub.def_grad
def _tensor_scatter_sub_grad(op, grad):
    return grad, None, negative(_gather_nd(grad, op.inputs[1], batch_dims=0))


@_tensor_scatter_max.def_grad
@_tensor_scatter_min.def_grad
def _scatter_extremum_grad(op, grad):
    """The upstream goes to whichever of tensor and updates equals the result; ties (and
    duplicate updates reaching the same value) share it equally, as TF."""
    tensor, indices, updates = op.inputs
    out = op.outputs[0]
    dt = tensor._dtype
    x_hit = _cast(equal(tensor, out), dtype=dt)
    y_hit = _cast(equal(updates, _gather_nd(out, indices, batch_dims=0)), dtype=dt)
    count = x_hit + _scatter_nd(indices, y_hit, shape=tensor._value.shape)
    share = grad / count
    return share * x_hit, None, _gather_nd(share, indices, batch_dims=0) * y_hit


def _check_empty_output(op_type, shape, indices, updates):
    # Public entry points only: gradients scatter into empty shapes freely.
    if 0 in shape and (indices._value.size or updates._value.size):
        raise _fail(op_type, [indices, updates], "Indices and updates specified for empty "
                                                 "output shape")


def _scatter_args(op_type, tensor, indices, updates, policy):
    tensor = convert_to_tensor(tensor)
    if _is_tensorlike(updates):
        updates = convert_to_tensor(updates)
        if updates._dtype is not tensor._dtype:
            raise _fail(op_type, [tensor, updates], f"cannot compute {op_type} as input "
                        f"#2(zero-based) was expected to be a {tf_type_name(tensor._dtype)} tensor "
                        f"but is a {tf_type_name(updates._dtype)} tensor")
    else:
        updates = convert_to_tensor(updates, dtype=tensor._dtype)
    indices = _indices(indices, op_type, _SCATTER_INDEX_DTYPES)
    if tensor._dtype is _dt.bool and op_type != "TensorScatterUpdate":  # no bool kernel in TF
        raise _fail(op_type, [tensor, updates], f"Could not find device for node: {{{{node "
                    f"{op_type}}}}} = {op_type}[T=DT_BOOL]", NotFoundError)
    if policy.upper() == "IGNORE":
        indices, updates = _drop_bad_rows(indices, updates, tensor._value.shape)
    _check_empty_output(op_type, tensor._value.shape, indices, updates)
    return tensor, indices, updates


def tensor_scatter_nd_update(tensor, indices, updates, name=None):
    """A copy of ``tensor`` with ``updates`` written at ``indices``."""
    return _tensor_scatter_update(*_scatter_args("TensorScatterUpdate", tensor, indices,
                                                 updates, ""))


def tensor_scatter_nd_add(tensor, indices, updates, bad_indices_policy="", name=None):
    """A copy of ``tensor`` with ``updates`` added at ``indices`` (duplicates accumulate)."""
    return _tensor_scatter_add(*_scatter_args("TensorScatterAdd", tensor, indices, updates,
                                              bad_indices_policy))


def tensor_scatter_nd_sub(tensor, indices, updates, bad_indices_policy="", name=None):
    """A copy of ``tensor`` with ``updates`` subtracted at ``indices``."""
    return _tensor_scatter_sub(*_scatter_args("TensorScatterSub", tensor, indices, updates,
                                              bad_indices_policy))


def tensor_scatter_nd_max(tensor, indices, updates, bad_indices_policy="", name=None):
    """A copy of ``tensor`` with the elementwise max of it and ``updates`` at ``indices``."""
    return _tensor_scatter_max(*_scatter_args("TensorScatterMax", tensor, indices, updates,
                                              bad_indices_policy))


def tensor_scatter_nd_min(tensor, indices, updates, bad_indices_policy="", name=None):
    """A copy of ``tensor`` with the elementwise min of it and ``updates`` at ``indices``."""
    return _tensor_scatter_min(*_scatter_args("TensorScatterMin", tensor, indices, updates,
                                              bad_indices_policy))
