"""Variable: mutable state whose every read inside a tape is recorded separately, against the
variable's one identity (TF's ResourceVariable semantics; see tf_semantics.md section 2)."""
import numpy as np

from . import dtypes as _dt
from .callsite import user_site
from .context import next_id, note_escape, record, state
from .registry import defop
from .tensor import Tensor, TensorShape, convert_to_tensor, _np_repr


@defop("ReadVariableOp", same_dtype=False)
def _read_variable(value):
    return value


@_read_variable.def_grad
def _read_variable_grad(op, grad):
    """A read is the identity."""
    return grad


_read_variable.def_fast_grad(_read_variable_grad)  # the same rule serves arrays


@defop("AssignVariableOp", same_dtype=False, differentiable=False)
def _assign_variable(value):
    return value


class Variable:
    """A mutable tensor-like value. ``trainable`` (default True) makes tapes watch it when read."""

    _is_variable = True
    _auto_watch = True  # a read watches the variable on recording tapes (see _UnreadVariable)
    __array_priority__ = 100

    def __init__(self, initial_value=None, trainable=None, validate_shape=True,
                 caching_device=None, name=None, variable_def=None, dtype=None,
                 import_scope=None, constraint=None, synchronization=None, aggregation=None,
                 shape=None, experimental_enable_variable_lifting=True):
        if initial_value is None:
            raise ValueError("initial_value must be specified.")
        if callable(initial_value):
            initial_value = initial_value()
        if isinstance(initial_value, Variable):
            initial_value = initial_value._value
        init = convert_to_tensor(initial_value, dtype=dtype) if not isinstance(initial_value, Tensor) \
            else initial_value
        if dtype is not None and init._dtype is not _dt.as_dtype(dtype):
            raise ValueError(f"Tensor conversion requested dtype {_dt.as_dtype(dtype).name} for "
                             f"Tensor with dtype {init._dtype.name}")
        if constraint is not None and not callable(constraint):
            raise ValueError("The `constraint` argument must be a callable.")
        self._value = init._value  # arrays are never written in place, so sharing is safe
        self._dtype = init._dtype
        self._id = next_id()
        self._trainable = True if trainable is None else bool(trainable)
        self._name = (name or "Variable") + ":0" if not (name or "").endswith(":0") else name
        self._shape = TensorShape(self._value.shape) if shape is None else TensorShape(shape)
        self._constraint = constraint
        self._snapshot = None
        self._outside_read_site = None
        self._site = user_site(2)

    # -- identity and metadata ----------------------------------------------------------------
    @property
    def name(self):
        return self._name

    @property
    def dtype(self):
        return self._dtype

    @property
    def shape(self):
        return TensorShape(self._value.shape)

    def get_shape(self):
        return self.shape

    @property
    def ndim(self):
        return self._value.ndim

    @property
    def trainable(self):
        return self._trainable

    @property
    def constraint(self):
        return self._constraint

    @property
    def device(self):
        return "/job:localhost/replica:0/task:0/device:CPU:0"

    @property
    def _unique_id(self):
        return self._id

    @property
    def handle(self):
        return self

    def ref(self):
        from .tensor import _Ref
        return _Ref(self)

    experimental_ref = ref

    def __hash__(self):
        raise TypeError("Variable is unhashable. Instead, use variable.ref() as the key.")

    # -- reads --------------------------------------------------------------------------------
    def _read(self):
        """A Tensor holding the current value; recorded on every active tape (auto-watching)."""
        tapes = state.tapes
        if tapes:
            for tape in tapes:
                if not tape._recording:
                    if tape._tracked is not None and self._id not in tape._outside_reads:
                        tape._outside_reads[self._id] = user_site(2)
                elif (self._auto_watch and tape._watch_accessed and self._trainable
                        and self._id not in tape._tracked):
                    tape._watch_variable(self)
            t = Tensor(self._value, self._dtype)
            record(_read_variable, (self,), (t,), {})
            return t
        snap = self._snapshot
        if snap is None:
            # First read since the last assignment with no tape active: remember where, so
            # explain can point at a loss computed before or after the tape.
            snap = self._snapshot = Tensor(self._value, self._dtype)
            snap._site = self._outside_read_site = user_site(2)
        return snap

    def value(self):
        return self._read()

    def read_value(self):
        return self._read()

    def numpy(self):
        if state.tapes:
            note_escape(self, "numpy()", True)
        v = self._value
        return v.copy() if isinstance(v, np.ndarray) else v

    def __array__(self, dtype=None, copy=None):
        if state.tapes:
            note_escape(self, "np.asarray()", True)
        return np.array(self._value, dtype=dtype, copy=True)

    def __float__(self):
        if state.tapes:
            note_escape(self, "float()", True)
        return float(self._value)

    def __int__(self):
        if state.tapes:
            note_escape(self, "int()", True)
        return int(self._value)

    def __index__(self):
        return int(self._value)

    def __bool__(self):
        if state.tapes:
            note_escape(self, "bool()", True)
        return bool(self._value)

    def __len__(self):
        if self._value.ndim == 0:
            raise TypeError("Scalar tensor has no `len()`")
        return self._value.shape[0]

    def __iter__(self):
        return iter(self._read())

    def __setitem__(self, key, value):
        raise TypeError("'ResourceVariable' object does not support item assignment")

    # -- writes -------------------------------------------------------------------------------
    def _new_value(self, value, op_name):
        t = convert_to_tensor(value, dtype=self._dtype)
        new = t._value
        if new.shape != self._value.shape and self._shape.is_fully_defined():
            raise ValueError(
                f"Cannot assign value to variable ' {self._name}': Shape mismatch.The variable "
                f"shape {_shape(self._value.shape)}, and the assigned value shape "
                f"{_shape(new.shape)} are incompatible.")
        return t

    def _set(self, t, read_value):
        if state.tapes:
            record(_assign_variable, (t,), (), {"variable": self._id})
        value = t._value
        if isinstance(value, np.ndarray) and value.flags.writeable:
            value = value.copy()
            value.flags.writeable = False
        self._value = value
        self._snapshot = None
        if not read_value:
            return None
        # As in TF, the assignment that hands back a value is the access that watches.
        for tape in state.tapes:
            if (tape._recording and tape._watch_accessed and self._trainable
                    and self._id not in tape._tracked):
                tape._watch_variable(self)
        return _UnreadVariable(self)

    def assign(self, value, use_locking=None, name=None, read_value=True):
        return self._set(self._new_value(value, "assign"), read_value)

    def assign_add(self, delta, use_locking=None, name=None, read_value=True):
        d = self._new_value(delta, "assign_add")
        return self._set(Tensor(np.asarray(self._value + d._value, dtype=self._dtype._np), self._dtype), read_value)

    def assign_sub(self, delta, use_locking=None, name=None, read_value=True):
        d = self._new_value(delta, "assign_sub")
        return self._set(Tensor(np.asarray(self._value - d._value, dtype=self._dtype._np), self._dtype), read_value)

    # -- printing -----------------------------------------------------------------------------
    def __repr__(self):
        return (f"<tf.Variable '{self._name}' shape={_shape(self._value.shape)} "
                f"dtype={self._dtype.name}, numpy={_np_repr(self._value)}>")

    def __str__(self):
        return repr(self)

    def __deepcopy__(self, memo):
        v = Variable(self._value, trainable=self._trainable, name=self._name[:-2],
                     dtype=self._dtype)
        return v


class _UnreadVariable(Variable):
    """What ``assign*`` returns: the same variable (same identity and state), printed as TF
    prints it. Its reads are recorded only on tapes already watching the variable: kept past
    the tape that made it, ``r * x`` differentiates the read of ``x`` only (TF 2.21)."""

    _auto_watch = False

    @property
    def name(self):
        return "UnreadVariable"

    def __init__(self, var):  # noqa: super().__init__ deliberately not called
        self.__dict__ = var.__dict__

    def __repr__(self):
        return (f"<tf.Variable 'UnreadVariable' shape={_shape(self._value.shape)} "
                f"dtype={self._dtype.name}, numpy={_np_repr(self._value)}>")


def _shape(shape):
    return "(" + ", ".join(str(d) for d in shape) + ("," if len(shape) == 1 else "") + ")"
