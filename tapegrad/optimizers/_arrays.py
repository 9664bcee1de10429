"""Array-level helpers of the optimizers: writing state, gradients as arrays (``_Rows`` for
IndexedSlices), Keras's scalar casts, names, and the Keras 3 view of optimizer variables."""
import re
import sys

import numpy as np

from .._core import dtypes as _dt
from .._core.context import state
from .._core.errors import InvalidArgumentError, UnimplementedError
from .._core.tensor import Tensor
from .._core.variables import Variable

_NAMES = {}


def _auto_name(cls_name):
    """Keras's unique snake_case object names: 'adam', 'adam_1', 'rm_sprop', 'adam_w'."""
    base = re.sub(r"([a-z])([A-Z])", r"\1_\2", re.sub(r"(.)([A-Z][a-z]+)", r"\1_\2", cls_name))
    base = base.lower()
    n = _NAMES.get(base, 0)
    _NAMES[base] = n + 1
    return base if n == 0 else f"{base}_{n}"


def _write(var, arr):
    """Store a freshly computed array (ours alone) in ``var``: the variable's own write path
    (``Variable._set``, what ``assign`` ends in) without re-converting and re-checking a value
    that already has the variable's dtype and shape. Marking the array read-only spares the
    defensive copy made of writeable arrays; arrays are never changed in place."""
    if arr.__class__ is not np.ndarray:
        arr = np.asarray(arr)
    dt = var._dtype
    if arr.dtype is not dt._np and arr.dtype != dt._np:
        arr = arr.astype(dt._np)
    arr.setflags(write=False)
    var._set(Tensor(arr, dt), False)


def _subtract(var, delta):
    """``var -= delta``. When the variable's array is held by the variable alone (no Tensor
    read from it, no view, no snapshot, no tape that could record the write: CPython's
    reference count says so) the memory is reused, which nothing else can observe; otherwise
    a new array is written as ``_write`` does. The values are the same either way."""
    x = var._value
    # References: var._value, the local x, and getrefcount's own argument.
    if (not state.tapes and x.__class__ is np.ndarray and x.base is None
            and delta.dtype == x.dtype and sys.getrefcount(x) <= 3):
        x.flags.writeable = True
        np.subtract(x, delta, out=x)
        x.flags.writeable = False
        return
    _write(var, x - delta)


_TF_CAST_NAMES = {"float32": "float", "float64": "double", "float16": "half"}


def _array(value, np_dtype, v1=False):
    """A gradient (Tensor, Variable, NumPy or Python value) as an array of ``np_dtype``.
    Strings fail as TF's Cast does (v1 casts the other way round, so its text is reversed)."""
    if value.__class__ is Tensor or isinstance(value, (Tensor, Variable)):
        a = value._value
        if a.__class__ is not np.ndarray:
            a = np.asarray(a)
    else:
        a = np.asarray(value)
    if a.dtype is np_dtype or a.dtype == np_dtype:
        return a
    if a.dtype.kind in "SU":
        name = np.dtype(np_dtype).name
        name = _TF_CAST_NAMES.get(name, name)
        pair = (name, "string") if v1 else ("string", name)
        raise UnimplementedError(f"Cast {pair[0]} to {pair[1]} is not supported [Op:Cast]")
    return a.astype(np_dtype)


class _Rows:
    """An IndexedSlices gradient as arrays: ``values[k]`` belongs to row ``indices[k]``."""

    __slots__ = ("values", "indices", "shape", "_dense")

    def __init__(self, values, indices, shape):
        self.values = values
        self.indices = indices
        self.shape = shape
        self._dense = None

    def _segment_sum(self, vals):
        out = np.zeros(self.shape, vals.dtype)
        np.add.at(out, self.indices, vals)
        return out

    def dense(self):
        """Values summed per row (what densifying the IndexedSlices gives)."""
        if self._dense is None:
            self._dense = self._segment_sum(self.values)
        return self._dense

    def sq(self):
        """Squares of the individual values summed per row (Keras squares before scattering)."""
        return self._segment_sum(self.values * self.values)

    def abs_sum(self):
        """Absolute values summed per row (Keras's abs keeps duplicates apart)."""
        return self._segment_sum(np.abs(self.values))

    @property
    def dtype(self):
        return self.values.dtype

    def with_values(self, values):
        return _Rows(values, self.indices, self.shape)


def _cast(value, typ):
    """``ops.cast(python_float, dtype)`` as Keras does it: through a float32 tensor first."""
    return typ(np.float32(value)) if value.__class__ is float else typ(value)


def _sq(g, rows):
    """The squared gradient as Keras computes it (per-value squares summed for sparse rows)."""
    return g * g if rows is None else rows.sq()


def _fmt(value):
    """How TF's f-strings print a value (eager tensors format as their NumPy value)."""
    if isinstance(value, (Tensor, Variable)):
        return str(np.asarray(value._value))
    return f"{value}"


def _map_values(a, fn):
    return a.with_values(fn(a.values)) if a.__class__ is _Rows else fn(a)


def _fmt_lr(value):
    if isinstance(value, (Tensor, Variable, np.ndarray, np.generic)):
        return repr(float(np.asarray(getattr(value, "_value", value))))
    return f"{value}"


def _restore_slot(arrays, key, var):
    """Assigns ``var`` the checkpoint array saved for slot ``key`` (its path is ``key`` or ends
    in ``/key``) when exactly one fits; how slots created after a restore get their values, in
    both the Keras and the v1 optimizers."""
    found = [k for k in arrays if k == key or k.endswith("/" + key)]
    if len(found) == 1 and arrays[found[0]].shape == var._value.shape:
        var.assign(arrays[found[0]])


def _shape_error(var, shape):
    dims = lambda s: "[" + ",".join(str(d) for d in s) + "]"  # noqa: E731
    return InvalidArgumentError(
        f"Cannot update variable with shape {dims(var._value.shape)} using a Tensor with shape "
        f"{dims(shape)}, shapes must be equal. [Op:AssignSubVariableOp]")


class _DTypeName(str):
    """A dtype as Keras 3 variables give it (the string 'float32'), keeping DType's attributes."""

    def __getattr__(self, name):
        if name.startswith("__"):
            raise AttributeError(name)
        return getattr(_dt.as_dtype(str(self)), name)


class _KerasVariable(Variable):
    """Keras 3's face of an optimizer variable (``opt.variables``, ``opt.iterations``): the
    same state as the tapegrad Variable it wraps (``value``), with Keras's ``name``, ``path``,
    string ``dtype`` and repr. Shares the wrapped variable's ``__dict__``, as an
    ``_UnreadVariable`` does, so the two can never disagree."""

    def __init__(self, var, name, path):  # noqa: super().__init__ deliberately not called
        self.__dict__ = var.__dict__
        var._keras = (name, path, var)

    @property
    def name(self):
        return self._keras[0]

    @property
    def path(self):
        return self._keras[1]

    @property
    def value(self):
        return self._keras[2]

    @property
    def dtype(self):
        return _DTypeName(self._dtype.name)

    def __repr__(self):
        v = self._value
        v = v[()] if v.ndim == 0 else v
        return (f"<Variable path={self.path}, shape={self.shape}, dtype={self._dtype.name}, "
                f"value={v}>")

    __str__ = __repr__
