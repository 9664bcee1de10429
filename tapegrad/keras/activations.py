"""``tf.keras.activations`` (Keras 3): element-wise functions by name, built from tapegrad ops,
so their gradients come from the op rules."""
from .. import math as _tfm
from .. import nn as _nn
from .._core.tensor import convert_to_tensor as _tensor
from ..ops.math_ops import cast as _cast


def relu(x, negative_slope=0.0, max_value=None, threshold=0.0):
    """max(x, 0); with options: a slope below ``threshold``, a cap at ``max_value``."""
    x = _tensor(x)
    if negative_slope == 0.0 and max_value is None and threshold == 0.0:
        return _nn.relu(x)
    from ..ops.array_ops import where
    y = where(x >= threshold, x, negative_slope * (x - threshold))
    if max_value is not None:
        y = _tfm.minimum(y, _cast(max_value, y.dtype))
    return y


def softmax(x, axis=-1):
    return _nn.softmax(_tensor(x), axis=axis)


def sigmoid(x):
    return _tfm.sigmoid(_tensor(x))


def tanh(x):
    return _tfm.tanh(_tensor(x))


def linear(x):
    """The identity (what ``activation=None`` means)."""
    return x


def elu(x, alpha=1.0):
    x = _tensor(x)
    if alpha == 1.0:
        return _nn.elu(x)
    from ..ops.array_ops import where
    return where(x > 0, x, alpha * _tfm.expm1(x))


def selu(x):
    return _nn.selu(_tensor(x))


def softplus(x):
    return _tfm.softplus(_tensor(x))


def softsign(x):
    return _tfm.softsign(_tensor(x))


def silu(x):
    return _nn.silu(_tensor(x))


swish = silu


def gelu(x, approximate=False):
    return _nn.gelu(_tensor(x), approximate=approximate)


def exponential(x):
    return _tfm.exp(_tensor(x))


def leaky_relu(x, negative_slope=0.2):
    return _nn.leaky_relu(_tensor(x), alpha=negative_slope)


def relu6(x):
    return _nn.relu6(_tensor(x))


def log_softmax(x, axis=-1):
    return _nn.log_softmax(_tensor(x), axis=axis)


def log_sigmoid(x):
    return _tfm.log_sigmoid(_tensor(x))


_BY_NAME = {f.__name__: f for f in (relu, softmax, sigmoid, tanh, linear, elu, selu, softplus,
                                     softsign, silu, gelu, exponential, leaky_relu, relu6,
                                     log_softmax, log_sigmoid)}
_BY_NAME["swish"] = silu

__all__ = sorted(_BY_NAME) + ["get", "serialize"]


def get(identifier):
    """A function from a name, a callable (returned as is) or None (``linear``)."""
    if identifier is None:
        return linear
    if isinstance(identifier, str) and identifier in _BY_NAME:
        return _BY_NAME[identifier]
    if callable(identifier):
        return identifier
    raise ValueError(f"Could not interpret activation function identifier: {identifier}")


def serialize(activation):
    return activation.__name__
