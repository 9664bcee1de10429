"""``tf.keras.initializers`` (Keras 3): objects called as ``init(shape, dtype)`` that return a
Tensor of initial values; strings ("glorot_uniform", "zeros" ...) resolve through ``get``.

Random values come from tapegrad.random (NumPy's PCG64), so they never equal TF's numbers; the
distributions are Keras's (e.g. GlorotUniform draws from [-limit, limit) with limit =
sqrt(6 / (fan_in + fan_out))). An initializer given a ``seed`` returns the same values on every
call, as Keras's does; without one, values follow ``tf.random.set_seed`` or are fresh.
"""
import math

import numpy as np

from .._core import dtypes as _dt
from .._core.tensor import Tensor
from ..ops import random_ops as _random

_TRUNCATED_STDDEV = 0.87962566103423978  # stddev of a unit normal cut at +-2 standard deviations


def _dtype(dtype):
    return _dt.float32 if dtype is None else _dt.as_dtype(dtype)


def _source(seed):
    """What draws the values: a generator restarted from ``seed`` (same values each call), or
    tapegrad.random's global-seed stream."""
    if seed is None:
        return _random.normal, _random.truncated_normal, _random.uniform
    g = _random.Generator.from_seed(seed)
    return g.normal, g.truncated_normal, g.uniform


class Initializer:
    """Base class: subclasses implement ``__call__(shape, dtype=None)``."""

    def __call__(self, shape, dtype=None):
        raise NotImplementedError("Initializer subclasses must implement `__call__()`.")

    def get_config(self):
        return {}

    @classmethod
    def from_config(cls, config):
        return cls(**config)

    def clone(self):
        return self.__class__.from_config(self.get_config())


class Constant(Initializer):
    def __init__(self, value=0.0):
        self.value = value

    def __call__(self, shape, dtype=None):
        dt = _dtype(dtype)
        return Tensor(np.full(tuple(shape), self.value, dt._np), dt)

    def get_config(self):
        return {"value": self.value}


class Zeros(Constant):
    def __init__(self):
        super().__init__(0.0)

    def get_config(self):
        return {}


class Ones(Constant):
    def __init__(self):
        super().__init__(1.0)

    def get_config(self):
        return {}


class RandomNormal(Initializer):
    def __init__(self, mean=0.0, stddev=0.05, seed=None):
        self.mean, self.stddev, self.seed = mean, stddev, seed

    def __call__(self, shape, dtype=None):
        return _source(self.seed)[0](tuple(shape), self.mean, self.stddev, dtype=_dtype(dtype))

    def get_config(self):
        return {"mean": self.mean, "stddev": self.stddev, "seed": self.seed}


class TruncatedNormal(RandomNormal):
    """Normal values redrawn when more than two standard deviations from the mean."""

    def __call__(self, shape, dtype=None):
        return _source(self.seed)[1](tuple(shape), self.mean, self.stddev, dtype=_dtype(dtype))


class RandomUniform(Initializer):
    def __init__(self, minval=-0.05, maxval=0.05, seed=None):
        self.minval, self.maxval, self.seed = minval, maxval, seed

    def __call__(self, shape, dtype=None):
        return _source(self.seed)[2](tuple(shape), self.minval, self.maxval, dtype=_dtype(dtype))

    def get_config(self):
        return {"minval": self.minval, "maxval": self.maxval, "seed": self.seed}


def _fans(shape):
    """(fan_in, fan_out) as Keras computes them; a conv kernel's leading axes multiply both."""
    shape = tuple(shape)
    if len(shape) == 0:
        return 1, 1
    if len(shape) == 1:
        return shape[0], shape[0]
    if len(shape) == 2:
        return shape[0], shape[1]
    receptive = math.prod(shape[:-2])
    return shape[-2] * receptive, shape[-1] * receptive


class VarianceScaling(Initializer):
    """Values with variance ``scale / n``, n = fan_in, fan_out or their mean (``mode``)."""

    def __init__(self, scale=1.0, mode="fan_in", distribution="truncated_normal", seed=None):
        if scale <= 0.0:
            raise ValueError("Argument `scale` must be positive float. "
                             f"Received: scale={scale}")
        if mode not in ("fan_in", "fan_out", "fan_avg"):
            raise ValueError("Invalid `mode` argument: expected one of {'fan_in', 'fan_out', "
                             f"'fan_avg'}}. Received: mode={mode}")
        distribution = distribution.lower()
        if distribution == "normal":
            distribution = "truncated_normal"
        if distribution not in ("uniform", "truncated_normal", "untruncated_normal"):
            raise ValueError("Invalid `distribution` argument: expected one of {'uniform', "
                             "'truncated_normal', 'untruncated_normal'}. "
                             f"Received: distribution={distribution}")
        self.scale, self.mode, self.distribution, self.seed = scale, mode, distribution, seed

    def __call__(self, shape, dtype=None):
        fan_in, fan_out = _fans(shape)
        n = {"fan_in": fan_in, "fan_out": fan_out, "fan_avg": (fan_in + fan_out) / 2.0}[self.mode]
        variance = self.scale / max(1.0, n)
        normal, truncated, uniform = _source(self.seed)
        shape, dt = tuple(shape), _dtype(dtype)
        if self.distribution == "truncated_normal":
            return truncated(shape, 0.0, math.sqrt(variance) / _TRUNCATED_STDDEV, dtype=dt)
        if self.distribution == "untruncated_normal":
            return normal(shape, 0.0, math.sqrt(variance), dtype=dt)
        limit = math.sqrt(3.0 * variance)
        return uniform(shape, -limit, limit, dtype=dt)

    def get_config(self):
        return {"scale": self.scale, "mode": self.mode, "distribution": self.distribution,
                "seed": self.seed}


def _preset(name, scale, mode, distribution):
    def __init__(self, seed=None):
        VarianceScaling.__init__(self, scale, mode, distribution, seed)

    def get_config(self):
        return {"seed": self.seed}
    return type(name, (VarianceScaling,), {"__init__": __init__, "get_config": get_config,
                                           "__module__": __name__,
                                           "__doc__": f"VarianceScaling({scale}, {mode!r}, "
                                                      f"{distribution!r})."})


GlorotUniform = _preset("GlorotUniform", 1.0, "fan_avg", "uniform")
GlorotNormal = _preset("GlorotNormal", 1.0, "fan_avg", "truncated_normal")
HeNormal = _preset("HeNormal", 2.0, "fan_in", "truncated_normal")
HeUniform = _preset("HeUniform", 2.0, "fan_in", "uniform")
LecunNormal = _preset("LecunNormal", 1.0, "fan_in", "truncated_normal")
LecunUniform = _preset("LecunUniform", 1.0, "fan_in", "uniform")

# Keras's snake_case aliases name the same classes.
constant, zeros, ones = Constant, Zeros, Ones
random_normal, random_uniform, truncated_normal = RandomNormal, RandomUniform, TruncatedNormal
variance_scaling = VarianceScaling
glorot_uniform, glorot_normal = GlorotUniform, GlorotNormal
he_normal, he_uniform, lecun_normal, lecun_uniform = HeNormal, HeUniform, LecunNormal, LecunUniform

_BY_NAME = {n: c for n, c in globals().items() if isinstance(c, type) and
            issubclass(c, Initializer) and c is not Initializer}

__all__ = sorted(_BY_NAME) + ["Initializer", "get", "serialize", "deserialize"]


def get(identifier):
    """An initializer from a name ("glorot_uniform", "GlorotUniform"), a config dict
    ``{"class_name", "config"}``, an Initializer or a callable (returned as is), or None."""
    if identifier is None or isinstance(identifier, Initializer):
        return identifier
    if isinstance(identifier, dict) and identifier.get("class_name") in _BY_NAME:
        return _BY_NAME[identifier["class_name"]](**identifier.get("config", {}))
    if isinstance(identifier, str) and identifier in _BY_NAME:
        return _BY_NAME[identifier]()
    if callable(identifier):
        return identifier
    raise ValueError(f"Could not interpret initializer identifier: {identifier}")


def serialize(initializer):
    return {"class_name": type(initializer).__name__, "config": initializer.get_config()}


deserialize = get
