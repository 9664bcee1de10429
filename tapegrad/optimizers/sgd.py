"""SGD (with momentum / Nesterov) and Lion, Keras 3 semantics (tf_semantics.md 6.5)."""
import numpy as np

from ._arrays import _cast, _Rows, _subtract, _write
from .optimizer import Optimizer, _base_args, _params


class SGD(Optimizer):
    """Gradient descent: ``var -= lr * g``; with momentum ``m = momentum*m - lr*g``,
    ``var += m`` (Nesterov: ``var += momentum*m - lr*g``)."""

    def __init__(self, learning_rate=0.01, momentum=0.0, nesterov=False, weight_decay=None,
                 clipnorm=None, clipvalue=None, global_clipnorm=None, use_ema=False,
                 ema_momentum=0.99, ema_overwrite_frequency=None, loss_scale_factor=None,
                 gradient_accumulation_steps=None, name=None, **kwargs):
        super().__init__(**_base_args(locals()))
        if not isinstance(momentum, float) or momentum < 0 or momentum > 1:
            raise ValueError("`momentum` must be a float between [0, 1].")
        self.momentum = momentum
        self.nesterov = nesterov

    def build(self, variables):
        """Creates a momentum slot per variable when ``momentum`` is not 0."""
        if self.built:
            return
        super().build(variables)
        self.momentums = []
        if self.momentum != 0:
            self.momentums = self.add_optimizer_variables(variables, "momentum")

    def _update_all(self, arrays, variables):
        if self.momentum != 0 or self.weight_decay is not None:
            return super()._update_all(arrays, variables)
        # Plain SGD, the benchmark's hot path: one NumPy expression and one write per variable.
        lr = self._lr_value()
        for a, v in zip(arrays, variables):
            typ = v._dtype._np.type
            if a.__class__ is _Rows:
                self._update(0, v, None, typ(lr), a)
            else:
                _subtract(v, a * (lr if lr.__class__ is typ else typ(lr)))

    def _update(self, i, var, g, lr, rows):
        x = var._value
        if self.momentum == 0:
            if rows is None:
                del x  # the variable's array may be reused in place (see _subtract)
                _subtract(var, g * lr)
            else:  # scatter: only the rows named by the indices change
                new = x.copy()
                np.subtract.at(new, rows.indices, rows.values * lr)
                _write(var, new)
            return
        m = self.momentums[i]
        mu = _cast(self.momentum, x.dtype.type)
        m_new = m._value * mu - g * lr
        _write(m, m_new)
        _write(var, x + (m_new * mu - g * lr) if self.nesterov else x + m_new)

    get_config = _params("momentum", "nesterov")


class Lion(Optimizer):
    """Lion: ``var -= lr * sign(beta_1*m + (1-beta_1)*g)``; ``m = beta_2*m + (1-beta_2)*g``."""

    def __init__(self, learning_rate=0.001, beta_1=0.9, beta_2=0.99, weight_decay=None,
                 clipnorm=None, clipvalue=None, global_clipnorm=None, use_ema=False,
                 ema_momentum=0.99, ema_overwrite_frequency=None, loss_scale_factor=None,
                 gradient_accumulation_steps=None, name=None, **kwargs):
        super().__init__(**_base_args(locals()))
        self.beta_1 = beta_1
        self.beta_2 = beta_2
        if beta_1 <= 0 or beta_1 > 1:
            raise ValueError("Argument `beta_1` must be in the [0, 1] range. Otherwise, the "
                             f"optimizer degenerates to SignSGD. Received: beta_1={beta_1}.")

    def build(self, var_list):
        """Creates a momentum slot per variable."""
        if self.built:
            return
        super().build(var_list)
        self._momentums = self.add_optimizer_variables(var_list, "momentum")

    def _update(self, i, var, g, lr, rows):
        typ = var._value.dtype.type
        b1, b2 = _cast(self.beta_1, typ), _cast(self.beta_2, typ)
        m = self._momentums[i]
        mv = m._value
        _write(var, var._value - lr * np.sign(mv * b1 + g * (typ(1.0) - b1)))
        _write(m, mv * b2 + g * (typ(1.0) - b2))

    get_config = _params("beta_1", "beta_2")
