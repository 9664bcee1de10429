"""The Keras 3 optimizer base class (``tf.keras.optimizers.Optimizer``), on NumPy arrays.

One ``apply`` call, in Keras's order: build on the first call's variables, check the variables
are known, drop None gradients (warn; raise if all are None), convert and shape-check every
gradient (before anything is written, so a bad call leaves nothing half-updated), unscale,
accumulate or clip, decoupled weight decay, per-variable update, EMA, constraints, then
``iterations += 1``. Optimizer state lives in plain non-trainable Variables (``variables``).

Built-in optimizers implement ``_update(i, var, g, lr, rows)`` on arrays: ``g`` is the dense
gradient in the variable's dtype, ``lr`` a NumPy scalar of that dtype, and ``rows`` the sparse
form (``_Rows``) when the gradient was an IndexedSlices, else None. Keras's element-wise ops keep
duplicate indices apart where they square a gradient, so sparse rules use ``rows.sq()`` (sum of
squared values per row) there and ``g`` (sum of values per row) elsewhere, matching Keras.
Every update stores a new array through the variable's own write path (``_write``); arrays are
never changed in place, so tapes holding them stay valid.

``variables`` / ``iterations`` / ``learning_rate`` return Keras 3 views (``_KerasVariable``:
name, path, string dtype, repr) that share state with the plain Variables used internally and
given to ``tf.train.Checkpoint``.
"""
import inspect
import re
import sys
import warnings

import numpy as np

from .._core import dtypes as _dt
from .._core.tensor import IndexedSlices, Tensor
from .._core.variables import Variable
from . import schedules as _schedules
from ._arrays import (_KerasVariable, _Rows, _array, _auto_name, _cast, _fmt, _fmt_lr,
                      _map_values, _restore_slot, _shape_error, _write)


def _missing_gradients_message(variables, all_missing=False, style="keras", loss=None):
    """The one text for missing gradients: Keras 3's warning/error, or tf.compat.v1's errors.

    ``variables`` are those without a gradient (all of them when ``all_missing``). TF's text
    comes first; then, one per variable, why its gradient is None (``_explain_missing``).
    """
    if style == "v1":
        head = f"No gradients provided for any variable: {[str(v) for v in variables]}."
    elif style == "v1_minimize":
        head = ("No gradients provided for any variable, check your graph for ops that do not "
                f"support gradients, between variables {[str(v) for v in variables]} and loss "
                f"{loss}.")
    elif all_missing:
        head = "No gradients provided for any variable."
    else:
        names = [getattr(v, "path", None) or v.name for v in variables]
        head = (f"Gradients do not exist for variables {names} when minimizing the loss. If "
                "using `model.compile()`, did you forget to provide a `loss` argument?")
    return "\n".join([head] + [_explain_missing(v) for v in variables])


def _explain_missing(var):
    """Why ``var`` got no gradient, from the tape.gradient call that returned its None (the
    diagnostics' record); without one, the variable and where it was created."""
    from .._core.callsite import format_site
    from ..diagnostics.explain import explain_variable
    var = getattr(var, "value", var) if isinstance(var, _KerasVariable) else var
    explanation = explain_variable(var) if isinstance(var, Variable) else None
    if explanation is not None:
        return str(explanation)
    site = getattr(var, "_site", None)
    return (f"Variable '{var.name}' created at {format_site(site)}: None - passed to the "
            "optimizer as None (no tape.gradient call recorded why)")


def _constructor_level(obj):
    """The ``stacklevel`` that makes a warning from ``Optimizer.__init__`` name the line that
    constructed ``obj``, past however many subclass ``__init__`` calls (AdamW -> Adam -> the
    Adam family's base) lie in between."""
    frame, level = sys._getframe(2), 2  # 2: whoever called Optimizer.__init__
    while frame.f_code.co_name == "__init__" and frame.f_locals.get("self") is obj:
        frame, level = frame.f_back, level + 1
    return level


class Optimizer:
    """Base of the Keras 3 optimizers; subclasses implement ``build`` and ``update_step``."""

    def __init__(self, learning_rate, weight_decay=None, clipnorm=None, clipvalue=None,
                 global_clipnorm=None, use_ema=False, ema_momentum=0.99,
                 ema_overwrite_frequency=None, loss_scale_factor=None,
                 gradient_accumulation_steps=None, name=None, **kwargs):
        if kwargs.pop("decay", None) is not None:
            warnings.warn("Argument `decay` is no longer supported and will be ignored.",
                          stacklevel=_constructor_level(self))
        if kwargs:
            raise ValueError(f"Argument(s) not recognized: {kwargs}")
        self.name = name if name is not None else _auto_name(type(self).__name__)
        self.weight_decay = weight_decay
        self.clipnorm = clipnorm
        self.global_clipnorm = global_clipnorm
        self.clipvalue = clipvalue
        self.use_ema = use_ema
        self.loss_scale_factor = loss_scale_factor
        self.gradient_accumulation_steps = gradient_accumulation_steps
        if gradient_accumulation_steps and not gradient_accumulation_steps >= 2:
            raise ValueError("`gradient_accumulation_steps` must be an integer >= 2. Received: "
                             f"gradient_accumulation_steps={gradient_accumulation_steps}")
        if use_ema:
            if ema_momentum > 1 or ema_momentum < 0:
                raise ValueError("`ema_momentum` must be in the range [0, 1]. Received: "
                                 f"ema_momentum={ema_momentum}")
            if ema_overwrite_frequency and (not isinstance(ema_overwrite_frequency, int)
                                            or ema_overwrite_frequency < 1):
                raise ValueError("`ema_overwrite_frequency` must be an integer >= 1 or None. "
                                 f"Received: ema_overwrite_frequency={ema_overwrite_frequency}")
        self.ema_momentum = ema_momentum
        self.ema_overwrite_frequency = ema_overwrite_frequency
        if sum(a is not None for a in (clipnorm, clipvalue, global_clipnorm)) > 1:
            raise ValueError(
                "Only one of `clipnorm`, `clipvalue` and `global_clipnorm` can be set. "
                f"Received: clipnorm={clipnorm}, clipvalue={clipvalue}, "
                f"global_clipnorm={global_clipnorm}")
        self.built = False
        self._variables = []
        self._keys = {}
        self._deferred_restore = None
        self._trainable_variables = []
        self._index = {}  # variable id -> position in the list the optimizer was built on
        self._iterations = self._track(Variable(0, dtype=_dt.int64, trainable=False,
                                                name=f"{self.name}/iteration"), "iteration")
        self._iterations_view = self._variables[0]
        if isinstance(learning_rate, _schedules.LearningRateSchedule) or callable(learning_rate):
            self._learning_rate = learning_rate
        else:
            if not isinstance(learning_rate, float):
                raise ValueError(
                    "Argument `learning_rate` should be float, or an instance of "
                    "LearningRateSchedule, or a callable (that takes in the current iteration "
                    "value and returns the corresponding learning rate value). Received "
                    f"instead: learning_rate={_fmt_lr(learning_rate)}")
            self._learning_rate = self._track(Variable(learning_rate, dtype=_dt.float32,
                                                       trainable=False,
                                                       name=f"{self.name}/learning_rate"),
                                              "learning_rate")
            self._lr_view = self._variables[-1]

    # -- state ----------------------------------------------------------------------------------
    def _track(self, variable, key, name=None):
        """Adds a state variable (returned as is, for the optimizer's own use); ``variables``
        lists its Keras view; ``key`` names it among the checkpoint children."""
        keys = self._keys
        base, n = key, 1
        while key in keys:
            key, n = f"{base}_{n}", n + 1
        keys[key] = variable
        name = name or key
        self._variables.append(_KerasVariable(variable, name, f"{self.name}/{name}"))
        return variable

    def _checkpoint_children(self):
        """key -> state variable, for tf.train.Checkpoint ("iteration", "momentum/0" ...)."""
        return dict(self._keys)

    def _checkpoint_restore_build(self, arrays):
        """A restore into an optimizer that has no slots yet: keep the values, and assign them
        when ``build`` creates the slots (TF restores slot variables on creation as well)."""
        if not self.built:
            self._deferred_restore = (arrays, set(self._keys))

    def _restore_deferred(self):
        arrays, existing = self._deferred_restore
        self._deferred_restore = None
        for key, var in self._keys.items():
            if key not in existing:
                _restore_slot(arrays, key, var)

    @property
    def variables(self):
        """Every state variable: iteration, learning_rate, then the slots, in creation order."""
        return self._variables[:]

    @property
    def iterations(self):
        """Number of updates applied (int64; raw calls // k with gradient accumulation)."""
        k = self.gradient_accumulation_steps
        if k:
            return Tensor(np.asarray(self._iterations._value // k), _dt.int64)
        return self._iterations_view

    def _step_count(self):
        k = self.gradient_accumulation_steps
        raw = int(self._iterations._value)
        return raw // k if k else raw

    @property
    def learning_rate(self):
        return self._current_learning_rate()

    @learning_rate.setter
    def learning_rate(self, learning_rate):
        old = self._learning_rate
        if isinstance(learning_rate, _schedules.LearningRateSchedule) or callable(learning_rate):
            self._learning_rate = learning_rate
        else:
            if isinstance(old, _schedules.LearningRateSchedule):
                raise TypeError(
                    "This optimizer was created with a `LearningRateSchedule` object as its "
                    "`learning_rate` constructor argument, hence its learning rate is not "
                    "settable. If you need the learning rate to be settable, you should "
                    "instantiate the optimizer with a float `learning_rate` argument.")
            old.assign(learning_rate)
        if isinstance(old, Variable) and not isinstance(self._learning_rate, Variable):
            self._variables = [v for v in self._variables if v.value is not old]
            self._keys.pop("learning_rate", None)

    def _current_learning_rate(self):
        lr = self._learning_rate
        if isinstance(lr, Variable):
            return self._lr_view
        if isinstance(lr, _schedules.LearningRateSchedule):
            return lr(self._iterations_view)
        return lr()

    def _lr_value(self):
        """The current learning rate as a NumPy scalar (float32 unless a callable gave more)."""
        lr = self._learning_rate
        if isinstance(lr, Variable):
            return lr._value[()]
        value = (lr(self._iterations_view) if isinstance(lr, _schedules.LearningRateSchedule)
                 else lr())
        value = getattr(value, "_value", value)
        return value[()] if isinstance(value, np.ndarray) else value

    def add_variable(self, shape, initializer="zeros", dtype=None, aggregation="none",
                     layout=None, name=None):
        """A new non-trainable state variable of ``shape`` (tracked in ``variables``)."""
        return self._add(shape, initializer, dtype, name or "variable", None)

    def _add(self, shape, initializer, dtype, name, key):
        dt = _dt.as_dtype(dtype) if dtype is not None else _dt.float32
        shape = tuple(shape)
        if callable(initializer):
            value = initializer(shape, dtype=dt)
            value = np.asarray(getattr(value, "_value", value), dt._np)
        elif initializer == "zeros":
            value = np.zeros(shape, dt._np)
        elif initializer == "ones":
            value = np.ones(shape, dt._np)
        else:
            value = np.full(shape, initializer, dt._np)
        var = Variable(value, dtype=dt, trainable=False, name=f"{self.name}/{name}")
        return self._track(var, key or name, name)

    def add_variable_from_reference(self, reference_variable, name=None, initializer="zeros"):
        """A state variable shaped and typed like ``reference_variable``."""
        return self._slot(reference_variable, name, initializer, None)

    def _slot(self, ref, name, initializer, key):
        prefix = str(getattr(ref, "path", None) or ref.name).replace("/", "_").replace(":", "_")
        return self._add(ref.shape, initializer, ref.dtype, f"{prefix}_{name or 'var'}", key)

    def add_optimizer_variables(self, trainable_variables, name, initializer="zeros"):
        """One state variable per trainable variable (a tuple of lists when ``name`` is a list),
        created interleaved per variable as Keras does."""
        names = [name] if isinstance(name, str) else list(name)
        inits = (initializer if isinstance(initializer, (list, tuple))
                 else [initializer] * len(names))
        out = tuple([] for _ in names)
        for i, var in enumerate(trainable_variables):
            for k, (n, init) in enumerate(zip(names, inits)):
                out[k].append(self._slot(var, n, init, f"{n}/{i}"))
        return out[0] if isinstance(name, str) else out

    def build(self, variables):
        """Creates the state for ``variables`` (called by the first ``apply``)."""
        variables = list(variables)
        if self.use_ema:
            self._model_variables_moving_average = self.add_optimizer_variables(variables,
                                                                                "average")
        if self.gradient_accumulation_steps:
            self._accumulated_gradients = self.add_optimizer_variables(
                variables, "gradient_accumulator")
        for i, v in enumerate(variables):
            self._index[v._unique_id] = i
        self._trainable_variables = variables[:]
        self.built = True

    def _get_variable_index(self, variable):
        return self._index[variable._unique_id]

    # -- applying gradients ---------------------------------------------------------------------
    def apply_gradients(self, grads_and_vars):
        """Applies ``(gradient, variable)`` pairs (any iterable); returns ``iterations``."""
        grads, trainable_variables = zip(*grads_and_vars)
        self._apply(grads, trainable_variables, 3)
        return self._iterations_view

    def apply(self, grads, trainable_variables=None):
        """Applies ``grads`` to ``trainable_variables`` (default: the variables built on)."""
        self._apply(grads, trainable_variables, 3)

    def _apply(self, grads, variables, stacklevel):
        if len(grads) == 0:
            return
        if variables is None:
            if not self.built:
                raise ValueError(
                    "When passing `grads` without `variables`, the optimizer must already be "
                    "built on a list of variables. Call `optimizer.build(trainable_variables)` "
                    "first. ")
            if len(grads) != len(self._index):
                raise ValueError(
                    "When passing `grads` as a list of gradient tensors, the gradients must "
                    "match `optimizer.variables` one-to-on. Received a list of "
                    f"{len(grads)} gradients, but the optimizer is tracking "
                    f"{len(self._trainable_variables)} trainable variables.")
            variables = self._trainable_variables
        else:
            variables = list(variables)
            if not self.built:
                self.build(variables)
                self.built = True
            index = self._index
            for v in variables:
                if v._id not in index and v._unique_id not in index:  # (a Tensor: AttributeError)
                    raise ValueError(
                        f"Unknown variable: {v}. This optimizer can only be called for the "
                        "variables it was originally built with. When working with a new set "
                        "of variables, you should recreate a new optimizer instance.")
        if self._deferred_restore is not None and self.built:
            self._restore_deferred()
        for g in grads:
            if g is None:
                grads, variables = self._drop_missing(grads, variables, stacklevel + 1)
                break
        arrays = [self._prepare(g, v) for g, v in zip(grads, variables)]
        scale = self.loss_scale_factor
        if scale is not None:
            if any(a.__class__ is _Rows for a in arrays):
                raise TypeError("unsupported operand type(s) for /: 'IndexedSlices' and "
                                f"'{type(scale).__name__}'")
            arrays = [a / scale for a in arrays]
        k = self.gradient_accumulation_steps
        if k:
            self._accumulate(arrays, variables, k)
        else:
            self._update_all(self._clip(arrays), variables)
        if self.use_ema:
            self._update_moving_averages()
        for v in variables:
            if v._constraint is not None:
                v.assign(v._constraint(v))
        _write(self._iterations, self._iterations._value + 1)

    def _drop_missing(self, grads, variables, stacklevel):
        """Pairs without a gradient are skipped with a warning; all missing is an error."""
        missing = [v for g, v in zip(grads, variables) if g is None]
        pairs = [(g, v) for g, v in zip(grads, variables) if g is not None]
        if not pairs:
            raise ValueError(_missing_gradients_message(missing, all_missing=True))
        warnings.warn(_missing_gradients_message(missing), UserWarning, stacklevel=stacklevel)
        return [p[0] for p in pairs], [p[1] for p in pairs]

    def _prepare(self, grad, var):
        """The gradient as an array (or ``_Rows``) of the variable's dtype, shape-checked."""
        np_dtype = var._dtype._np
        if grad.__class__ is Tensor:  # the common case, first
            a = grad._value
            if a.dtype is not np_dtype:
                a = _array(grad, np_dtype)
        elif isinstance(grad, IndexedSlices):
            values = _array(grad.values, np_dtype)
            indices = _array(grad.indices, np.int64)
            shape = var._value.shape
            if values.shape[1:] != shape[1:]:
                raise _shape_error(var, values.shape)
            return _Rows(values, indices, shape)
        else:
            a = _array(grad, np_dtype)
        if a.shape != var._value.shape:
            raise _shape_error(var, a.shape)
        return a

    def _accumulate(self, arrays, variables, k):
        accs = [self._accumulated_gradients[self._index[v._unique_id]] for v in variables]
        summed = [(a.dense() if a.__class__ is _Rows else a) + acc._value
                  for a, acc in zip(arrays, accs)]
        if (int(self._iterations._value) + 1) % k == 0:
            self._update_all(self._clip([s / k for s in summed]), variables)
            for acc in self._accumulated_gradients:
                _write(acc, np.zeros_like(acc._value))
        else:
            for s, acc in zip(summed, accs):
                _write(acc, s)

    def _clip(self, arrays):
        if self.clipnorm and self.clipnorm > 0:
            return [_map_values(a, self._clip_by_norm) for a in arrays]
        if self.global_clipnorm and self.global_clipnorm > 0:
            vals = [a.values if a.__class__ is _Rows else a for a in arrays]
            dtype = np.result_type(*vals)
            norm = np.sqrt(np.sum(np.array([np.sum(np.square(v)) for v in vals], dtype)))
            c = self.global_clipnorm
            # Non-finite norms give NaN everywhere (norm - norm), as Keras arranges.
            scale = c * np.minimum(1.0 / norm, 1.0 / c) + (norm - norm)
            # An IndexedSlices times a tensor densifies (duplicates summed) before scaling.
            return [(a.dense() if a.__class__ is _Rows else a) * scale.astype(a.dtype)
                    for a in arrays]
        if self.clipvalue and self.clipvalue > 0:
            c = self.clipvalue
            return [_map_values(a, lambda v: np.clip(v, -c, c)) for a in arrays]
        return arrays

    def _clip_by_norm(self, v):
        l2sum = np.sum(v * v)
        norm = np.sqrt(l2sum) if l2sum > 0 else l2sum
        c = v.dtype.type(self.clipnorm)
        return v * c / np.maximum(norm, c)

    def _update_all(self, arrays, variables):
        lr = self._lr_value()
        if self.weight_decay is not None:
            self._apply_weight_decay(variables, lr)
        self._before_updates(variables)
        index, update = self._index, self._update
        for a, v in zip(arrays, variables):
            typ = v._dtype._np.type
            lr_v = lr if lr.__class__ is typ else typ(lr)
            if a.__class__ is _Rows:
                update(index[v._id], v, a.dense(), lr_v, a)
            else:
                update(index[v._id], v, a, lr_v, None)

    def _before_updates(self, variables):
        """Hook for state shared by all variables of one step (Nadam's momentum product)."""

    def _update(self, i, var, g, lr, rows):
        """Default for user subclasses: call the Keras-style ``update_step`` with Tensors."""
        self.update_step(Tensor(g, var._dtype), var, Tensor(np.asarray(lr), var._dtype))

    def update_step(self, gradient, variable, learning_rate):
        raise NotImplementedError

    def assign(self, variable, value):
        variable.assign(value)

    def assign_add(self, variable, value):
        variable.assign_add(value)

    def assign_sub(self, variable, value):
        variable.assign_sub(value)

    # -- weight decay and EMA -------------------------------------------------------------------
    def exclude_from_weight_decay(self, var_list=None, var_names=None):
        """Exempts variables (or names matching any of ``var_names``) from weight decay."""
        if self.built:
            raise ValueError("`exclude_from_weight_decay()` can only be configured before the "
                             "optimizer is built.")
        self._wd_exclude_ids = {v._unique_id for v in var_list or ()}
        self._wd_exclude_re = re.compile("|".join(set(var_names))) if var_names else None

    def _use_weight_decay(self, variable):
        if variable._unique_id in getattr(self, "_wd_exclude_ids", ()):
            return False
        pattern = getattr(self, "_wd_exclude_re", None)
        return pattern is None or pattern.search(variable.name) is None

    def _apply_weight_decay(self, variables, lr):
        for v in variables:
            if self._use_weight_decay(v):
                typ = v._dtype._np.type
                x = v._value
                _write(v, x - x * _cast(self.weight_decay, typ) * typ(lr))

    def _update_moving_averages(self):
        step = self._step_count()
        for var, avg in zip(self._trainable_variables, self._model_variables_moving_average):
            typ = var._dtype._np.type
            m = typ(float(step != 0)) * typ(self.ema_momentum)
            _write(avg, m * avg._value + (typ(1) - m) * var._value)
        freq = self.ema_overwrite_frequency
        if freq and (step + 1) % freq == 0:
            self._overwrite_model_variables_with_average_value(self._trainable_variables)

    def _overwrite_model_variables_with_average_value(self, trainable_variables):
        averages = self._model_variables_moving_average
        if len(trainable_variables) != len(averages):
            raise ValueError(
                f"The length of model variables ({len(trainable_variables)}) to override does "
                f"not match the length of model variables stored in the optimizer "
                f"({len(averages)}). Please check if the optimizer was called on your model.")
        for var, avg in zip(trainable_variables, averages):
            var.assign(avg)

    def finalize_variable_values(self, var_list):
        """With ``use_ema``, copies the moving averages into the variables."""
        if self.use_ema:
            self._overwrite_model_variables_with_average_value(var_list)

    def scale_loss(self, loss):
        """Multiplies ``loss`` by ``loss_scale_factor`` when one is set."""
        return loss if self.loss_scale_factor is None else loss * self.loss_scale_factor

    # -- Keras 2's minimize (kept because TF code still calls it) -------------------------------
    def minimize(self, loss, var_list, grad_loss=None, name=None, tape=None):
        """Computes gradients of ``loss`` (a zero-argument callable, or a Tensor with the
        ``tape`` that computed it) for ``var_list`` and applies them; returns None."""
        from .._core.tape import GradientTape
        if not callable(loss) and tape is None:
            raise ValueError("`tape` is required when a `Tensor` loss is passed. Received: "
                             f"loss={_fmt(loss)}, tape={tape}.")
        tape = tape if tape is not None else GradientTape()
        if callable(loss):
            with tape:
                if not callable(var_list):
                    tape.watch(var_list)
                loss = loss()
                if callable(var_list):
                    var_list = var_list()
        elif callable(var_list):
            var_list = var_list()
        var_list = list(var_list)
        grads = tape.gradient(loss, var_list, grad_loss)
        self._apply(list(grads), var_list, 3)

    # -- serialization ------------------------------------------------------------------------
    def get_config(self):
        """The constructor arguments (learning rate as a float or a serialized schedule)."""
        lr = self._learning_rate
        if isinstance(lr, _schedules.LearningRateSchedule):
            lr = _schedules.serialize(lr)
        elif isinstance(lr, Variable):
            lr = float(lr._value)
        return {"name": self.name, "learning_rate": lr, "weight_decay": self.weight_decay,
                "clipnorm": self.clipnorm, "global_clipnorm": self.global_clipnorm,
                "clipvalue": self.clipvalue, "use_ema": self.use_ema,
                "ema_momentum": self.ema_momentum,
                "ema_overwrite_frequency": self.ema_overwrite_frequency,
                "loss_scale_factor": self.loss_scale_factor,
                "gradient_accumulation_steps": self.gradient_accumulation_steps}

    @classmethod
    def from_config(cls, config, custom_objects=None):
        """A new optimizer (without state) from ``get_config()``'s output."""
        config = dict(config)
        if isinstance(config.get("learning_rate"), dict):
            config["learning_rate"] = _schedules.deserialize(config["learning_rate"],
                                                             custom_objects)
        return cls(**config)

    def save_own_variables(self, store):
        """Writes the state arrays into ``store`` under "0", "1", ..."""
        for i, v in enumerate(self._variables):
            store[str(i)] = v.numpy()

    def load_own_variables(self, store):
        """Restores the state written by ``save_own_variables`` (the optimizer must be built)."""
        if len(store.keys()) != len(self._variables):
            msg = (f"Skipping variable loading for optimizer '{self.name}', because it has "
                   f"{len(self._variables)} variables whereas the saved optimizer has "
                   f"{len(store.keys())} variables. ")
            if len(self._variables) == 0:
                msg += "This is likely because the optimizer has not been called/built yet."
            warnings.warn(msg, stacklevel=2)
            return
        for i, v in enumerate(self._variables):
            v.assign(store[str(i)])

    def set_weights(self, weights):
        """Assigns a list of arrays to ``variables`` (shapes must match)."""
        if not self.built:
            raise ValueError(
                "You are calling `set_weights()` on an optimizer that has not yet been built. "
                "Please call `optimizer.build(trainable_variables)` to create the optimizer "
                "weights before calling `set_weights()`.")
        for v, w in zip(self._variables, weights):
            if tuple(v.shape) != tuple(np.shape(w)):
                raise ValueError(f"Optimizer variable {v._unique_id} has shape {v.shape} not "
                                 f"compatible with provided weight shape {np.shape(w)}.")
            v.assign(w)


# The arguments every built-in optimizer hands to the base class unchanged (all but ``self``
# and ``**kwargs``), read from the signature so the list cannot drift from it.
_BASE_ARGS = tuple(inspect.signature(Optimizer.__init__).parameters)[1:-1]


def _base_args(args):
    """The base-class arguments out of a built-in optimizer's ``locals()``: their signatures
    spell out every Keras argument, as Keras's do, and pass the shared ones on in one line."""
    return dict({n: args[n] for n in _BASE_ARGS}, **args["kwargs"])


def _params(*names):
    """get_config for per-class hyperparameters stored as attributes of the same names."""
    def get_config(self):
        config = Optimizer.get_config(self)
        config.update({n: getattr(self, n) for n in names})
        return config
    return get_config
