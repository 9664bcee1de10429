"""``tf.compat.v1.train.Optimizer`` in eager mode (tf_semantics.md 6.7), on NumPy arrays.

``apply_gradients`` runs at once and returns None; ``minimize`` needs a zero-argument callable.
Hyperparameters become scalars the way v1 converts them (a Python float is a float32 tensor,
then cast to each variable's dtype). Sparse gradients (IndexedSlices) have duplicate indices
summed first; then most v1 optimizers update only the rows named (``_lazy = True``, like TF's
SparseApply* kernels), and the rest apply their dense rule to the densified gradient.
"""
import numpy as np

from ..._core.errors import InvalidArgumentError
from ..._core.tape import GradientTape
from ..._core.tensor import IndexedSlices, Tensor
from ..._core.variables import Variable
from ...optimizers._arrays import _array, _restore_slot, _write
from ...optimizers.optimizer import _missing_gradients_message

_SLOT_NAMES = {}  # slot variable base name -> times used (TF uniquifies eager names too)


def _unique(name):
    n = _SLOT_NAMES.get(name, 0)
    _SLOT_NAMES[name] = n + 1
    return name if n == 0 else f"{name}_{n}"


def _scalar(value):
    """A hyperparameter as v1 sees it: Python floats become float32, ints int32."""
    if callable(value) and not isinstance(value, (Tensor, Variable)):
        value = value()
    if isinstance(value, (Tensor, Variable)):
        return np.asarray(value._value)[()]
    if isinstance(value, (bool, int)) and not isinstance(value, np.generic):
        return np.int32(value)
    if isinstance(value, float):
        return np.float32(value)
    return np.asarray(value)[()]


class Optimizer:
    """Base of the v1 optimizers: slots per variable, ``_rule`` per subclass."""

    GATE_NONE = 0
    GATE_OP = 1
    GATE_GRAPH = 2
    _slot_specs = ()   # (slot name, initial value or None for zeros), in creation order
    _lazy = True       # sparse gradients update only their rows
    _kernel = "ResourceApply"

    def __init__(self, use_locking, name):
        if not name:
            raise ValueError("Must specify the optimizer name")
        self._use_locking = use_locking
        self._name = name
        self._slots = {}       # slot name -> {variable id: slot Variable}
        self._non_slots = {}   # name -> Variable (Adam's beta powers)
        self._order = {}       # variable id -> position among the variables given slots
        self._pending = None   # checkpoint arrays for slots not created yet (restore)

    def get_name(self):
        return self._name

    # -- gradients --------------------------------------------------------------------------
    def compute_gradients(self, loss, var_list=None, gate_gradients=GATE_OP,
                          aggregation_method=None, colocate_gradients_with_ops=False,
                          grad_loss=None):
        """``[(gradient, variable)]`` for a zero-argument callable ``loss`` (eager mode)."""
        if not callable(loss):
            raise RuntimeError("`loss` passed to Optimizer.compute_gradients should be a "
                               "function when eager execution is enabled.")
        with GradientTape() as tape:
            if var_list is not None:
                tape.watch(var_list)
            loss_value = loss()
        var_list = list(tape.watched_variables() if var_list is None else var_list)
        grads = tape.gradient(loss_value, var_list, grad_loss)
        return list(zip(grads, var_list))

    def minimize(self, loss, global_step=None, var_list=None, gate_gradients=GATE_OP,
                 aggregation_method=None, colocate_gradients_with_ops=False, name=None,
                 grad_loss=None):
        """compute_gradients + apply_gradients; returns None in eager mode."""
        pairs = self.compute_gradients(loss, var_list=var_list, grad_loss=grad_loss)
        if all(g is None for g, _ in pairs):
            raise ValueError(_missing_gradients_message([v for _, v in pairs], True,
                                                        style="v1_minimize", loss=loss))
        return self.apply_gradients(pairs, global_step=global_step, name=name)

    def apply_gradients(self, grads_and_vars, global_step=None, name=None):
        """Updates the variables at once; increments ``global_step``; returns None."""
        pairs = tuple(grads_and_vars)
        if not pairs:
            raise ValueError("No variables provided.")
        prepared = []
        for g, v in pairs:
            if not isinstance(v, Variable):
                raise NotImplementedError(("Trying to update a Tensor ", v))
            prepared.append((None if g is None else self._gradient(g, v), v))
        live = [(g, v) for g, v in prepared if g is not None]
        if not live:
            raise ValueError(_missing_gradients_message([v for _, v in pairs], True,
                                                        style="v1"))
        self._create_slots([v for _, v in live])
        self._prepare()
        for g, v in live:
            self._apply(g, v)
        self._finish()
        if global_step is not None:
            global_step.assign_add(1)
        return None

    def _gradient(self, g, v):
        """Checks everything before any variable changes: dtype, shape."""
        dt = v._dtype
        if not (dt.is_floating or dt.is_complex):
            raise InvalidArgumentError(
                f"No OpKernel was registered to support Op '{self._kernel}' with these attrs: "
                f"[T=DT_{dt.name.upper()}] [Op:{self._kernel}]")
        if isinstance(g, IndexedSlices):
            values = _array(g.values, dt._np, v1=True)
            indices = _array(g.indices, np.int64)
            if values.shape[1:] != v._value.shape[1:]:
                raise InvalidArgumentError(f"var and grad do not have the same shape"
                                           f"{list(v._value.shape)} {list(values.shape)} "
                                           f"[Op:{self._kernel}]")
            uniq, inverse = np.unique(indices, return_inverse=True)
            summed = np.zeros((len(uniq),) + values.shape[1:], values.dtype)
            np.add.at(summed, inverse.reshape(-1), values)
            return uniq, summed
        a = _array(g, dt._np, v1=True)
        if a.shape != v._value.shape:
            raise InvalidArgumentError(f"var and delta do not have the same shape"
                                       f"{list(v._value.shape)} {list(a.shape)} "
                                       f"[Op:{self._kernel}]")
        return a

    # -- slots ------------------------------------------------------------------------------
    def _create_slots(self, var_list):
        for v in var_list:
            i = self._order.setdefault(v._unique_id, len(self._order))
            for slot, init in self._slot_specs:
                per_var = self._slots.setdefault(slot, {})
                if v._unique_id not in per_var:
                    value = (np.zeros_like(v._value) if init is None
                             else np.full(v._value.shape, self._init_value(init), v._dtype._np))
                    base = v.name[:-2] if v.name.endswith(":0") else v.name
                    per_var[v._unique_id] = self._restored(f"{slot}/{i}", Variable(
                        value, dtype=v._dtype, trainable=False,
                        name=_unique(f"{base}/{self._name}")))

    def _init_value(self, init):
        return getattr(self, init) if isinstance(init, str) else init

    def get_slot(self, var, name):
        """The slot variable ``name`` of ``var`` (None if there is none)."""
        per_var = self._slots.get(name)
        return per_var.get(var._unique_id) if per_var else None

    def get_slot_names(self):
        return sorted(self._slots)

    def variables(self):
        """Slots and non-slot variables, sorted by name as v1 sorts them."""
        out = [s for per_var in self._slots.values() for s in per_var.values()]
        out += list(self._non_slots.values())
        return sorted(out, key=lambda v: v.name)

    # -- checkpoints ------------------------------------------------------------------------
    # Slots are keyed "<slot>/<i>", i the order in which variables got slots (as Keras keys
    # them), not by their names: names are made unique process-wide, so a fresh optimizer in
    # a resumed program would name its slots differently.
    def _checkpoint_children(self):
        out = {k: v for k, v in self._non_slots.items()}
        for slot, per_var in self._slots.items():
            for uid, var in per_var.items():
                out[f"{slot}/{self._order[uid]}"] = var
        return out

    def _checkpoint_restore_build(self, arrays):
        """Keep the values of slots not created yet; ``_restored`` assigns them on creation
        (TF restores slot variables when they are created, too)."""
        self._pending = arrays

    def _restored(self, key, var):
        arrays = self._pending
        if arrays is not None and key not in self._checkpoint_children():
            _restore_slot(arrays, key, var)
        return var

    # -- applying ---------------------------------------------------------------------------
    def _prepare(self):
        self._lr = _scalar(self._learning_rate)

    def _finish(self):
        pass

    def _hyper(self, typ):
        """Hyperparameters cast to the variable's scalar type (``lr`` plus subclass ones)."""
        return {"lr": typ(self._lr)}

    def _apply(self, g, v):
        slots = [self._slots[name][v._unique_id] for name, _ in self._slot_specs]
        h = self._hyper(v._value.dtype.type)
        x = v._value
        if isinstance(g, tuple):
            idx, summed = g
            if not self._lazy:
                dense = np.zeros_like(x)
                dense[idx] = summed
                g = dense
            else:
                new_x, new_slots = self._rule(x[idx], [s._value[idx] for s in slots], summed, h)
                for var, rows in zip([v] + slots, [new_x] + list(new_slots)):
                    full = var._value.copy()
                    full[idx] = rows
                    _write(var, full)
                return
        new_x, new_slots = self._rule(x, [s._value for s in slots], g, h)
        for s, value in zip(slots, new_slots):
            _write(s, value)
        _write(v, new_x)

    def _rule(self, x, slots, g, h):
        """(new variable, [new slots]) from arrays; ``h`` from ``_hyper``."""
        raise NotImplementedError
