"""Tensor (an immutable array with a dtype and an identity), TensorShape, IndexedSlices, and
conversion of Python and NumPy values. Operators are attached by ``tapegrad.ops.overloads``
so that this module holds no op math."""
import numpy as np

from . import dtypes as _dt
from .callsite import user_site
from .context import next_id, note_escape, state
from .errors import LeftTapeError

_BY_NP = _dt._BY_NP


class TensorShape(tuple):
    """A shape that compares equal to tuples and lists of the same dims, as TF's does."""

    def __new__(cls, dims=()):
        if dims is None:
            dims = ()
        return super().__new__(cls, (None if d is None else int(d) for d in dims))

    @property
    def rank(self):
        return len(self)

    ndims = rank

    @property
    def dims(self):
        return list(self)

    def as_list(self):
        return list(self)

    def num_elements(self):
        n = 1
        for d in self:
            if d is None:
                return None
            n *= d
        return n

    def is_compatible_with(self, other):
        other = TensorShape(other)
        return len(self) == len(other) and all(
            a is None or b is None or a == b for a, b in zip(self, other))

    def is_fully_defined(self):
        return all(d is not None for d in self)

    def __getitem__(self, key):
        r = tuple.__getitem__(self, key)
        return TensorShape(r) if isinstance(key, slice) else r

    def __eq__(self, other):
        if isinstance(other, (list, tuple)):
            return tuple(self) == tuple(other)
        return NotImplemented

    def __ne__(self, other):
        eq = self.__eq__(other)
        return eq if eq is NotImplemented else not eq

    __hash__ = tuple.__hash__

    def __repr__(self):
        return f"TensorShape({list(self)})"

    def __str__(self):
        return "(" + ", ".join("None" if d is None else str(d) for d in self) + ("," if len(self) == 1 else "") + ")"


class Tensor:
    """An immutable n-dimensional array with a dtype and a unique identity.

    Tensors are produced by ops and by ``constant``/``convert_to_tensor``; tapes refer to them
    by ``_id``. The array is never written to after creation.
    """

    __slots__ = ("_value", "_dtype", "_id", "_site", "__weakref__")
    # Make ndarray <op> Tensor return NotImplemented so our reflected operators run.
    __array_priority__ = 100

    def __init__(self, value, dtype):
        self._value = value
        self._dtype = dtype
        self._id = next_id()

    # -- properties -------------------------------------------------------------------------
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
    def name(self):
        raise AttributeError("Tensor.name is undefined when eager execution is enabled.")

    @property
    def device(self):
        return "/job:localhost/replica:0/task:0/device:CPU:0"

    def ref(self):
        return _Ref(self)

    def experimental_ref(self):
        return _Ref(self)

    # -- leaving tapegrad (each is an escape event when the tensor is on a tape) ------------
    def _escape(self, how):
        if state.tapes:
            note_escape(self, how)

    def numpy(self):
        if state.tapes:
            note_escape(self, "numpy()")
        v = self._value
        # A copy: the caller may write to it, and our array must stay as it is.
        return v.copy() if isinstance(v, np.ndarray) else v

    def __array__(self, dtype=None, copy=None):
        if state.tapes:
            note_escape(self, "np.asarray()")
        v = np.array(self._value, dtype=dtype, copy=True)
        return v

    def item(self):
        if state.tapes:
            note_escape(self, ".item()")
        return self._value.item()

    def tolist(self):
        if state.tapes:
            note_escape(self, ".tolist()")
        return np.asarray(self._value).tolist()

    def __float__(self):
        if state.tapes:
            note_escape(self, "float()")
        return float(self._value)

    def __int__(self):
        if state.tapes:
            note_escape(self, "int()")
        return int(self._value)

    def __index__(self):
        if not self._dtype.is_integer:
            raise TypeError(f"Only integer tensors can be used as an index, got {self._dtype.name}")
        return int(self._value)

    def __complex__(self):
        return complex(self._value)

    def __bool__(self):
        if state.tapes:
            note_escape(self, "bool()")
        return bool(self._value)

    def __len__(self):
        if self._value.ndim == 0:
            raise TypeError("Scalar tensor has no `len()`")
        return self._value.shape[0]

    def __iter__(self):
        if self._value.ndim == 0:
            raise TypeError("Cannot iterate over a scalar tensor.")
        return (self[i] for i in range(self._value.shape[0]))

    def __hash__(self):
        raise TypeError("Tensor is unhashable. Instead, use tensor.ref() as the key.")

    def __setitem__(self, key, value):
        raise TypeError(f"'{type(self).__name__}' object does not support item assignment")

    def __copy__(self):
        return self

    def __deepcopy__(self, memo):
        return self

    def __reduce__(self):
        return convert_to_tensor, (np.asarray(self._value),)

    # -- printing ---------------------------------------------------------------------------
    def __repr__(self):
        return (f"<tf.Tensor: shape={_shape_str(self._value.shape)}, dtype={self._dtype.name}, "
                f"numpy={_np_repr(self._value)}>")

    def __str__(self):
        sep = "\n" if self._value.ndim >= 2 else ""  # TF starts a matrix on its own line
        return f"tf.Tensor({sep}{_np_str(self._value)}, shape={_shape_str(self._value.shape)}, dtype={self._dtype.name})"

    def __format__(self, spec):
        if spec and self._value.ndim == 0:
            return format(self._value.item(), spec)
        return str(self) if not spec else format(str(self), spec)


class _Ref:
    """Hashable reference to a Tensor or Variable (``tensor.ref()``)."""

    __slots__ = ("_obj",)

    def __init__(self, obj):
        self._obj = obj

    def deref(self):
        return self._obj

    def __hash__(self):
        return self._obj._id

    def __eq__(self, other):
        return isinstance(other, _Ref) and other._obj is self._obj


def _shape_str(shape):
    return "(" + ", ".join(str(d) for d in shape) + ("," if len(shape) == 1 else "") + ")"


def _np_repr(v):
    if isinstance(v, np.ndarray) and v.ndim:
        return repr(v)
    return str(np.asarray(v)[()])  # TF prints numpy=2.0, not numpy=np.float32(2.0)


def _np_str(v):
    return np.array2string(np.asarray(v), separator=" ") if np.ndim(v) else str(np.asarray(v)[()])


class IndexedSlices:
    """A sparse gradient: rows ``values`` at ``indices`` of a tensor of ``dense_shape``.

    Produced by the gradient of ``gather`` (axis 0); duplicates are kept, as in TF.
    """

    def __init__(self, values, indices, dense_shape=None):
        self.values = values
        self.indices = indices
        self.dense_shape = dense_shape

    @property
    def dtype(self):
        return self.values.dtype

    @property
    def shape(self):
        if self.dense_shape is None:
            return TensorShape([None] + list(self.values.shape[1:]))
        return TensorShape(np.asarray(self.dense_shape._value if isinstance(self.dense_shape, Tensor) else self.dense_shape).tolist())

    def __neg__(self):
        return IndexedSlices(-self.values, self.indices, self.dense_shape)

    def __add__(self, other):
        return _CONVERTERS["IndexedSlices.add"](self, other)

    __radd__ = __add__

    def __repr__(self):  # TF prints the fields with str() and leaves out a missing dense_shape
        shape = "" if self.dense_shape is None else f", dense_shape={self.dense_shape}"
        return f"IndexedSlices(indices={self.indices}, values={self.values}{shape})"


# type -> function(value, dtype) registered by the ops package (IndexedSlices densify, autopacking)
_CONVERTERS = {}


def _python_default(arr, value):
    """TF's default dtype for a Python (not NumPy) value: float32 for floats, int32 for ints."""
    kind = arr.dtype.kind
    if kind == "f":
        return arr.astype(np.float32)
    if kind == "i" and arr.dtype != np.int32:
        if arr.size == 0 or (arr.min() >= -2**31 and arr.max() < 2**31):
            return arr.astype(np.int32)
        return arr.astype(np.int64)
    if kind == "U" or kind == "S" or kind == "O":
        raise ValueError(f"Attempt to convert a value ({value!r}) with an unsupported type "
                         f"({type(value)}) to a Tensor.")
    return arr


def _contains_tensor(value):
    if isinstance(value, (list, tuple)):
        return any(_contains_tensor(v) for v in value)
    return isinstance(value, Tensor) or getattr(value, "_is_variable", False)


_PY_SCALARS = (int, float, bool)
_SCALARS = {}  # (type, value, dtype) -> Tensor: Python scalars met in expressions like x * 2.0


def scalar_tensor(value, dtype):
    """A cached constant for a Python int/float/bool operand (tensors are immutable, so shared)."""
    key = (value.__class__, value, dtype)
    t = _SCALARS.get(key)
    if t is None:
        t = constant_from_value(value, dtype)
        if len(_SCALARS) > 4096:
            _SCALARS.clear()
        _SCALARS[key] = t
    return t


def convert_to_tensor(value, dtype=None, dtype_hint=None, name=None):
    """Converts a Tensor, Variable, IndexedSlices, NumPy or Python value to a Tensor."""
    if type(value) is Tensor:
        if dtype is not None and _dt.as_dtype(dtype) is not value._dtype:
            raise ValueError(f"Tensor conversion requested dtype {_dt.as_dtype(dtype).name} for "
                             f"Tensor with dtype {value._dtype.name}: {value!r}")
        return value
    if dtype is not None:
        if value.__class__ in _PY_SCALARS and dtype.__class__ is _dt.DType:
            return scalar_tensor(value, dtype)
        dtype = _dt.as_dtype(dtype)
    if getattr(value, "_is_variable", False):
        t = value._read()
        if dtype is not None and dtype is not t._dtype:
            raise ValueError(f"Tensor conversion requested dtype {dtype.name} for "
                             f"Variable with dtype {t._dtype.name}: {value!r}")
        return t
    if isinstance(value, Tensor):  # a subclass
        return value
    conv = _CONVERTERS.get(type(value))
    if conv is not None:
        return conv(value, dtype)
    if isinstance(value, (list, tuple)) and _contains_tensor(value):
        return _CONVERTERS["pack"](value, dtype)
    return constant_from_value(value, dtype, dtype_hint)


def constant_from_value(value, dtype=None, dtype_hint=None, site=None):
    if value is None:
        raise ValueError(f"Attempt to convert a value (None) with an unsupported type "
                         f"({type(None)}) to a Tensor.")
    is_numpy = isinstance(value, (np.ndarray, np.generic))
    try:
        arr = np.array(value)  # always a copy: the caller keeps ownership of its array
    except (ValueError, TypeError) as e:
        raise ValueError(f"Can't convert non-rectangular Python sequence to Tensor: {e}") from None
    if isinstance(value, Tensor) or getattr(value, "_is_variable", False):
        raise TypeError("internal: tensor passed to constant_from_value")
    if dtype is not None and is_numpy and arr.dtype.kind in "biufc":
        # NumPy values are cast as NumPy casts (truncating, wrapping, real part), as TF does;
        # only Python values must convert without loss.
        if arr.dtype.kind == "c" and dtype._np.kind != "c":
            arr = arr.real
        with np.errstate(invalid="ignore", over="ignore"):
            arr = arr.astype(dtype._np)
    elif dtype is not None:
        if dtype.is_integer and arr.dtype.kind in "fc" and not np.all(np.isfinite(arr) & (arr == np.round(arr.real))):
            raise TypeError(f"Cannot convert {value!r} to EagerTensor of dtype {dtype.name}")
        if (dtype.is_integer or dtype.is_floating) and arr.dtype.kind == "c":
            raise TypeError(f"Cannot convert {value!r} to EagerTensor of dtype {dtype.name}")
        if dtype.is_bool and arr.dtype.kind != "b":
            raise TypeError(f"Cannot convert {value!r} to EagerTensor of dtype bool")
        if arr.dtype.kind in "US":
            raise TypeError(f"Cannot convert {value!r} to EagerTensor of dtype {dtype.name}")
        arr = arr.astype(dtype._np, copy=False)
    elif not is_numpy:
        if dtype_hint is not None:
            hint = _dt.as_dtype(dtype_hint)
            if arr.dtype.kind in "biu" or (arr.dtype.kind == "f" and hint.is_floating):
                try:
                    return constant_from_value(value, hint, None, site)
                except TypeError:
                    pass
        arr = _python_default(arr, value)
    elif arr.dtype.kind in "USO":
        raise ValueError(f"Attempt to convert a value ({value!r}) with an unsupported type "
                         f"({type(value)}) to a Tensor.")
    dt = _BY_NP.get(arr.dtype)
    if dt is None:
        raise TypeError(f"Cannot convert {value!r} to a Tensor: unsupported dtype {arr.dtype}")
    arr.flags.writeable = False
    t = Tensor(arr, dt)
    t._site = site or user_site(2)
    return t


def left_tape_error(value, role):
    """The AttributeError TF raises for a NumPy/Python target or source, with a useful message."""
    mod = type(value).__module__
    tname = ("numpy." if mod == "numpy" else "") + type(value).__name__
    attr = "_id" if role == "source" or isinstance(value, (np.ndarray, np.generic)) else "dtype"
    return LeftTapeError(
        f"'{tname}' object has no attribute '{attr}': the {role} is a {tname}, "
        f"not a tapegrad Tensor, so it is not on the tape (a value taken out with numpy(), "
        f"float() or a NumPy function has no gradient history). Compute the {role} with "
        f"tapegrad ops inside the tape.")
