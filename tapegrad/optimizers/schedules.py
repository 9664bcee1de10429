"""Learning-rate schedules (``tf.keras.optimizers.schedules``), Keras 3 semantics.

A schedule is called with the optimizer's step counter (before the step's increment) and
returns a scalar float32 Tensor. The arithmetic is float32 throughout, as Keras computes it.
"""
import math

import numpy as np

from .._core import dtypes as _dt
from .._core.tensor import Tensor

_f32 = np.float32


def _step(step):
    """The integer step a schedule was called with: an int, a Tensor, a Variable or an array."""
    v = getattr(step, "_value", step)
    return np.asarray(v)


def _out(x):
    arr = np.asarray(x, dtype=np.float32)
    arr.flags.writeable = False
    return Tensor(arr, _dt.float32)


def _check_steps(name, value):
    if value <= 0:
        raise ValueError(f"Argument `{name}` must be > 0. Received: {name}={value}")


class LearningRateSchedule:
    """Base class: ``schedule(step)`` gives the learning rate for an optimizer step."""

    def __call__(self, step):
        raise NotImplementedError(
            f"Learning rate schedule '{self.__class__.__name__}' must override "
            "`__call__(self, step)`.")

    def get_config(self):
        raise NotImplementedError(
            f"Learning rate schedule '{self.__class__.__name__}' must override `get_config()` "
            "in order to be serializable.")

    @classmethod
    def from_config(cls, config):
        """Rebuilds the schedule from ``get_config()``'s output."""
        return cls(**config)


class _RateDecay(LearningRateSchedule):
    """The arguments, checks, config and ``step / decay_steps`` (floored when ``staircase``)
    that ExponentialDecay and InverseTimeDecay share; they differ only in the formula."""

    def __init__(self, initial_learning_rate, decay_steps, decay_rate, staircase, name):
        self.initial_learning_rate = initial_learning_rate
        self.decay_steps = decay_steps
        self.decay_rate = decay_rate
        self.staircase = staircase
        self.name = name
        _check_steps("decay_steps", decay_steps)

    def _progress(self, step):
        p = _step(step).astype(_f32) / _f32(self.decay_steps)
        return np.floor(p) if self.staircase else p

    def get_config(self):
        return {"initial_learning_rate": self.initial_learning_rate,
                "decay_steps": self.decay_steps, "decay_rate": self.decay_rate,
                "staircase": self.staircase, "name": self.name}


class ExponentialDecay(_RateDecay):
    """``lr0 * decay_rate ** (step / decay_steps)`` (exponent floored when ``staircase``)."""

    def __init__(self, initial_learning_rate, decay_steps, decay_rate, staircase=False,
                 name="ExponentialDecay"):
        super().__init__(initial_learning_rate, decay_steps, decay_rate, staircase, name)

    def __call__(self, step):
        p = self._progress(step)
        return _out(_f32(self.initial_learning_rate) * np.power(_f32(self.decay_rate), p))


class PiecewiseConstantDecay(LearningRateSchedule):
    """``values[i]`` on the i-th interval; a step equal to a boundary belongs to the left one."""

    def __init__(self, boundaries, values, name="PiecewiseConstant"):
        if len(boundaries) != len(values) - 1:
            raise ValueError(
                "The length of boundaries should be 1 less than the length of values. "
                f"Received: boundaries={boundaries} of length {len(boundaries)}, and "
                f"values={values} of length {len(values)}.")
        self.boundaries = boundaries
        self.values = values
        self.name = name

    def __call__(self, step):
        s = _step(step)
        i = int(np.searchsorted(np.asarray(self.boundaries), s, side="left"))
        return _out(self.values[i])

    def get_config(self):
        return {"boundaries": self.boundaries, "values": self.values, "name": self.name}


class PolynomialDecay(LearningRateSchedule):
    """``(lr0 - end) * (1 - step/decay_steps) ** power + end``; ``cycle`` restarts the decay
    over the first multiple of ``decay_steps`` above the step."""

    def __init__(self, initial_learning_rate, decay_steps, end_learning_rate=0.0001, power=1.0,
                 cycle=False, name="PolynomialDecay"):
        self.initial_learning_rate = initial_learning_rate
        self.decay_steps = decay_steps
        self.end_learning_rate = end_learning_rate
        self.power = power
        self.cycle = cycle
        self.name = name
        _check_steps("decay_steps", decay_steps)

    def __call__(self, step):
        s = _step(step).astype(_f32)
        steps = _f32(self.decay_steps)
        if self.cycle:
            mult = _f32(1.0) if s == 0 else np.ceil(s / steps)
            steps = steps * mult
        else:
            s = np.minimum(s, steps)
        p = s / steps
        end = _f32(self.end_learning_rate)
        lr0 = _f32(self.initial_learning_rate)
        return _out((lr0 - end) * np.power(_f32(1) - p, _f32(self.power)) + end)

    def get_config(self):
        return {"initial_learning_rate": self.initial_learning_rate,
                "decay_steps": self.decay_steps, "end_learning_rate": self.end_learning_rate,
                "power": self.power, "cycle": self.cycle, "name": self.name}


class InverseTimeDecay(_RateDecay):
    """``lr0 / (1 + decay_rate * step / decay_steps)`` (ratio floored when ``staircase``)."""

    def __init__(self, initial_learning_rate, decay_steps, decay_rate, staircase=False,
                 name="InverseTimeDecay"):
        super().__init__(initial_learning_rate, decay_steps, decay_rate, staircase, name)

    def __call__(self, step):
        p = self._progress(step)
        return _out(_f32(self.initial_learning_rate) / (_f32(1) + _f32(self.decay_rate) * p))


def _cosine(fraction, alpha):
    decayed = _f32(0.5) * (_f32(1) + np.cos(_f32(math.pi) * fraction))
    return (_f32(1) - _f32(alpha)) * decayed + _f32(alpha)


class CosineDecay(LearningRateSchedule):
    """Optional linear warmup from ``initial_learning_rate`` to ``warmup_target`` over
    ``warmup_steps``, then a half-cosine decay to ``alpha`` times the peak over ``decay_steps``."""

    def __init__(self, initial_learning_rate, decay_steps, alpha=0.0, name="CosineDecay",
                 warmup_target=None, warmup_steps=0):
        self.initial_learning_rate = initial_learning_rate
        self.decay_steps = decay_steps
        self.alpha = alpha
        self.name = name
        self.warmup_steps = warmup_steps
        self.warmup_target = warmup_target
        _check_steps("decay_steps", decay_steps)

    def __call__(self, step):
        s = _step(step).astype(_f32)
        lr0 = _f32(self.initial_learning_rate)
        steps = _f32(self.decay_steps)
        if self.warmup_target is None:
            return _out(lr0 * _cosine(np.minimum(s, steps) / steps, self.alpha))
        target = _f32(self.warmup_target)
        warm = _f32(self.warmup_steps)
        s = np.minimum(s, steps + warm)
        if s < warm:
            return _out((target - lr0) * (s / warm) + lr0)
        return _out(target * _cosine((s - warm) / steps, self.alpha))

    def get_config(self):
        return {"initial_learning_rate": self.initial_learning_rate,
                "decay_steps": self.decay_steps, "alpha": self.alpha, "name": self.name,
                "warmup_target": self.warmup_target, "warmup_steps": self.warmup_steps}


class CosineDecayRestarts(LearningRateSchedule):
    """Cosine decay with warm restarts (SGDR): period i lasts ``first_decay_steps * t_mul**i``
    steps and starts at ``initial_learning_rate * m_mul**i``."""

    def __init__(self, initial_learning_rate, first_decay_steps, t_mul=2.0, m_mul=1.0, alpha=0.0,
                 name="SGDRDecay"):
        self.initial_learning_rate = initial_learning_rate
        self.first_decay_steps = first_decay_steps
        self._t_mul = t_mul
        self._m_mul = m_mul
        self.alpha = alpha
        self.name = name
        _check_steps("first_decay_steps", first_decay_steps)

    def __call__(self, step):
        frac = _step(step).astype(_f32) / _f32(self.first_decay_steps)
        t_mul = _f32(self._t_mul)
        if t_mul == 1:
            restart = np.floor(frac)
            frac = frac - restart
        else:
            # Index of the current period from the geometric sum of the period lengths.
            restart = np.floor(np.log(_f32(1) - frac * (_f32(1) - t_mul)) / np.log(t_mul))
            done = (_f32(1) - np.power(t_mul, restart)) / (_f32(1) - t_mul)
            frac = (frac - done) / np.power(t_mul, restart)
        m_fac = np.power(_f32(self._m_mul), restart)
        decayed = _f32(0.5) * m_fac * (_f32(1) + np.cos(_f32(math.pi) * frac))
        alpha = _f32(self.alpha)
        return _out(_f32(self.initial_learning_rate) * ((_f32(1) - alpha) * decayed + alpha))

    def get_config(self):
        return {"initial_learning_rate": self.initial_learning_rate,
                "first_decay_steps": self.first_decay_steps, "t_mul": self._t_mul,
                "m_mul": self._m_mul, "alpha": self.alpha, "name": self.name}


_CLASSES = {c.__name__: c for c in (ExponentialDecay, PiecewiseConstantDecay, PolynomialDecay,
                                     InverseTimeDecay, CosineDecay, CosineDecayRestarts)}


def serialize(learning_rate_schedule):
    """The Keras 3 serialization dict of a schedule."""
    return {"module": "keras.optimizers.schedules",
            "class_name": type(learning_rate_schedule).__name__,
            "config": learning_rate_schedule.get_config(), "registered_name": None}


def deserialize(config, custom_objects=None):
    """Rebuilds a schedule from ``serialize()``'s output (or ``{"class_name", "config"}``)."""
    name = config["class_name"]
    cls = (custom_objects or {}).get(name) or _CLASSES.get(name)
    if cls is None:
        raise ValueError(f"Could not interpret decay identifier: {name}")
    return cls.from_config(config["config"])
