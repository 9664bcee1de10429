"""RMSprop, Adagrad and Adadelta, Keras 3 semantics (tf_semantics.md 6.5): epsilon inside the
square root, Python-float hyperparameters as weak scalars."""
import numpy as np

from ._arrays import _sq, _write
from .optimizer import Optimizer, _base_args, _params


class RMSprop(Optimizer):
    """``s = rho*s + (1-rho)*g**2``; ``var -= lr*g / sqrt(s + epsilon)`` (centered: subtract
    the squared running mean of g inside the root); ``momentum`` accumulates the increments."""

    def __init__(self, learning_rate=0.001, rho=0.9, momentum=0.0, epsilon=1e-7, centered=False,
                 weight_decay=None, clipnorm=None, clipvalue=None, global_clipnorm=None,
                 use_ema=False, ema_momentum=0.99, ema_overwrite_frequency=None,
                 loss_scale_factor=None, gradient_accumulation_steps=None, name=None,
                 **kwargs):
        super().__init__(**_base_args(locals()))
        self.rho = rho
        self.momentum = momentum
        self.epsilon = epsilon
        self.centered = centered

    def build(self, var_list):
        """Creates velocity slots, plus momentum (momentum > 0) and average_gradient
        (centered) slots."""
        if self.built:
            return
        super().build(var_list)
        self._velocities = self.add_optimizer_variables(var_list, "velocity")
        self._momentums = []
        if self.momentum > 0:
            self._momentums = self.add_optimizer_variables(var_list, "momentum")
        self._average_gradients = []
        if self.centered:
            self._average_gradients = self.add_optimizer_variables(var_list, "average_gradient")

    def _update(self, i, var, g, lr, rows):
        rho = self.rho
        vel = self._velocities[i]
        v_new = rho * vel._value + (1 - rho) * _sq(g, rows)
        _write(vel, v_new)
        if self.centered:
            avg = self._average_gradients[i]
            a_new = rho * avg._value + (1 - rho) * g
            _write(avg, a_new)
            den = v_new - a_new * a_new + self.epsilon
        else:
            den = v_new + self.epsilon
        inc = (lr * g) / np.sqrt(den)
        if self.momentum > 0:
            mom = self._momentums[i]
            inc = self.momentum * mom._value + inc
            _write(mom, inc)
        _write(var, var._value - inc)

    get_config = _params("rho", "momentum", "epsilon", "centered")


class Adagrad(Optimizer):
    """``acc += g**2``; ``var -= lr*g / sqrt(acc + epsilon)`` (acc starts at
    ``initial_accumulator_value``); sparse gradients touch only their rows."""

    def __init__(self, learning_rate=0.001, initial_accumulator_value=0.1, epsilon=1e-7,
                 weight_decay=None, clipnorm=None, clipvalue=None, global_clipnorm=None,
                 use_ema=False, ema_momentum=0.99, ema_overwrite_frequency=None,
                 loss_scale_factor=None, gradient_accumulation_steps=None, name=None,
                 **kwargs):
        super().__init__(**_base_args(locals()))
        self.initial_accumulator_value = initial_accumulator_value
        self.epsilon = epsilon

    def build(self, var_list):
        """Creates accumulator slots filled with ``initial_accumulator_value``."""
        if self.built:
            return
        super().build(var_list)
        self._accumulators = self.add_optimizer_variables(
            var_list, "accumulator", initializer=self.initial_accumulator_value)

    def _update(self, i, var, g, lr, rows):
        acc = self._accumulators[i]
        x = var._value
        if rows is None:
            a_new = acc._value + g * g
            _write(acc, a_new)
            _write(var, x - (lr * g) / np.sqrt(a_new + self.epsilon))
            return
        idx, vals = rows.indices, rows.values
        a_new = acc._value.copy()
        np.add.at(a_new, idx, vals * vals)
        new = x.copy()
        np.subtract.at(new, idx, (lr * vals) / np.sqrt(a_new[idx] + self.epsilon))
        _write(acc, a_new)
        _write(var, new)

    get_config = _params("initial_accumulator_value", "epsilon")


class Adadelta(Optimizer):
    """``Eg = rho*Eg + (1-rho)*g**2``; ``d = -sqrt(Ex+eps)*g / sqrt(Eg+eps)``;
    ``Ex = rho*Ex + (1-rho)*d**2``; ``var += lr*d``."""

    def __init__(self, learning_rate=0.001, rho=0.95, epsilon=1e-7, weight_decay=None,
                 clipnorm=None, clipvalue=None, global_clipnorm=None, use_ema=False,
                 ema_momentum=0.99, ema_overwrite_frequency=None, loss_scale_factor=None,
                 gradient_accumulation_steps=None, name=None, **kwargs):
        super().__init__(**_base_args(locals()))
        self.rho = rho
        self.epsilon = epsilon

    def build(self, var_list):
        """Creates accumulated_grad and accumulated_delta_var slots."""
        if self.built:
            return
        super().build(var_list)
        self._accumulated_grads, self._accumulated_delta_vars = self.add_optimizer_variables(
            var_list, ["accumulated_grad", "accumulated_delta_var"])

    def _update(self, i, var, g, lr, rows):
        rho, eps = self.rho, self.epsilon
        eg, ex = self._accumulated_grads[i], self._accumulated_delta_vars[i]
        eg_new = rho * eg._value + (1 - rho) * _sq(g, rows)
        if rows is None:
            delta = -((np.sqrt(ex._value + eps) * g) / np.sqrt(eg_new + eps))
            delta_sq = delta * delta
        else:  # Keras keeps one delta per value (duplicates apart) and squares those
            idx = rows.indices
            d = rows.with_values(-((np.sqrt(ex._value[idx] + eps) * rows.values)
                                   / np.sqrt(eg_new[idx] + eps)))
            delta, delta_sq = d.dense(), d.sq()
        _write(eg, eg_new)
        _write(ex, rho * ex._value + (1 - rho) * delta_sq)
        _write(var, var._value + lr * delta)

    get_config = _params("rho", "epsilon")
