"""Neural-network ops (``tf.nn``): activations, the softmax family, l2 losses and
normalisation, moments, dropout, bias_add and embedding_lookup (cross-entropies: xent_ops.py).

Activations are primitives whose gradients are TF's fused backward ops (ReluGrad, EluGrad ...),
each differentiable again. Softmax, log-softmax and the cross-entropies are primitives for
numerical stability; the rest compose ops exactly as TF composes them, so that gradients at
kinks (x = 0 in weighted_cross_entropy_with_logits, say) agree with TF's.
"""
import numbers

from .._core import dtypes as _dt
from .._core.backend import xp as np
from .._core.errors import InvalidArgumentError
from .._core.registry import defop
from .._core.tensor import Tensor, convert_to_tensor, scalar_tensor
from . import array_ops
from .binary_ops import maximum
from .math_ops import _cast, cast, exp, negative, real, conj, select, square, tanh
from .random_ops import _generator, _uniform01
from .reduction_ops import _sum, normalize_axis
from .unary_ops import erfc, rsqrt, sigmoid, softplus

FLOATS = _dt.FLOATS
REAL = _dt.REAL
_SELU_SCALE = 1.0507009873554804934193349852946
_SELU_ALPHA = 1.6732632423543772848170429916717
_GELU_COEFF = float(np.float32(0.044715))
_GELU_SQRT_HALF = float(np.float32(0.7071067811865476))


def _zeros(t):
    """A constant zero gradient (TF's zeros_like: nothing flows through it)."""
    return Tensor(np.zeros(t._value.shape, t._dtype._np), t._dtype)


def _const(arr):
    """A constant (a mask, a one-hot) that a rule multiplies or selects with."""
    return Tensor(arr, _dt.from_numpy(arr.dtype))


def _shape_str(shape):
    return "[" + ",".join(str(d) for d in shape) + "]"


def _gate_grad(op, grad):
    """Gradient of a backward op g * gate(x) (ReluGrad ...): the same gate on the new upstream;
    the gate's input gets zeros, as TF's rules give it."""
    return op.opdef(grad, op.inputs[1], **op.attrs), _zeros(op.inputs[1])


def _exp_gate_grad(op, grad):
    """Gradient of EluGrad/SeluGrad, g * (y + c) on the negative side: d/dy = g there."""
    g, y = op.inputs
    return op.opdef(grad, y), select(_const(y._value < 0), grad * g, _zeros(y))


# -- rectifiers ---------------------------------------------------------------------------------

@defop("Relu", dtypes=REAL)
def _relu(x):
    return np.maximum(x, np.zeros((), x.dtype))


@_relu.def_grad
def _relu_grad(op, grad):
    return _relu_backward(grad, op.outputs[0])


@_relu.def_fast_grad
def _relu_grad_np(op, g):
    return _relu_backward.forward(g, op.outputs[0]._value)


@defop("ReluGrad", dtypes=REAL)
def _relu_backward(g, y):
    return g * (y > 0)  # 0 at 0, as TF


_relu_backward.def_grad(_gate_grad)


def relu(features, name=None):
    """max(features, 0); its gradient is 0 at 0."""
    return _relu(features)


@defop("Relu6", dtypes=REAL)
def _relu6(x):
    return np.minimum(np.maximum(x, np.zeros((), x.dtype)), np.asarray(6, x.dtype))


@_relu6.def_grad
def _relu6_grad(op, grad):
    return _relu6_backward(grad, op.inputs[0])


@defop("Relu6Grad", dtypes=REAL)
def _relu6_backward(g, x):
    return g * ((x > 0) & (x < 6))  # 0 at both corners, as TF


_relu6_backward.def_grad(_gate_grad)


def relu6(features, name=None):
    """min(max(features, 0), 6)."""
    return _relu6(features)


@defop("LeakyRelu", dtypes=FLOATS)
def _leaky_relu(x, *, alpha):
    return np.where(x > 0, x, x * alpha)


@_leaky_relu.def_grad
def _leaky_relu_grad(op, grad):
    return _leaky_relu_backward(grad, op.inputs[0], alpha=op.attrs["alpha"])


@defop("LeakyReluGrad", dtypes=FLOATS)
def _leaky_relu_backward(g, x, *, alpha):
    return np.where(x > 0, g, g * alpha)  # alpha at 0, as TF


_leaky_relu_backward.def_grad(_gate_grad)


def leaky_relu(features, alpha=0.2, name=None):
    """features where positive, else alpha * features (integers are computed in float32)."""
    x = convert_to_tensor(features)
    if x._dtype.is_integer:
        x = _cast(x, dtype=_dt.float32)
    if isinstance(alpha, Tensor) or getattr(alpha, "_is_variable", False):
        raise TypeError(f"Expected float for argument 'alpha' not {alpha!r}.")
    # alpha is a 32-bit float attribute in TF, also for float64 features
    return _leaky_relu(x, alpha=float(np.float32(alpha)))


# -- exponential linear units -------------------------------------------------------------------

@defop("Elu", dtypes=FLOATS)
def _elu(x):
    return np.where(x < 0, np.expm1(np.minimum(x, 0)), x)


@_elu.def_grad
def _elu_grad(op, grad):
    return _elu_backward(grad, op.outputs[0])


@defop("EluGrad", dtypes=FLOATS)
def _elu_backward(g, y):
    return np.where(y < 0, g * (y + 1), g)  # 1 at 0, as TF


_elu_backward.def_grad(_exp_gate_grad)


def elu(features, name=None):
    """features where positive, else exp(features) - 1."""
    return _elu(features)


@defop("Selu", dtypes=FLOATS)
def _selu(x):
    return np.where(x < 0, (_SELU_SCALE * _SELU_ALPHA) * np.expm1(np.minimum(x, 0)),
                    _SELU_SCALE * x).astype(x.dtype, copy=False)


@_selu.def_grad
def _selu_grad(op, grad):
    return _selu_backward(grad, op.outputs[0])


@defop("SeluGrad", dtypes=FLOATS)
def _selu_backward(g, y):
    return np.where(y < 0, g * (y + _SELU_SCALE * _SELU_ALPHA),
                    g * _SELU_SCALE).astype(g.dtype, copy=False)


_selu_backward.def_grad(_exp_gate_grad)


def selu(features, name=None):
    """Scaled exponential linear unit (Klambauer et al. 2017)."""
    return _selu(features)


# -- smooth gates (composites, as TF) -----------------------------------------------------------

def gelu(features, approximate=False, name=None):
    """Gaussian error linear unit: x * Phi(x), or its tanh approximation."""
    x = convert_to_tensor(features)
    if not x._dtype.is_floating:
        raise ValueError(f"`features.dtype` must be a floating point tensor."
                         f"Received:features.dtype=<dtype: '{x._dtype.name}'>")
    # TF casts these two constants from float32, so float64 results carry float32 roundings
    if approximate:
        return 0.5 * x * (1.0 + tanh(0.7978845608028654 * (x + _GELU_COEFF * (x * x * x))))
    return 0.5 * x * erfc(x * -_GELU_SQRT_HALF)


def silu(features, beta=1.0):
    """features * sigmoid(beta * features) (also ``swish``)."""
    x = convert_to_tensor(features)
    if isinstance(beta, (int, float)) and beta == 1.0:
        return x * sigmoid(x)
    b = convert_to_tensor(beta)
    if b._dtype is not x._dtype:
        b = cast(b, x._dtype)
    return x * sigmoid(b * x)


swish = silu


def log_sigmoid(x, name=None):
    """log(sigmoid(x)) = -softplus(-x), without overflow."""
    return negative(softplus(negative(x)))


# -- softmax family -----------------------------------------------------------------------------

def _softmax_axis(x, axis):
    nd = x._value.ndim
    if nd == 0:
        raise InvalidArgumentError(None, None, "logits must have >= 1 dimension, got []")
    axis = -1 if axis is None else int(axis._value if isinstance(axis, Tensor) else axis)
    if not -nd <= axis < nd:
        raise InvalidArgumentError(None, None, f"`dim` must be in the range [{-nd}, {nd}) where "
                                               f"{nd} is the number of dimensions in the input. "
                                               f"Received: dim={axis}")
    return axis % nd


def _exp_shifted(x, axis):
    """(x - max(x), exp of it, sum of the exp) along axis; float16 works in float32."""
    if x.dtype == np.float16:
        x = x.astype(np.float32)
    s = x - x.max(axis=axis, keepdims=True)
    e = np.exp(s)
    return s, e, e.sum(axis=axis, keepdims=True)


@defop("Softmax", dtypes=FLOATS)
def _softmax(x, *, axis):
    if x.size == 0:
        return x
    _, e, total = _exp_shifted(x, axis)
    e /= total
    return e.astype(x.dtype, copy=False)


@_softmax.def_grad
def _softmax_grad(op, grad):
    """(g - sum(g*y)) * y along the axis."""
    y = op.outputs[0]
    return (grad - _sum(grad * y, axis=(op.attrs["axis"],), keepdims=True)) * y


def softmax(logits, axis=None, name=None):
    """exp(logits) / sum(exp(logits)) along ``axis`` (default the last)."""
    x = convert_to_tensor(logits)
    return _softmax(x, axis=_softmax_axis(x, axis))


@defop("LogSoftmax", dtypes=FLOATS)
def _log_softmax(x, *, axis):
    if x.size == 0:
        return x
    s, _, total = _exp_shifted(x, axis)
    s -= np.log(total)
    return s.astype(x.dtype, copy=False)


@_log_softmax.def_grad
def _log_softmax_grad(op, grad):
    """g - sum(g) * softmax, along the axis."""
    return grad - _sum(grad, axis=(op.attrs["axis"],), keepdims=True) * exp(op.outputs[0])


def log_softmax(logits, axis=None, name=None):
    """logits - log(sum(exp(logits))) along ``axis`` (default the last)."""
    x = convert_to_tensor(logits)
    return _log_softmax(x, axis=_softmax_axis(x, axis))


# -- l2 ------------------------------------------------------------------------------------------

@defop("L2Loss", dtypes=FLOATS)
def _l2_loss(x):
    return np.sum(x * x, dtype=x.dtype) / np.asarray(2, x.dtype)


@_l2_loss.def_grad
def _l2_loss_grad(op, grad):
    return grad * op.inputs[0]


def l2_loss(t, name=None):
    """sum(t ** 2) / 2."""
    return _l2_loss(t)


def l2_normalize(x, axis=None, epsilon=1e-12, name=None, dim=None):
    """x / sqrt(max(sum(x ** 2, axis), epsilon))."""
    if axis is None:
        axis = dim
    x = convert_to_tensor(x)
    axes = normalize_axis(axis, x._value.ndim)
    if x._dtype.is_complex:
        square_sum = _sum(real(x * conj(x)), axis=axes, keepdims=True)
        inv = rsqrt(maximum(square_sum, epsilon))
        return x * _cast(inv, dtype=x._dtype)
    square_sum = _sum(square(x), axis=axes, keepdims=True)
    return x * rsqrt(maximum(square_sum, epsilon))


def moments(x, axes, shift=None, keepdims=False, name=None):
    """(mean, variance) over ``axes``. As in TF the variance takes the mean as a constant, so
    first derivatives are exact and second derivatives of the variance omit the mean's term."""
    x = convert_to_tensor(x)
    y = _cast(x, dtype=_dt.float32) if x._dtype is _dt.float16 else x
    red = normalize_axis(axes, y._value.ndim)
    count = 1
    for a in red:
        count *= y._value.shape[a]
    if y._dtype.is_integer:  # TF's integer mean truncates; integers carry no gradient
        v = y._value
        mean_v = np.trunc(np.sum(v, axis=red, keepdims=True) / max(count, 1)).astype(v.dtype)
        var_v = np.trunc(np.sum((v - mean_v) ** 2, axis=red, keepdims=True) / max(count, 1))
        mean, variance = _const(mean_v), _const(var_v.astype(v.dtype))
    else:
        mean = _sum(y, axis=red, keepdims=True) / float(count)
        centred = y - Tensor(mean._value, mean._dtype)  # TF's stop_gradient(mean)
        variance = _sum(centred * centred, axis=red, keepdims=True) / float(count)
    if not keepdims:
        out_shape = tuple(d for i, d in enumerate(y._value.shape) if i not in red)
        mean = array_ops._reshape(mean, shape=out_shape)
        variance = array_ops._reshape(variance, shape=out_shape)
    if x._dtype is _dt.float16:
        return _cast(mean, dtype=_dt.float16), _cast(variance, dtype=_dt.float16)
    return mean, variance


# -- dropout, bias_add, embedding_lookup -------------------------------------------------------

def _noise_shape(x, noise_shape):
    shape = x._value.shape
    if noise_shape is None:
        return shape
    dims = list(getattr(noise_shape, "_value", noise_shape))
    if len(dims) == len(shape):
        dims = [s if d is None else d for d, s in zip(dims, shape)]
    return tuple(int(d) for d in dims)


def dropout(x, rate, noise_shape=None, seed=None, name=None):
    """Zeroes each element with probability ``rate`` and scales the rest by 1/(1-rate)."""
    is_number = isinstance(rate, numbers.Real)
    if is_number and (rate < 0 or rate >= 1):
        raise ValueError(f"`rate` must be a scalar tensor or a float in the range [0, 1). "
                         f"Received: rate={rate}")
    x = convert_to_tensor(x)
    if not x._dtype.is_floating:
        raise ValueError(f"`x.dtype` must be a floating point tensor as `x` will be scaled. "
                         f"Received: x_dtype=<dtype: '{x._dtype.name}'>")
    if is_number and rate == 0:
        return x
    if is_number:
        kept = x * (1.0 / (1.0 - float(rate)))
        threshold = rate
    elif isinstance(rate, Tensor) or getattr(rate, "_is_variable", False):
        rate = convert_to_tensor(rate)
        if rate._value.ndim != 0:
            raise ValueError(f"Shape {rate.shape} must have rank 0")
        if rate._dtype is not x._dtype:
            raise ValueError(f"`x.dtype` must be compatible with `rate.dtype`. Received: "
                             f"x.dtype=<dtype: '{x._dtype.name}'> and "
                             f"rate.dtype=<dtype: '{rate._dtype.name}'>")
        kept = x / (1.0 - rate)
        threshold = rate._value
    else:
        raise ValueError(f"`rate` must be a scalar or scalar tensor. Received: rate={rate}")
    noise = _uniform01(_generator(seed), _noise_shape(x, noise_shape), x._dtype)
    return select(_const(noise >= threshold), kept, scalar_tensor(0, x._dtype))


@defop("BiasAdd", dtypes=_dt.NUMERIC)
def _bias_add(x, b, *, nchw):
    if x.ndim < 2:
        raise InvalidArgumentError(None, None, f"Input tensor must be at least 2D: "
                                               f"{_shape_str(x.shape)}")
    if b.ndim != 1:
        raise InvalidArgumentError(None, None, f"Biases must be 1D: {_shape_str(b.shape)}")
    channels = x.shape[1] if nchw else x.shape[-1]
    if b.shape[0] != channels:
        which = "last" if not nchw or x.ndim == 2 else "channel"
        raise InvalidArgumentError(None, None, f"Must provide as many biases as the {which} "
                                               f"dimension of the input tensor: "
                                               f"{_shape_str(b.shape)} vs. {_shape_str(x.shape)}")
    if nchw:
        return x + b.reshape((-1,) + (1,) * (x.ndim - 2))
    return x + b


@_bias_add.def_grad
def _bias_add_grad(op, grad):
    """The bias gets the upstream summed over every axis but the channel axis."""
    if not op.attrs["nchw"]:
        return grad, grad  # the engine sums the leading axes away
    nd = grad._value.ndim
    return grad, _sum(grad, axis=(0,) + tuple(range(2, nd)), keepdims=False)


@_bias_add.def_fast_grad
def _bias_add_grad_np(op, g):
    if not op.attrs["nchw"]:
        return g, g
    return g, _sum.forward(g, axis=(0,) + tuple(range(2, g.ndim)), keepdims=False)


def bias_add(value, bias, data_format=None, name=None):
    """Adds a 1-D bias along the channel axis (last for N...C, second for NC...)."""
    nchw = False
    if data_format is not None:
        if data_format.startswith("NC"):
            nchw = True
        elif not (data_format.startswith("N") and data_format.endswith("C")):
            raise ValueError(f"`data_format` must be of the form `N...C` or `NC...`. "
                             f"Received: data_format={data_format}")
    return _bias_add(value, bias, nchw=nchw)


def embedding_lookup(params, ids, max_norm=None, name=None):
    """Rows of ``params`` (or of a list of shards, "div" partitioned) at ``ids``; the gradient
    for ``params`` is an IndexedSlices, as TF's."""
    from .indexing_ops import gather
    if isinstance(params, (list, tuple)):
        if not params:
            raise ValueError("Length of `params` must be greater than 0.")
        if len(params) == 1:
            result = gather(params[0], ids)
        else:
            result = _sharded_lookup([convert_to_tensor(p) for p in params], ids, gather)
    else:
        result = gather(params, ids)
    if max_norm is not None:
        from .clip_ops import clip_by_norm
        id_rank = convert_to_tensor(ids)._value.ndim
        result = clip_by_norm(result, max_norm, axes=list(range(id_rank, result._value.ndim)))
    return result


def _sharded_lookup(shards, ids, gather):
    """TF's "div" strategy: shard p holds a contiguous block of ids, the first shards one more."""
    ids_t = convert_to_tensor(ids)
    flat = ids_t._value.reshape(-1).astype(np.int64)
    n = len(shards)
    total = sum(int(s._value.shape[0]) for s in shards)
    bad = np.nonzero((flat < 0) | (flat >= total))[0]
    if bad.size:
        raise InvalidArgumentError(None, None, f"indices[{bad[0]}] = {flat[bad[0]]} is not in "
                                               f"[0, {total}) [Op:GatherV2]")
    per, extras = divmod(total, n)
    shard = np.maximum(flat // (per + 1), (flat - extras) // max(per, 1))
    local = np.where(shard < extras, flat % (per + 1), (flat - extras) % max(per, 1))
    parts, order = [], []
    for p in range(n):
        pos = np.nonzero(shard == p)[0]
        if pos.size:
            parts.append(gather(shards[p], _const(local[pos])))
            order.append(pos)
    stacked = array_ops.concat(parts, axis=0) if len(parts) > 1 else parts[0]
    inverse = np.empty(flat.size, np.int64)
    inverse[np.concatenate(order)] = np.arange(flat.size)
    rows = gather(stacked, _const(inverse))
    return array_ops.reshape(rows, ids_t._value.shape + tuple(rows._value.shape[1:]))
