"""``tf.nn`` cross-entropies: the fused softmax kernels (dense and sparse labels) and the
logistic losses (plain and weighted), each with TF's gradient."""
from .._core import dtypes as _dt
from .._core.backend import xp as np
from .._core.errors import InvalidArgumentError
from .._core.registry import defop, tf_type_name as _tf_name
from .._core.tensor import Tensor, convert_to_tensor
from . import array_ops
from .math_ops import _cast, cast, exp
from .nn_ops import _exp_shifted, _log_softmax, _relu, _shape_str, _softmax
from .reduction_ops import _sum
from .unary_ops import abs as _abs, log1p, sigmoid

FLOATS = _dt.FLOATS


# -- cross-entropies ----------------------------------------------------------------------------
# The two softmax cross-entropies are TF's fused kernels: outputs (loss, backprop), backprop =
# softmax - labels, so the first-order gradient is one multiply. A second-order pass reaches
# backprop and adds the softmax Jacobian term (TF's "grad_grad"); as in TF, labels get no
# second-order term through backprop.

def _kept(grad, axis):
    """The upstream gradient of a reduced output, with the reduced axis put back (size 1)."""
    shape = list(grad._value.shape)
    shape.insert(axis, 1)
    return array_ops._reshape(grad, shape=tuple(shape))


def _xent_grad(op, grad_loss, grad_backprop, axis):
    """The logits' gradient of a fused cross-entropy."""
    g = _kept(grad_loss, axis) * op.outputs[1]
    if grad_backprop._value.any():  # only in a second-order pass
        sm = _softmax(op.inputs[0], axis=axis)
        g = g + (grad_backprop - _sum(grad_backprop * sm, axis=(axis,), keepdims=True)) * sm
    return g


@defop("SoftmaxCrossEntropyWithLogits", dtypes=FLOATS, n_out=-1)
def _softmax_xent(logits, labels, *, axis):
    if logits.shape != labels.shape:
        try:
            shape = np.broadcast_shapes(logits.shape, labels.shape)
        except ValueError:
            raise InvalidArgumentError(
                None, None, f"logits and labels must be broadcastable: logits_size="
                            f"{_shape_str(logits.shape)} labels_size={_shape_str(labels.shape)}"
                            ) from None
        logits, labels = np.broadcast_to(logits, shape), np.broadcast_to(labels, shape)
    if logits.shape[axis] == 0:
        empty = np.zeros(logits.shape[:axis] + logits.shape[axis + 1:], logits.dtype)
        return empty, logits - labels
    s, e, total = _exp_shifted(logits, axis)
    s -= np.log(total)
    loss = -(labels * s).sum(axis=axis)
    e /= total
    e -= labels
    return loss.astype(logits.dtype, copy=False), e.astype(logits.dtype, copy=False)


def _kept_np(grad, axis):
    """``_kept`` on an array (a reshape: np.expand_dims costs more than the op it serves)."""
    shape = grad.shape
    return grad.reshape(shape[:axis] + (1,) + shape[axis:])


def _xent_grad_np(op, grad_loss, grad_backprop, axis):
    """``_xent_grad`` on arrays (the fast twins of both fused cross-entropies)."""
    g = _kept_np(grad_loss, axis) * op.outputs[1]._value
    if grad_backprop.any():
        sm = _softmax.forward(op.inputs[0]._value, axis=axis)
        g = g + (grad_backprop - np.add.reduce(grad_backprop * sm, axis, sm.dtype, None,
                                               True)) * sm
    return g


@_softmax_xent.def_grad
def _softmax_xent_grad(op, grad_loss, grad_backprop):
    """softmax - labels for the logits; -log_softmax for the labels (TF differentiates both)."""
    axis = op.attrs["axis"]
    g_labels = None
    if op.needs(1):
        g_labels = _kept(grad_loss, axis) * -_log_softmax(op.inputs[0], axis=axis)
    return _xent_grad(op, grad_loss, grad_backprop, axis), g_labels


@_softmax_xent.def_fast_grad
def _softmax_xent_grad_np(op, grad_loss, grad_backprop):
    axis = op.attrs["axis"]
    g_labels = None
    if op.needs(1):
        g_labels = _kept_np(grad_loss, axis) * -_log_softmax.forward(
            op.inputs[0]._value, axis=axis)
    return _xent_grad_np(op, grad_loss, grad_backprop, axis), g_labels


def softmax_cross_entropy_with_logits(labels, logits, axis=-1, name=None):
    """-sum(labels * log_softmax(logits)) along ``axis``, computed stably in one op; labels
    should be distributions (the logits' gradient is softmax - labels, as TF's)."""
    logits = convert_to_tensor(logits)
    labels = convert_to_tensor(labels)
    half = logits._dtype is _dt.float16
    if half:
        logits = _cast(logits, dtype=_dt.float32)
    if labels._dtype is not logits._dtype:
        labels = cast(labels, logits._dtype)
    nd = logits._value.ndim
    if nd == 0:
        raise InvalidArgumentError(None, None, "logits and labels must have rank >= 1 "
                                               "[Op:SoftmaxCrossEntropyWithLogits]")
    axis = int(axis._value if isinstance(axis, Tensor) else axis)
    if not -nd <= axis < nd:
        raise InvalidArgumentError(None, None, f"axis {axis} is out of range for logits of rank "
                                               f"{nd}")
    cost = _softmax_xent(logits, labels, axis=axis % nd)[0]
    return _cast(cost, dtype=_dt.float16) if half else cost


@defop("SparseSoftmaxCrossEntropyWithLogits", dtypes=FLOATS, same_dtype=False, n_out=-1)
def _sparse_xent(logits, labels):
    n = logits.shape[-1]
    flat = labels.reshape(-1)
    if flat.size and flat.view(np.uint64 if flat.dtype == np.int64 else np.uint32).max() >= n:
        bad = flat[(flat < 0) | (flat >= n)][0]  # negatives are huge when viewed unsigned
        shown = " ".join(str(v) for v in flat[:64])
        raise InvalidArgumentError(None, None, f"Received a label value of {bad} which is "
                                               f"outside the valid range of [0, {n}).  "
                                               f"Label values: {shown}")
    if n == 0 or flat.size == 0:
        return np.zeros(labels.shape, logits.dtype), np.zeros(logits.shape, logits.dtype)
    s, e, total = _exp_shifted(logits.reshape(-1, n), 1)
    rows = np.arange(flat.size)
    loss = np.log(total[:, 0]) - s[rows, flat]
    e /= total
    e[rows, flat] -= 1
    return (loss.reshape(labels.shape).astype(logits.dtype, copy=False),
            e.reshape(logits.shape).astype(logits.dtype, copy=False))


@_sparse_xent.def_grad
def _sparse_xent_grad(op, grad_loss, grad_backprop):
    """softmax - one_hot(labels) for the logits; the integer labels get none."""
    return _xent_grad(op, grad_loss, grad_backprop, op.inputs[0]._value.ndim - 1), None


@_sparse_xent.def_fast_grad
def _sparse_xent_grad_np(op, grad_loss, grad_backprop):
    return _xent_grad_np(op, grad_loss, grad_backprop, op.inputs[0]._value.ndim - 1), None


def _require(labels, logits, fn_name):
    if labels is None or logits is None:
        raise ValueError(f"Both `labels` and `logits` must be provided for {fn_name}"
                         f"Received: labels={labels} and logits={logits}")


def sparse_softmax_cross_entropy_with_logits(labels, logits, name=None):
    """Cross-entropy between logits and integer class labels (out of range -> error)."""
    _require(labels, logits, "sparse_softmax_cross_entropy_with_logits")
    labels = convert_to_tensor(labels)
    logits = convert_to_tensor(logits)
    ls, xs = labels._value.shape, logits._value.shape
    if len(xs) == 0:
        raise ValueError(f"`logits` cannot be a scalar. Received logits={logits}`")
    if len(ls) != len(xs) - 1:
        raise ValueError(f"`labels.shape.rank` must equal `logits.shape.rank - 1`. Received: "
                         f"labels.shape={labels.shape} of rank {len(ls)} and "
                         f"logits.shape={logits.shape} of rank {len(xs)}")
    if ls != xs[:-1]:
        raise ValueError(f"`labels.shape` must equal `logits.shape` except for the last "
                         f"dimension. Received: labels.shape={labels.shape} and "
                         f"logits.shape={logits.shape}")
    if labels._dtype is not _dt.int32 and labels._dtype is not _dt.int64:
        raise InvalidArgumentError(None, None, f"Value for attr 'Tlabels' of "
                                               f"{_tf_name(labels._dtype)} is not in the list of "
                                               f"allowed values: int32, int64 "
                                               f"[Op:SparseSoftmaxCrossEntropyWithLogits]")
    if logits._dtype is _dt.float16:
        cost = _sparse_xent(_cast(logits, dtype=_dt.float32), labels)[0]
        return _cast(cost, dtype=_dt.float16)
    return _sparse_xent(logits, labels)[0]


@defop("SigmoidCrossEntropyWithLogits", dtypes=FLOATS)
def _sigmoid_xent(logits, labels):
    return (np.maximum(logits, 0) - logits * labels
            + np.log1p(np.exp(-np.abs(logits)))).astype(logits.dtype, copy=False)


@_sigmoid_xent.def_grad
def _sigmoid_xent_grad(op, grad):
    """sigmoid(x) - z for the logits, -x for the labels (TF's values, x = 0 included)."""
    x, z = op.inputs
    return (grad * (sigmoid(x) - z) if op.needs(0) else None,
            grad * -x if op.needs(1) else None)


def _xent_pair(labels, logits, fn_name):
    _require(labels, logits, fn_name)
    logits = convert_to_tensor(logits)
    labels = convert_to_tensor(labels)
    if logits.shape != labels.shape:
        raise ValueError(f"`logits` and `labels` must have the same shape, received "
                         f"({logits.shape} vs {labels.shape}).")
    return labels, logits


def sigmoid_cross_entropy_with_logits(labels=None, logits=None, name=None):
    """Elementwise logistic loss max(x, 0) - x*z + log(1 + exp(-|x|)), in one stable op."""
    labels, logits = _xent_pair(labels, logits, "sigmoid_cross_entropy_with_logits")
    if labels._dtype is not logits._dtype:
        raise InvalidArgumentError(None, None, f"cannot compute Mul as input #1(zero-based) was "
                                               f"expected to be a {_tf_name(logits._dtype)} "
                                               f"tensor but is a {_tf_name(labels._dtype)} "
                                               f"tensor [Op:Mul]")
    return _sigmoid_xent(logits, labels)


def weighted_cross_entropy_with_logits(labels, logits, pos_weight, name=None):
    """Logistic loss with the positive term weighted by ``pos_weight`` (TF's composition)."""
    labels, logits = _xent_pair(labels, logits, "weighted_cross_entropy_with_logits")
    log_weight = 1 + (pos_weight - 1) * labels
    return ((1 - labels) * logits
            + log_weight * (log1p(exp(-_abs(logits))) + _relu(-logits)))
