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

_REDUCTIONS = ("sum_over_batch_size", "sum", "mean", "mean_with_sample_weight", "none", None)


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
        n = y_true.shape[-1]  # Keras counts classes on the last axis whatever ``axis`` is
        y_true = y_true * (1.0 - label_smoothing) + label_smoothing / n
    if from_logits:
        return nn.softmax_cross_entropy_with_logits(labels=y_true, logits=y_pred, axis=axis)
    p = y_pred / tfm.reduce_sum(y_pred, axis=axis, keepdims=True)
    return -tfm.reduce_sum(y_true * tfm.log(_clip_probs(p)), axis=axis)


def sparse_categorical_crossentropy(y_true, y_pred, from_logits=False, ignore_class=None,
                                    axis=-1):
    from ..ops.array_ops import squeeze, where
    from ..ops.creation_ops import zeros_like
    y_pred = convert_to_tensor(y_pred)
    labels = convert_to_tensor(y_true)
    if len(labels.shape) == len(y_pred.shape) and labels.shape[axis] == 1:  # [batch, 1]
        labels = squeeze(labels, axis=axis)
    if axis != -1 and axis != len(y_pred.shape) - 1:
        raise ValueError(f"Only axis=-1 is currently supported. Received: axis={axis}")
    valid = None
    if ignore_class is not None:  # ignored positions: label 0, loss 0
        valid = tfm.not_equal(labels, cast(ignore_class, labels.dtype))
        labels = where(valid, labels, zeros_like(labels))
    if labels.dtype.is_floating:
        labels = cast(labels, "int64")
    if valid is not None:
        per = sparse_categorical_crossentropy(labels, y_pred, from_logits, None, axis)
        return where(valid, per, zeros_like(per))
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
        self.dtype = getattr(dtype, "name", dtype) or "float32"  # Keras' floatx

    def _convert(self, v):
        # Keras computes in the loss dtype: inputs of any dtype are cast to it first.
        t = convert_to_tensor(v)
        return t if t.dtype.name == self.dtype else cast(t, self.dtype)

    def call(self, y_true, y_pred):
        raise NotImplementedError

    def _mask(self, y_true, y_pred):
        return None  # which per-sample losses count (SparseCategoricalCrossentropy's ignore_class)

    def __call__(self, y_true, y_pred, sample_weight=None):
        y_true, y_pred = self._convert(y_true), self._convert(y_pred)
        per = self.call(y_true, y_pred)
        w = None if sample_weight is None else self._convert(sample_weight)
        mask = self._mask(y_true, y_pred)
        if mask is not None:  # Keras folds the mask into the weights (mean: over valid ones)
            m = cast(mask, self.dtype)
            if self.reduction in ("mean", "sum_over_batch_size"):
                total = 1
                for d in mask.shape:
                    total *= d
                m = m * tfm.divide_no_nan(cast(total, self.dtype), tfm.reduce_sum(m))
            if w is not None:
                m, w = _same_rank(m, w)
                m = w * m
            w = m
        if w is not None:
            per, w = _same_rank(per, w)
            per = per * w
        if self.reduction in (None, "none") or tuple(per.shape) in ((), (0,)):
            return per
        total = tfm.reduce_sum(per)
        if self.reduction == "sum":
            return total
        if self.reduction == "mean_with_sample_weight" and w is not None:
            return tfm.divide_no_nan(total, tfm.reduce_sum(w))
        n = 1
        for d in per.shape:
            n *= d
        return tfm.divide_no_nan(total, cast(n, total.dtype))

    def get_config(self):
        return {"name": self.name, "reduction": self.reduction}

    @classmethod
    def from_config(cls, config):
        return cls(**config)


def _same_rank(x1, x2):
    """Keras' rule for losses vs weights whose ranks differ by one: a trailing 1 is squeezed,
    except that a rank-1 partner is expanded instead."""
    from ..ops.array_ops import expand_dims, squeeze
    r1, r2 = len(x1.shape), len(x2.shape)
    if r1 == r2 + 1 and x1.shape[-1] == 1:
        return (x1, expand_dims(x2, -1)) if r2 == 1 else (squeeze(x1, -1), x2)
    if r2 == r1 + 1 and x2.shape[-1] == 1:
        return (expand_dims(x1, -1), x2) if r1 == 1 else (x1, squeeze(x2, -1))
    return x1, x2


def _snake(name):
    import re
    return re.sub(r"((?<=[a-z0-9])[A-Z]|(?!^)[A-Z](?=[a-z]))", r"_\1", name).lower()


class _LossFunctionWrapper(Loss):
    def __init__(self, fn, name=None, reduction="sum_over_batch_size", dtype=None, **kwargs):
        super().__init__(name=name, reduction=reduction, dtype=dtype)
        self._fn = fn
        self._kwargs = kwargs

    def call(self, y_true, y_pred):
        return self._fn(y_true, y_pred, **self._kwargs)

    def get_config(self):
        return {**super().get_config(), **self._kwargs}


class MeanSquaredError(_LossFunctionWrapper):
    def __init__(self, reduction="sum_over_batch_size", name="mean_squared_error", dtype=None):
        super().__init__(_mean_squared_error, name=name, reduction=reduction, dtype=dtype)


class MeanAbsoluteError(_LossFunctionWrapper):
    def __init__(self, reduction="sum_over_batch_size", name="mean_absolute_error", dtype=None):
        super().__init__(_mean_absolute_error, name=name, reduction=reduction, dtype=dtype)


class Huber(_LossFunctionWrapper):
    def __init__(self, delta=1.0, reduction="sum_over_batch_size", name="huber_loss", dtype=None):
        super().__init__(huber, name=name, reduction=reduction, dtype=dtype, delta=delta)


class BinaryCrossentropy(_LossFunctionWrapper):
    def __init__(self, from_logits=False, label_smoothing=0.0, axis=-1,
                 reduction="sum_over_batch_size", name="binary_crossentropy", dtype=None):
        super().__init__(binary_crossentropy, name=name, reduction=reduction, dtype=dtype,
                         from_logits=from_logits, label_smoothing=label_smoothing, axis=axis)


class CategoricalCrossentropy(_LossFunctionWrapper):
    def __init__(self, from_logits=False, label_smoothing=0.0, axis=-1,
                 reduction="sum_over_batch_size", name="categorical_crossentropy", dtype=None):
        super().__init__(categorical_crossentropy, name=name, reduction=reduction, dtype=dtype,
                         from_logits=from_logits, label_smoothing=label_smoothing, axis=axis)


class SparseCategoricalCrossentropy(_LossFunctionWrapper):
    def __init__(self, from_logits=False, ignore_class=None, reduction="sum_over_batch_size",
                 axis=-1, name="sparse_categorical_crossentropy", dtype=None):
        super().__init__(sparse_categorical_crossentropy, name=name, reduction=reduction,
                         dtype=dtype, from_logits=from_logits, ignore_class=ignore_class,
                         axis=axis)

    def _mask(self, y_true, y_pred):
        c = self._kwargs["ignore_class"]
        if c is None:
            return None
        from ..ops.array_ops import reshape
        return reshape(tfm.not_equal(y_true, cast(c, y_true.dtype)), y_pred.shape[:-1])


class KLDivergence(_LossFunctionWrapper):
    def __init__(self, reduction="sum_over_batch_size", name="kl_divergence", dtype=None):
        super().__init__(_kl_divergence, name=name, reduction=reduction, dtype=dtype)
