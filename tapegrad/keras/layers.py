"""``tf.keras.layers`` (Keras 3 semantics, eager only): the ``Layer`` base class and the core
layers Dense, Flatten, Dropout, Activation, ReLU, Softmax.

A layer builds its weights on its first call, from the input's shape. Weights are
``KerasVariable``s: tapegrad Variables (so tapes, optimizers and ``tf.train.Checkpoint`` use
them as they are) with Keras 3's short ``name`` ("kernel") and ``path`` ("dense/kernel", or
"sequential/dense/kernel" when built inside a Sequential's call). Sublayers and weights are found
through attributes in assignment order, as Keras tracks them. Names are unique per base name
("dense", "dense_1" ...), from the same counter as optimizer names, as in Keras.
Differences from Keras: no symbolic tensors, InputSpec, masks, dtype policies beyond a plain
``dtype``, or Dropout seed-generator variable (Keras lists one as a non-trainable variable).
"""
import inspect
import math
import threading

import numpy as np

from .. import nn as _nn
from .._core import dtypes as _dt
from .._core.tensor import Tensor, convert_to_tensor
from .._core.variables import Variable
from ..module import _collect, _leaves
from ..ops.array_ops import reshape
from ..ops.linalg_ops import matmul, tensordot
from ..ops.math_ops import cast
from ..optimizers._arrays import _auto_name
from . import activations, initializers

__all__ = ["Layer", "Dense", "Flatten", "Dropout", "Activation", "ReLU", "Softmax"]

_state = threading.local()  # .scopes: the layers whose __call__/build is running (path prefix)


def _scopes():
    s = getattr(_state, "scopes", None)
    if s is None:
        s = _state.scopes = []
    return s


class KerasVariable(Variable):
    """A layer weight: a tapegrad Variable named as Keras 3 names it (``name`` "kernel",
    ``path`` "dense/kernel")."""

    def __init__(self, initial_value, name, path, trainable=True, dtype=None):
        super().__init__(initial_value, trainable=trainable, name=path, dtype=dtype)
        self._keras_name, self._path = name, path

    @property
    def name(self):
        return self._keras_name

    @property
    def path(self):
        return self._path

    @property
    def trainable(self):
        return self._trainable

    @trainable.setter
    def trainable(self, value):
        self._trainable = bool(value)

    def __repr__(self):
        v = self._value
        return (f"<Variable path={self._path}, shape={tuple(v.shape)}, "
                f"dtype={self._dtype.name}, value={v[()] if v.ndim == 0 else v}>")

    __str__ = __repr__


_BOOKKEEPING = frozenset({"_name", "_own_weights", "_trainable", "built", "_dtype",
                          "_call_takes_training", "_build_shape"})


class Layer:
    """Base class: override ``build(input_shape)`` (create weights with ``add_weight``) and
    ``call(inputs, training=None)``; call the layer, not ``call``."""

    def __init__(self, trainable=True, name=None, dtype=None, **kwargs):
        unknown = set(kwargs) - {"input_shape", "input_dim", "autocast"}
        if unknown:
            raise TypeError(f"Unrecognized keyword arguments passed to {type(self).__name__}: "
                            f"{ {k: kwargs[k] for k in sorted(unknown)} }")
        self._name = name if name is not None else _auto_name(type(self).__name__)
        self._dtype = _dt.float32 if dtype is None else _dt.as_dtype(dtype)
        self._own_weights = []
        self._trainable = bool(trainable)
        self.built = False
        params = inspect.signature(self.call).parameters
        self._call_takes_training = "training" in params or any(
            p.kind is p.VAR_KEYWORD for p in params.values())

    # -- identity -------------------------------------------------------------------------------
    @property
    def name(self):
        return self._name

    @property
    def dtype(self):
        return self._dtype.name

    @property
    def trainable(self):
        return self._trainable

    @trainable.setter
    def trainable(self, value):
        """Freezing a layer freezes its weights and its sublayers' (Keras 3)."""
        value = bool(value)
        for layer in self._flatten_layers():
            layer._trainable = value
            for w in layer._own_weights:
                w.trainable = value

    def __repr__(self):
        return f"<{type(self).__name__} name={self._name}, built={self.built}>"

    # -- weights ------------------------------------------------------------------------------
    def add_weight(self, shape=None, initializer=None, dtype=None, trainable=True, name=None,
                   **kwargs):
        """Creates, tracks and returns a weight; its path is the running layers' names/name."""
        dt = self._dtype if dtype is None else _dt.as_dtype(dtype)
        if initializer is None:
            initializer = "glorot_uniform" if dt.is_floating else "zeros"
        init = initializers.get(initializer)
        shape = () if shape is None else tuple(int(d) for d in shape)
        value = init(shape, dtype=dt)
        name = name or "variable"
        scopes = [layer.name for layer in _scopes()]
        if not scopes or _scopes()[-1] is not self:
            scopes.append(self._name)
        var = KerasVariable(value, name, "/".join(scopes + [name]),
                            trainable=trainable and self._trainable, dtype=dt)
        self._own_weights.append(var)
        return var

    def _attribute_leaves(self):
        for key, value in vars(self).items():
            if key not in _BOOKKEEPING:
                yield from _leaves(value)

    def _sublayers(self):
        """Directly tracked layers, in attribute assignment order, each once."""
        out, seen = [], {id(self)}
        for leaf in self._attribute_leaves():
            if isinstance(leaf, Layer) and id(leaf) not in seen:
                seen.add(id(leaf))
                out.append(leaf)
        return out

    def _flatten_layers(self):
        out, seen, stack = [], set(), [self]
        while stack:
            layer = stack.pop(0)
            if id(layer) not in seen:
                seen.add(id(layer))
                out.append(layer)
                stack[:0] = layer._sublayers()
        return out

    @property
    def weights(self):
        """Own weights (created order, then Variables assigned as attributes), then each
        sublayer's, each once."""
        out, seen = [], set()

        def add(v):
            if id(v) not in seen:
                seen.add(id(v))
                out.append(v)
        for v in self._own_weights:
            add(v)
        for leaf in self._attribute_leaves():
            if isinstance(leaf, Variable):
                add(leaf)
        for layer in self._sublayers():
            for v in layer.weights:
                add(v)
        return out

    @property
    def trainable_weights(self):
        return [v for v in self.weights if v.trainable] if self._trainable else []

    @property
    def non_trainable_weights(self):
        if not self._trainable:
            return self.weights
        return [v for v in self.weights if not v.trainable]

    trainable_variables = trainable_weights
    non_trainable_variables = non_trainable_weights
    variables = weights

    def get_weights(self):
        return [v.numpy() for v in self.weights]

    def set_weights(self, weights):
        mine = self.weights
        if len(weights) != len(mine):
            raise ValueError(f"You called `set_weights(weights)` on layer '{self._name}' with a "
                             f"weight list of length {len(weights)}, but the layer was "
                             f"expecting {len(mine)} weights.")
        for v, w in zip(mine, weights):
            v.assign(w)

    def _checkpoint_children(self):
        """name -> weights and sublayers, from attributes; unassigned weights by their name."""
        children = {}
        for key, value in vars(self).items():
            if key not in _BOOKKEEPING:
                _collect(key.lstrip("_") or key, value, children)
        listed = {id(c) for c in children.values()}
        for v in self._own_weights:
            if id(v) not in listed:
                children.setdefault(v.name, v)
        return children

    # -- calling ----------------------------------------------------------------------------
    def build(self, input_shape):
        self.built = True

    def call(self, inputs, *args, **kwargs):
        return inputs

    def _convert_input(self, x):
        """Keras autocasts floating inputs to the layer's dtype; other values pass unchanged."""
        if isinstance(x, (list, tuple, dict)) or x is None:
            return x
        if not isinstance(x, (Tensor, Variable)):
            arr = np.asarray(x)
            x = convert_to_tensor(x, dtype=self._dtype if arr.dtype.kind == "f" else None)
        if x.dtype.is_floating and x.dtype is not self._dtype:
            x = cast(x, self._dtype)
        return x

    def __call__(self, inputs, *args, training=None, **kwargs):
        inputs = self._convert_input(inputs)
        outer = getattr(_state, "training", None)
        if training is None:
            training = outer  # a nested call inherits the outer call's training flag
        scopes = _scopes()
        scopes.append(self)
        _state.training = training
        try:
            if not self.built:
                shape = getattr(inputs, "shape", None)
                self.build(tuple(shape) if shape is not None else None)
                self.built = True
                self._build_shape = None if shape is None else tuple(shape)
            self._check_input(inputs)
            if self._call_takes_training:
                kwargs["training"] = training
            return self.call(inputs, *args, **kwargs)
        finally:
            scopes.pop()
            _state.training = outer

    def _check_input(self, inputs):
        """Layers with an input contract (Dense) check each call's input against it."""

    def _incompatible(self, what, inputs):
        return ValueError(f"Input 0 with name 'None' of layer '{self._name}' is incompatible "
                          f"with the layer: {what}, but received input with shape "
                          f"{tuple(inputs.shape)}")


class Dense(Layer):
    """``activation(inputs @ kernel + bias)``, applied along the last axis of any-rank input."""

    def __init__(self, units, activation=None, use_bias=True, kernel_initializer="glorot_uniform",
                 bias_initializer="zeros", kernel_regularizer=None, bias_regularizer=None,
                 activity_regularizer=None, kernel_constraint=None, bias_constraint=None,
                 **kwargs):
        super().__init__(**kwargs)
        if not isinstance(units, (int, np.integer)) or isinstance(units, bool) or units <= 0:
            raise ValueError("Received an invalid value for `units`, expected a positive "
                             f"integer. Received: units={units}")
        self.units = int(units)
        self.activation = activations.get(activation)
        self.use_bias = bool(use_bias)
        self.kernel_initializer = initializers.get(kernel_initializer)
        self.bias_initializer = initializers.get(bias_initializer)

    def build(self, input_shape):
        if input_shape is None or len(input_shape) < 2:
            raise ValueError(f"Input 0 with name 'None' of layer '{self._name}' is incompatible "
                             f"with the layer: expected min_ndim=2, found "
                             f"ndim={0 if input_shape is None else len(input_shape)}. Full "
                             f"shape received: {tuple(input_shape or ())}")
        self.kernel = self.add_weight(shape=(input_shape[-1], self.units),
                                      initializer=self.kernel_initializer, name="kernel")
        self.bias = (self.add_weight(shape=(self.units,), initializer=self.bias_initializer,
                                     name="bias") if self.use_bias else None)

    def _check_input(self, inputs):
        shape = tuple(inputs.shape)
        if len(shape) < 2:
            raise ValueError(f"Input 0 with name 'None' of layer '{self._name}' is incompatible "
                             f"with the layer: expected min_ndim=2, found ndim={len(shape)}. "
                             f"Full shape received: {shape}")
        expected = self.kernel.shape[0]
        if shape[-1] != expected:
            raise self._incompatible(f"expected axis -1 of input shape to have value {expected}",
                                     inputs)

    def call(self, inputs):
        if len(inputs.shape) == 2:
            y = matmul(inputs, self.kernel)
        else:
            y = tensordot(inputs, self.kernel, [[len(inputs.shape) - 1], [0]])
        if self.bias is not None:
            y = y + self.bias
        return self.activation(y)


class Flatten(Layer):
    """Keeps the batch axis and flattens the rest: (b, d1, d2 ...) -> (b, d1*d2*...)."""

    def __init__(self, data_format=None, **kwargs):
        super().__init__(**kwargs)
        self.data_format = data_format or "channels_last"

    def call(self, inputs):
        shape = tuple(inputs.shape)
        if self.data_format == "channels_first" and len(shape) > 2:
            from ..ops.array_ops import transpose
            inputs = transpose(inputs, [0] + list(range(2, len(shape))) + [1])
            shape = tuple(inputs.shape)
        return reshape(inputs, [shape[0], math.prod(shape[1:])])


class Dropout(Layer):
    """Zeroes inputs with probability ``rate`` and scales the rest by 1/(1-rate), only when
    called with ``training=True``; draws from tapegrad.random (``seed`` is an op seed)."""

    def __init__(self, rate, noise_shape=None, seed=None, **kwargs):
        super().__init__(**kwargs)
        if not (isinstance(rate, (int, float)) and 0 <= rate <= 1):
            raise ValueError("Invalid value received for argument `rate`. Expected a float value "
                             f"between 0 and 1. Received: rate={rate}")
        self.rate, self.noise_shape, self.seed = rate, noise_shape, seed

    def call(self, inputs, training=False):
        if training and self.rate > 0:
            if self.rate == 1:
                return inputs * 0.0
            return _nn.dropout(inputs, self.rate, noise_shape=self.noise_shape, seed=self.seed)
        return inputs


class Activation(Layer):
    def __init__(self, activation, **kwargs):
        super().__init__(**kwargs)
        self.activation = activations.get(activation)

    def call(self, inputs):
        return self.activation(inputs)


class ReLU(Layer):
    """``relu`` with Keras's options: ``max_value`` cap, ``negative_slope`` below
    ``threshold``."""

    def __init__(self, max_value=None, negative_slope=0.0, threshold=0.0, **kwargs):
        super().__init__(**kwargs)
        if max_value is not None and max_value < 0.0:
            raise ValueError("max_value of a ReLU layer cannot be a negative value. Received: "
                             f"max_value={max_value}")
        if negative_slope is None or negative_slope < 0.0:
            raise ValueError("negative_slope of a ReLU layer cannot be a negative value. "
                             f"Received: negative_slope={negative_slope}")
        if threshold is None or threshold < 0.0:
            raise ValueError("threshold of a ReLU layer cannot be a negative value. Received: "
                             f"threshold={threshold}")
        self.max_value, self.negative_slope, self.threshold = max_value, negative_slope, threshold

    def call(self, inputs):
        return activations.relu(inputs, negative_slope=self.negative_slope,
                                max_value=self.max_value, threshold=self.threshold)


class Softmax(Layer):
    def __init__(self, axis=-1, **kwargs):
        super().__init__(**kwargs)
        self.axis = axis

    def call(self, inputs, mask=None):
        return activations.softmax(inputs, axis=self.axis)
