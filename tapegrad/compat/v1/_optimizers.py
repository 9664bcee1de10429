"""The tf.compat.v1.train optimizers; each ``_rule`` follows TF's Apply* kernel
(tf_semantics.md 6.7): the update order and the dtype of every scalar are TF's."""
import numpy as np

from ..._core import dtypes as _dt
from ..._core.variables import Variable
from ...optimizers._arrays import _write
from ._optimizer import Optimizer, _scalar


class GradientDescentOptimizer(Optimizer):
    """``var -= lr * g``."""

    _kernel = "ResourceApplyGradientDescent"

    def __init__(self, learning_rate, use_locking=False, name="GradientDescent"):
        super().__init__(use_locking, name)
        self._learning_rate = learning_rate

    def _rule(self, x, slots, g, h):
        return x - g * h["lr"], []


class MomentumOptimizer(Optimizer):
    """``accum = momentum*accum + g``; ``var -= lr*accum`` (Nesterov:
    ``var -= lr*g + lr*momentum*accum``). Sparse updates touch only the rows given."""

    _slot_specs = (("momentum", None),)
    _kernel = "ResourceApplyMomentum"

    def __init__(self, learning_rate, momentum, use_locking=False, name="Momentum",
                 use_nesterov=False):
        super().__init__(use_locking, name)
        self._learning_rate = learning_rate
        self._momentum = momentum
        self._use_nesterov = use_nesterov

    def _prepare(self):
        super()._prepare()
        self._mu = _scalar(self._momentum)

    def _hyper(self, typ):
        return {"lr": typ(self._lr), "mu": typ(self._mu)}

    def _rule(self, x, slots, g, h):
        lr, mu = h["lr"], h["mu"]
        accum = slots[0] * mu + g
        if self._use_nesterov:
            return x - (g * lr + accum * mu * lr), [accum]
        return x - accum * lr, [accum]


class AdamOptimizer(Optimizer):
    """Adam with epsilon 1e-8 and the beta powers as two non-slot variables; sparse gradients
    are densified (v1 Adam is not lazy)."""

    _slot_specs = (("m", None), ("v", None))
    _lazy = False
    _kernel = "ResourceApplyAdam"

    def __init__(self, learning_rate=0.001, beta1=0.9, beta2=0.999, epsilon=1e-08,
                 use_locking=False, name="Adam"):
        super().__init__(use_locking, name)
        self._learning_rate = learning_rate
        self._beta1, self._beta2, self._epsilon = beta1, beta2, epsilon

    def _create_slots(self, var_list):
        if not self._non_slots:
            dtype = var_list[0].dtype if var_list[0].dtype.is_floating else _dt.float32
            for name, beta in (("beta1_power", self._beta1), ("beta2_power", self._beta2)):
                self._non_slots[name] = self._restored(
                    name, Variable(beta, dtype=dtype, trainable=False, name=name))
        super()._create_slots(var_list)

    def _prepare(self):
        super()._prepare()
        self._b1, self._b2, self._eps = (_scalar(self._beta1), _scalar(self._beta2),
                                         _scalar(self._epsilon))

    def _hyper(self, typ):
        b1p = typ(self._non_slots["beta1_power"]._value)
        b2p = typ(self._non_slots["beta2_power"]._value)
        return {"alpha": typ(self._lr) * np.sqrt(1 - b2p) / (1 - b1p),
                "b1": typ(self._b1), "b2": typ(self._b2), "eps": typ(self._eps)}

    def _rule(self, x, slots, g, h):
        m, v = slots
        b1, b2 = h["b1"], h["b2"]
        m = m + (g - m) * (1 - b1)
        v = v + (g * g - v) * (1 - b2)
        return x - (m * h["alpha"]) / (np.sqrt(v) + h["eps"]), [m, v]

    def _finish(self):
        for name, beta in (("beta1_power", self._b1), ("beta2_power", self._b2)):
            p = self._non_slots[name]
            _write(p, p._value * p._value.dtype.type(beta))


class RMSPropOptimizer(Optimizer):
    """Mean-square slot initialised to 1; ``mom = momentum*mom + lr*g/sqrt(ms + eps)``
    (centered: ``ms - mg**2 + eps``); ``var -= mom``. Sparse updates are lazy."""

    _kernel = "ResourceApplyRMSProp"

    def __init__(self, learning_rate, decay=0.9, momentum=0.0, epsilon=1e-10, use_locking=False,
                 centered=False, name="RMSProp"):
        super().__init__(use_locking, name)
        self._learning_rate = learning_rate
        self._decay, self._momentum, self._epsilon = decay, momentum, epsilon
        self._centered = centered
        self._slot_specs = (("rms", 1.0),) + ((("mg", None),) if centered else ()) + (
            ("momentum", None),)
        if centered:
            self._kernel = "ResourceApplyCenteredRMSProp"

    def _prepare(self):
        super()._prepare()
        self._h = (_scalar(self._decay), _scalar(self._momentum), _scalar(self._epsilon))

    def _hyper(self, typ):
        rho, mu, eps = (typ(s) for s in self._h)
        return {"lr": typ(self._lr), "rho": rho, "mu": mu, "eps": eps}

    def _rule(self, x, slots, g, h):
        lr, rho, mu, eps = h["lr"], h["rho"], h["mu"], h["eps"]
        ms = slots[0] + (g * g - slots[0]) * (1 - rho)
        if self._centered:
            mg = slots[1] + (g - slots[1]) * (1 - rho)
            mom = slots[2] * mu + (g * lr) / np.sqrt(ms - mg * mg + eps)
            return x - mom, [ms, mg, mom]
        mom = slots[1] * mu + (g * lr) / np.sqrt(ms + eps)
        return x - mom, [ms, mom]


class AdagradOptimizer(Optimizer):
    """``acc += g**2``; ``var -= lr*g / sqrt(acc)`` (no epsilon)."""

    _slot_specs = (("accumulator", "_initial_accumulator_value"),)
    _kernel = "ResourceApplyAdagrad"

    def __init__(self, learning_rate, initial_accumulator_value=0.1, use_locking=False,
                 name="Adagrad"):
        if initial_accumulator_value <= 0.0:
            raise ValueError("initial_accumulator_value must be positive: "
                             f"{initial_accumulator_value}")
        super().__init__(use_locking, name)
        self._learning_rate = learning_rate
        self._initial_accumulator_value = initial_accumulator_value

    def _rule(self, x, slots, g, h):
        acc = slots[0] + g * g
        return x - g * h["lr"] * (1 / np.sqrt(acc)), [acc]


class AdadeltaOptimizer(Optimizer):
    """``acc = rho*acc + (1-rho)*g**2``; ``u = sqrt(acc_u + eps)/sqrt(acc + eps) * g``;
    ``var -= lr*u``; ``acc_u = rho*acc_u + (1-rho)*u**2``. Sparse updates are lazy."""

    _slot_specs = (("accum", None), ("accum_update", None))
    _kernel = "ResourceApplyAdadelta"

    def __init__(self, learning_rate=0.001, rho=0.95, epsilon=1e-08, use_locking=False,
                 name="Adadelta"):
        super().__init__(use_locking, name)
        self._learning_rate = learning_rate
        self._rho, self._epsilon = rho, epsilon

    def _prepare(self):
        super()._prepare()
        self._h = (_scalar(self._rho), _scalar(self._epsilon))

    def _hyper(self, typ):
        return {"lr": typ(self._lr), "rho": typ(self._h[0]), "eps": typ(self._h[1])}

    def _rule(self, x, slots, g, h):
        lr, rho, eps = h["lr"], h["rho"], h["eps"]
        acc = slots[0] * rho + g * g * (1 - rho)
        update = np.sqrt(slots[1] + eps) * (1 / np.sqrt(acc + eps)) * g
        acc_u = slots[1] * rho + update * update * (1 - rho)
        return x - update * lr, [acc, acc_u]


class FtrlOptimizer(Optimizer):
    """FTRL-proximal (same rule as Keras Ftrl); sparse updates are lazy."""

    _slot_specs = (("accum", "_initial_accumulator_value"), ("linear", None))
    _kernel = "ResourceApplyFtrl"

    def __init__(self, learning_rate, learning_rate_power=-0.5, initial_accumulator_value=0.1,
                 l1_regularization_strength=0.0, l2_regularization_strength=0.0,
                 use_locking=False, name="Ftrl", accum_name=None, linear_name=None,
                 l2_shrinkage_regularization_strength=0.0, beta=None):
        for arg, value, bad in (("initial_accumulator_value", initial_accumulator_value,
                                 initial_accumulator_value < 0.0),
                                ("learning_rate_power", learning_rate_power,
                                 learning_rate_power > 0.0),
                                ("l1_regularization_strength", l1_regularization_strength,
                                 l1_regularization_strength < 0.0),
                                ("l2_regularization_strength", l2_regularization_strength,
                                 l2_regularization_strength < 0.0),
                                ("l2_shrinkage_regularization_strength",
                                 l2_shrinkage_regularization_strength,
                                 l2_shrinkage_regularization_strength < 0.0)):
            if bad:
                what = "negative" if arg == "learning_rate_power" else "positive"
                raise ValueError(f"{arg} {value:f} needs to be {what} or zero")
        super().__init__(use_locking, name)
        self._learning_rate = learning_rate
        self._learning_rate_power = learning_rate_power
        self._initial_accumulator_value = initial_accumulator_value
        self._l1 = l1_regularization_strength
        self._l2 = l2_regularization_strength
        self._l2_shrinkage = l2_shrinkage_regularization_strength
        self._beta = 0.0 if beta is None else beta
        if l2_shrinkage_regularization_strength > 0.0:
            self._kernel = "ResourceApplyFtrlV2"

    def _prepare(self):
        super()._prepare()
        lr = np.float32(self._lr)
        self._h = (_scalar(self._learning_rate_power), _scalar(self._l1),
                   np.float32(self._l2) + np.float32(self._beta) / (2 * max(lr, 1e-36)),
                   _scalar(self._l2_shrinkage))

    def _hyper(self, typ):
        power, l1, l2, shrink = (typ(s) for s in self._h)
        return {"lr": typ(self._lr), "p": -power, "l1": l1, "l2": l2, "shrink": shrink}

    def _rule(self, x, slots, g, h):
        lr, p, l1 = h["lr"], h["p"], h["l1"]
        acc, lin = slots
        g_shrunk = g + 2 * h["shrink"] * x
        acc_new = acc + g * g
        lin = lin + g_shrunk - (np.power(acc_new, p) - np.power(acc, p)) / lr * x
        quadratic = np.power(acc_new, p) / lr + 2 * h["l2"]
        new_x = np.where(np.abs(lin) > l1, (l1 * np.sign(lin) - lin) / quadratic, 0)
        return new_x.astype(x.dtype, copy=False), [acc_new, lin]
