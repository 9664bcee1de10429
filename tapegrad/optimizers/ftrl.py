"""Ftrl (follow the regularized leader), Keras 3 semantics (tf_semantics.md 6.5)."""
import numpy as np

from ._arrays import _sq, _write
from .optimizer import Optimizer, _base_args, _params


class Ftrl(Optimizer):
    """FTRL-proximal with L1, L2 and L2-shrinkage regularization; ``beta`` adds
    ``beta / (2*lr)`` to the L2 strength."""

    def __init__(self, learning_rate=0.001, learning_rate_power=-0.5,
                 initial_accumulator_value=0.1, l1_regularization_strength=0.0,
                 l2_regularization_strength=0.0, l2_shrinkage_regularization_strength=0.0,
                 beta=0.0, weight_decay=None, clipnorm=None, clipvalue=None,
                 global_clipnorm=None, use_ema=False, ema_momentum=0.99,
                 ema_overwrite_frequency=None, loss_scale_factor=None,
                 gradient_accumulation_steps=None, name=None, **kwargs):
        super().__init__(**_base_args(locals()))
        checks = [("initial_accumulator_value", initial_accumulator_value, "positive or zero"),
                  ("learning_rate_power", -learning_rate_power, "negative or zero"),
                  ("l1_regularization_strength", l1_regularization_strength, "positive or zero"),
                  ("l2_regularization_strength", l2_regularization_strength, "positive or zero"),
                  ("l2_shrinkage_regularization_strength", l2_shrinkage_regularization_strength,
                   "positive or zero")]
        for arg, value, what in checks:
            if value < 0.0:
                shown = -value if arg == "learning_rate_power" else value
                raise ValueError(f"`{arg}` needs to be {what}. Received: {arg}={shown}.")
        self.learning_rate_power = learning_rate_power
        self.initial_accumulator_value = initial_accumulator_value
        self.l1_regularization_strength = l1_regularization_strength
        self.l2_regularization_strength = l2_regularization_strength
        self.l2_shrinkage_regularization_strength = l2_shrinkage_regularization_strength
        self.beta = beta

    def build(self, var_list):
        """Creates accumulator (``initial_accumulator_value``) and linear (zeros) slots."""
        if self.built:
            return
        super().build(var_list)
        self._accumulators, self._linears = self.add_optimizer_variables(
            var_list, ["accumulator", "linear"],
            initializer=[self.initial_accumulator_value, "zeros"])

    def _update(self, i, var, g, lr, rows):
        x = var._value
        p = -self.learning_rate_power
        l1 = self.l1_regularization_strength
        l2 = self.l2_regularization_strength + self.beta / (2.0 * lr)
        acc, lin = self._accumulators[i], self._linears[i]
        a = acc._value
        g_shrunk = g + (2 * self.l2_shrinkage_regularization_strength) * x
        a_new = a + _sq(g, rows)
        lin_new = lin._value + (g_shrunk - ((np.power(a_new, p) - np.power(a, p)) / lr) * x)
        quadratic = np.power(a_new, p) / lr + 2 * l2
        _write(lin, lin_new)
        _write(var, (np.clip(lin_new, -l1, l1) - lin_new) / quadratic)
        _write(acc, a_new)

    get_config = _params("learning_rate_power", "initial_accumulator_value",
                         "l1_regularization_strength", "l2_regularization_strength",
                         "l2_shrinkage_regularization_strength", "beta")
