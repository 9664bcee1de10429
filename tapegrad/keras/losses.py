"""``tf.keras.losses`` (Keras 3 semantics): loss classes and their function forms.

Function forms return one loss per sample (reduced over the last axis); classes apply
``sample_weight`` and a reduction: ``"sum_over_batch_size"`` (default: sum / number of
per-sample losses), ``"sum"``, ``"mean"``, or ``None`` / ``"none"``. All are composed from
tapegrad ops, so their gradients come from the op rules.
"""
from .. import math as tfm
from .. import nn
from .._core.tensor import convert_to_tensor
from ..ops.math_ops import cast

EPSILON = 1e-7  # Keras' backend epsilon: probabilities are clipped to [eps, 1 - eps]

_REDUCTIONS = ("sum_over_batch_size", "sum", "mean", "none", None)


def _pair(y_true, y_pred):
    y_pred = convert_to_tensor(y_pred)
    y_true = cast(convert_to_tensor(y_true), y_pred.dtype)
    return y_true, y_pred


def _mean_squared_error(y_true, y_pred):
    y_true, y_pred = _pair(y_true, y_pred)
    return tfm.reduce_mean(tfm.square(y_pred - y_true), axis=-1)


def _mean_absolute_error(y_true, y_pred):
    y_true, y_pred = _pair(y_true, y_pred)
    return tfm.reduce_mean(tfm.abs(y_pred - y_true), axis=-1)


def huber(y_true, y_pred, delta=1.0):
    y_true, y_pred = _pair(y_true, y_pred)
    err = tfm.abs(y_pred - y_true)
    quad = 0.5 * tfm.square(err)
    lin = delta * err - 0.5 * delta * delta
    from ..ops.array_ops import where
    return tfm.reduce_mean(where(err <= delta, quad, lin), axis=-1)


def _clip_probs(p):
    from ..ops.clip_ops import clip_by_value
    return clip_by_value(p, EPSILON, 1.0 - EPSILON)


def binary_crossentropy(y_true, y_pred, from_logits=False, label_smoothing=0.0, axis=-1):
    y_true, y_pred = _pair(y_true, y_pred)
    if label_smoothing:
        y_true = y_true * (1.0 - label_smoothing) + 0.5 * label_smoothing
    if from_logits:
        per = nn.sigmoid_cross_entropy_with_logits(labels=y_true, logits=y_pred)
    else:
        p = _clip_probs(y_pred)
        per = -(y_true * tfm.log(p) + (1.0 - y_true) * tfm.log(1.0 - p))
    return tfm.reduce_mean(per, axis=axis)


def categorical_crossentropy(y_true, y_pred, from_logits=False, label_smoothing=0.0, axis=-1):
    y_true, y_pred = _pair(y_true, y_pred)
    if label_smoothing:
        n = y_pred.shape[axis]
        y_true = y_true * (1.0 - label_smoothing) + label_smoothing / n
    if from_logits:
        return nn.softmax_cross_entropy_with_logits(labels=y_true, logits=y_pred, axis=axis)
    p = y_pred / tfm.reduce_sum(y_pred, axis=axis, keepdims=True)
    return -tfm.reduce_sum(y_true * tfm.log(_clip_probs(p)), axis=axis)


def sparse_categorical_crossentropy(y_true, y_pred, from_logits=False, ignore_class=None,
                                    axis=-1):
    y_pred = convert_to_tensor(y_pred)
    labels = convert_to_tensor(y_true)
    if labels.dtype.is_floating:
        labels = cast(labels, "int64")
    if len(labels.shape) == len(y_pred.shape):  # labels given as [batch, 1]
        from ..ops.array_ops import squeeze
        labels = squeeze(labels, axis=-1)
    if from_logits:
        return nn.sparse_softmax_cross_entropy_with_logits(labels=labels, logits=y_pred)
    p = y_pred / tfm.reduce_sum(y_pred, axis=axis, keepdims=True)
    logp = tfm.log(_clip_probs(p))
    from ..ops.array_ops import one_hot
    mask = one_hot(labels, y_pred.shape[axis], dtype=y_pred.dtype)
    return -tfm.reduce_sum(mask * logp, axis=axis)


def _kl_divergence(y_true, y_pred):
    y_true, y_pred = _pair(y_true, y_pred)
    from ..ops.clip_ops import clip_by_value
    t = clip_by_value(y_true, EPSILON, 1.0)
    p = clip_by_value(y_pred, EPSILON, 1.0)
    return tfm.reduce_sum(t * tfm.log(t / p), axis=-1)


# TF's aliases
mse = MSE = _mean_squared_error
mae = MAE = _mean_absolute_error
kld = KLD = kullback_leibler_divergence = _kl_divergence


class Loss:
    """Base class: ``__call__(y_true, y_pred, sample_weight=None)`` -> reduced loss."""

    def __init__(self, name=None, reduction="sum_over_batch_size", dtype=None):
        if reduction not in _REDUCTIONS:
            raise ValueError(f"Invalid value for argument `reduction`. Expected one of "
                             f"{_REDUCTIONS}. Received: reduction={reduction}")
        self.name = name or _snake(type(self).__name__)
        self.reduction = reduction

    def call(self, y_true, y_pred):
        raise NotImplementedError

    def __call__(self, y_true, y_pred, sample_weight=None):
        per = self.call(y_true, y_pred)
        if sample_weight is not None:
            w = cast(convert_to_tensor(sample_weight), per.dtype)
            while len(w.shape) > len(per.shape):
                from ..ops.array_ops import squeeze
                w = squeeze(w, axis=-1)
            per = per * w
        if self.reduction in (None, "none"):
            return per
        total = tfm.reduce_sum(per)
        if self.reduction == "sum":
            return total
        n = 1
        for d in per.shape:
            n *= d
        return total / float(max(n, 1)) if n else total * 0.0

    def get_config(self):
        return {"name": self.name, "reduction": self.reduction}

    @classmethod
    def from_config(cls, config):
        return cls(**config)


def _snake(name):
    import re
    return re.sub(r"((?<=[a-z0-9])[A-Z]|(?!^)[A-Z](?=[a-z]))", r"_\1", name).lower()


class _LossFunctionWrapper(Loss):
    def __init__(self, fn, name=None, reduction="sum_over_batch_size", **kwargs):
        super().__init__(name=name, reduction=reduction)
        self._fn = fn
        self._kwargs = kwargs

    def call(self, y_true, y_pred):
        return self._fn(y_true, y_pred, **self._kwargs)

    def get_config(self):
        return {**super().get_config(), **self._kwargs}


class MeanSquaredError(_LossFunctionWrapper):
    def __init__(self, reduction="sum_over_batch_size", name="mean_squared_error", dtype=None):
        super().__init__(_mean_squared_error, name=name, reduction=reduction)


class MeanAbsoluteError(_LossFunctionWrapper):
    def __init__(self, reduction="sum_over_batch_size", name="mean_absolute_error", dtype=None):
        super().__init__(_mean_absolute_error, name=name, reduction=reduction)


class Huber(_LossFunctionWrapper):
    def __init__(self, delta=1.0, reduction="sum_over_batch_size", name="huber_loss", dtype=None):
        super().__init__(huber, name=name, reduction=reduction, delta=delta)


class BinaryCrossentropy(_LossFunctionWrapper):
    def __init__(self, from_logits=False, label_smoothing=0.0, axis=-1,
                 reduction="sum_over_batch_size", name="binary_crossentropy", dtype=None):
        super().__init__(binary_crossentropy, name=name, reduction=reduction,
                         from_logits=from_logits, label_smoothing=label_smoothing, axis=axis)


class CategoricalCrossentropy(_LossFunctionWrapper):
    def __init__(self, from_logits=False, label_smoothing=0.0, axis=-1,
                 reduction="sum_over_batch_size", name="categorical_crossentropy", dtype=None):
        super().__init__(categorical_crossentropy, name=name, reduction=reduction,
                         from_logits=from_logits, label_smoothing=label_smoothing, axis=axis)


class SparseCategoricalCrossentropy(_LossFunctionWrapper):
    def __init__(self, from_logits=False, ignore_class=None, reduction="sum_over_batch_size",
                 name="sparse_categorical_crossentropy", dtype=None):
        super().__init__(sparse_categorical_crossentropy, name=name, reduction=reduction,
                         from_logits=from_logits)


class KLDivergence(_LossFunctionWrapper):
    def __init__(self, reduction="sum_over_batch_size", name="kl_divergence", dtype=None):
        super().__init__(_kl_divergence, name=name, reduction=reduction)
