"""``tf.keras.metrics``: streaming Mean and accuracies, their state kept in Variables."""
import numpy as np

from .._core import dtypes as _dt
from .._core.tensor import convert_to_tensor
from .._core.variables import Variable


class Metric:
    """``update_state`` accumulates, ``result`` reads, ``reset_state`` clears."""

    def __init__(self, name=None, dtype=None):
        self.name = name or type(self).__name__.lower()
        self.dtype = _dt.as_dtype(dtype or "float32")
        self.total = Variable(0.0, dtype=self.dtype, trainable=False, name="total")
        self.count = Variable(0.0, dtype=self.dtype, trainable=False, name="count")

    @property
    def variables(self):
        return [self.total, self.count]

    def _accumulate(self, values, sample_weight=None):
        v = np.asarray(convert_to_tensor(values).numpy(), np.float64)
        if sample_weight is None:
            w = np.ones_like(v)
        else:
            w = np.asarray(convert_to_tensor(sample_weight).numpy(), np.float64)
            while w.ndim < v.ndim:  # per-sample weights apply to every value of the sample
                w = w[..., None]
            w = np.broadcast_to(w, v.shape)
        self.total.assign_add(float(np.sum(v * w)))
        self.count.assign_add(float(np.sum(w)))

    def result(self):
        t, c = self.total.numpy(), self.count.numpy()
        return convert_to_tensor(np.asarray(t / c if c else 0.0, self.dtype._np))

    def reset_state(self):
        self.total.assign(0.0)
        self.count.assign(0.0)

    reset_states = reset_state

    def __call__(self, *args, **kwargs):
        self.update_state(*args, **kwargs)
        return self.result()

    def _checkpoint_children(self):
        return {"total": self.total, "count": self.count}


class Mean(Metric):
    def __init__(self, name="mean", dtype=None):
        super().__init__(name, dtype)

    def update_state(self, values, sample_weight=None):
        self._accumulate(values, sample_weight)


class Accuracy(Metric):
    def __init__(self, name="accuracy", dtype=None):
        super().__init__(name, dtype)

    def update_state(self, y_true, y_pred, sample_weight=None):
        t = np.asarray(convert_to_tensor(y_true).numpy())
        p = np.asarray(convert_to_tensor(y_pred).numpy())
        self._accumulate((t == p).astype(np.float32), sample_weight)


class SparseCategoricalAccuracy(Metric):
    def __init__(self, name="sparse_categorical_accuracy", dtype=None):
        super().__init__(name, dtype)

    def update_state(self, y_true, y_pred, sample_weight=None):
        t = np.asarray(convert_to_tensor(y_true).numpy())
        p = np.asarray(convert_to_tensor(y_pred).numpy())
        if t.ndim == p.ndim:
            t = t.reshape(t.shape[:-1])
        self._accumulate((np.argmax(p, axis=-1) == t).astype(np.float32), sample_weight)


class CategoricalAccuracy(Metric):
    def __init__(self, name="categorical_accuracy", dtype=None):
        super().__init__(name, dtype)

    def update_state(self, y_true, y_pred, sample_weight=None):
        t = np.asarray(convert_to_tensor(y_true).numpy())
        p = np.asarray(convert_to_tensor(y_pred).numpy())
        self._accumulate((np.argmax(p, -1) == np.argmax(t, -1)).astype(np.float32),
                         sample_weight)
