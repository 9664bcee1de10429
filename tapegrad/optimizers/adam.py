"""Adam (amsgrad), AdamW, Adamax and Nadam, Keras 3 semantics (tf_semantics.md 6.5).

Scalars are computed in the variable's dtype as Keras does (``beta ** t`` from the cast beta);
Python-float hyperparameters such as ``1 - beta_1`` meet the arrays as weak scalars, which is
what TF does with them too.
"""
import numpy as np

from .._core import dtypes as _dt
from .._core.variables import Variable
from ._arrays import _cast, _sq, _write
from .optimizer import Optimizer, _base_args, _params


class _Base(Optimizer):
    """What the Adam family shares: beta_1, beta_2, epsilon (Adamax's and Nadam's whole
    signature), the step number ``t`` of the update under way, and Adam's two moments."""

    def __init__(self, learning_rate=0.001, beta_1=0.9, beta_2=0.999, epsilon=1e-7,
                 weight_decay=None, clipnorm=None, clipvalue=None, global_clipnorm=None,
                 use_ema=False, ema_momentum=0.99, ema_overwrite_frequency=None,
                 loss_scale_factor=None, gradient_accumulation_steps=None, name=None,
                 **kwargs):
        super().__init__(**_base_args(locals()))
        self.beta_1 = beta_1
        self.beta_2 = beta_2
        self.epsilon = epsilon

    def _before_updates(self, variables):
        self._t = self._step_count() + 1

    def _moments(self, i, g, rows, c1, c2):
        """Writes and returns ``m += (g - m)*c1`` and ``v += (g**2 - v)*c2``; the caller gives
        ``1 - beta`` in the type Keras computes it in (a Python float in Adam, cast in Nadam)."""
        m, v = self._momentums[i], self._velocities[i]
        m_new = m._value + (g - m._value) * c1
        v_new = v._value + (_sq(g, rows) - v._value) * c2
        _write(m, m_new)
        _write(v, v_new)
        return m_new, v_new

    get_config = _params("beta_1", "beta_2", "epsilon")


class Adam(_Base):
    """Adam with Keras's epsilon-hat form: ``var -= alpha*m / (sqrt(v) + epsilon)``,
    ``alpha = lr*sqrt(1-beta_2**t)/(1-beta_1**t)``; ``amsgrad`` keeps the running max of v."""

    def __init__(self, learning_rate=0.001, beta_1=0.9, beta_2=0.999, epsilon=1e-7,
                 amsgrad=False, weight_decay=None, clipnorm=None, clipvalue=None,
                 global_clipnorm=None, use_ema=False, ema_momentum=0.99,
                 ema_overwrite_frequency=None, loss_scale_factor=None,
                 gradient_accumulation_steps=None, name=None, **kwargs):
        super().__init__(beta_1=beta_1, beta_2=beta_2, epsilon=epsilon, **_base_args(locals()))
        self.amsgrad = amsgrad

    def build(self, var_list):
        """Creates momentum and velocity slots (and velocity_hat with amsgrad)."""
        if self.built:
            return
        super().build(var_list)
        self._momentums, self._velocities = self.add_optimizer_variables(
            var_list, ["momentum", "velocity"])
        if self.amsgrad:
            self._velocity_hats = self.add_optimizer_variables(var_list, "velocity_hat")

    def _update(self, i, var, g, lr, rows):
        x = var._value
        typ = x.dtype.type
        t = typ(self._t)
        b1p = _cast(self.beta_1, typ) ** t
        b2p = _cast(self.beta_2, typ) ** t
        alpha = lr * np.sqrt(1 - b2p) / (1 - b1p)
        m_new, v_new = self._moments(i, g, rows, 1 - self.beta_1, 1 - self.beta_2)
        if self.amsgrad:
            vh = self._velocity_hats[i]
            v_new = np.maximum(vh._value, v_new)
            _write(vh, v_new)
        _write(var, x - (m_new * alpha) / (np.sqrt(v_new) + self.epsilon))

    get_config = _params("beta_1", "beta_2", "epsilon", "amsgrad")


class AdamW(Adam):
    """Adam with decoupled weight decay (``var -= var * weight_decay * lr`` before each step)."""

    def __init__(self, learning_rate=0.001, weight_decay=0.004, beta_1=0.9, beta_2=0.999,
                 epsilon=1e-7, amsgrad=False, clipnorm=None, clipvalue=None,
                 global_clipnorm=None, use_ema=False, ema_momentum=0.99,
                 ema_overwrite_frequency=None, loss_scale_factor=None,
                 gradient_accumulation_steps=None, name=None, **kwargs):
        super().__init__(beta_1=beta_1, beta_2=beta_2, epsilon=epsilon, amsgrad=amsgrad,
                         **_base_args(locals()))
        if self.weight_decay is None:
            raise ValueError("Argument `weight_decay` must be a float. Received: "
                             "weight_decay=None")


class Adamax(_Base):
    """Adamax: ``u = max(beta_2*u, |g|)``; ``var -= lr*m / ((1-beta_1**t) * (u + epsilon))``."""

    def build(self, var_list):
        """Creates momentum and norm slots."""
        if self.built:
            return
        super().build(var_list)
        self._m, self._u = self.add_optimizer_variables(var_list, ["momentum", "norm"])

    def _update(self, i, var, g, lr, rows):
        x = var._value
        typ = x.dtype.type
        b1p = _cast(self.beta_1, typ) ** typ(self._t)
        m, u = self._m[i], self._u[i]
        m_new = m._value + (g - m._value) * (1 - self.beta_1)
        u_new = np.maximum(self.beta_2 * u._value, np.abs(g) if rows is None else rows.abs_sum())
        _write(m, m_new)
        _write(u, u_new)
        _write(var, x - (lr * m_new) / ((1 - b1p) * (u_new + self.epsilon)))


class Nadam(_Base):
    """Nesterov Adam with Keras's momentum schedule ``mu_t = beta_1*(1 - 0.5*0.96**t)`` and its
    running product kept in one shared variable."""

    def build(self, var_list):
        """Creates momentum and velocity slots and the shared momentum product."""
        if self.built:
            return
        dtype = var_list[0].dtype if var_list else _dt.float32
        super().build(var_list)
        self._momentums, self._velocities = self.add_optimizer_variables(
            var_list, ["momentum", "velocity"])
        product = Variable(1.0, dtype=dtype, trainable=False, name=f"{self.name}/variable")
        self._u_product = self._track(product, "u_product", "variable")

    def _before_updates(self, variables):
        super()._before_updates(variables)
        up = self._u_product._value
        typ = up.dtype.type
        _write(self._u_product,
               up * self.beta_1 * (1.0 - 0.5 * np.power(typ(0.96), typ(self._t))))

    def _update(self, i, var, g, lr, rows):
        x = var._value
        typ = x.dtype.type
        t = typ(self._t)
        decay, b1, b2 = _cast(0.96, typ), _cast(self.beta_1, typ), _cast(self.beta_2, typ)
        u_t = b1 * (1.0 - 0.5 * decay ** t)
        u_t_1 = b1 * (1.0 - 0.5 * decay ** (t + 1))
        up_t = typ(self._u_product._value)
        up_t_1 = up_t * u_t_1
        m_new, v_new = self._moments(i, g, rows, 1 - b1, 1 - b2)
        m_hat = (u_t_1 * m_new) / (1 - up_t_1) + ((1 - u_t) * g) / (1 - up_t)
        v_hat = v_new / (1 - b2 ** t)
        _write(var, x - (m_hat * lr) / (np.sqrt(v_hat) + self.epsilon))
