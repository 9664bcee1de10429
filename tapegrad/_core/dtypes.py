"""DType objects with TensorFlow's names, and the rules for which dtypes carry gradients."""
import numpy as np


class DType:
    """A tensor element type, named as TensorFlow names it (``tf.float32`` ...)."""

    __slots__ = ("name", "_np", "is_floating", "is_integer", "is_complex", "is_bool",
                 "is_unsigned", "differentiable")

    def __init__(self, name, np_type):
        self.name = name
        self._np = np.dtype(np_type)
        kind = self._np.kind
        self.is_floating = kind == "f"
        self.is_complex = kind == "c"
        self.is_integer = kind in "iu"
        self.is_unsigned = kind == "u"
        self.is_bool = kind == "b"
        # TF differentiates float and complex tensors only; ints and bools never get a gradient.
        self.differentiable = kind in "fc"

    @property
    def as_numpy_dtype(self):
        return self._np.type

    @property
    def base_dtype(self):
        return self

    @property
    def real_dtype(self):
        return {complex64: float32, complex128: float64}.get(self, self)

    @property
    def size(self):
        return self._np.itemsize

    @property
    def min(self):
        return np.finfo(self._np).min if self.is_floating else np.iinfo(self._np).min

    @property
    def max(self):
        return np.finfo(self._np).max if self.is_floating else np.iinfo(self._np).max

    def is_compatible_with(self, other):
        return self == other

    def __eq__(self, other):
        if other is self:
            return True
        if other is None:
            return False
        try:
            return as_dtype(other) is self
        except TypeError:
            return False

    def __ne__(self, other):
        return not self.__eq__(other)

    def __hash__(self):
        return hash(self.name)

    def __repr__(self):
        return "tf." + self.name

    def __str__(self):  # print(x.dtype) shows what TF shows
        return f"<dtype: '{self.name}'>"

    def __reduce__(self):
        return as_dtype, (self.name,)


float16 = half = DType("float16", np.float16)
float32 = DType("float32", np.float32)
float64 = double = DType("float64", np.float64)
int8 = DType("int8", np.int8)
int16 = DType("int16", np.int16)
int32 = DType("int32", np.int32)
int64 = DType("int64", np.int64)
uint8 = DType("uint8", np.uint8)
uint16 = DType("uint16", np.uint16)
uint32 = DType("uint32", np.uint32)
uint64 = DType("uint64", np.uint64)
bool = DType("bool", np.bool_)  # noqa: A001 - TF's public name
complex64 = DType("complex64", np.complex64)
complex128 = DType("complex128", np.complex128)

ALL = (float16, float32, float64, int8, int16, int32, int64, uint8, uint16, uint32, uint64,
       bool, complex64, complex128)
FLOATS = frozenset({float16, float32, float64})
COMPLEX = frozenset({complex64, complex128})
INEXACT = FLOATS | COMPLEX
INTEGERS = frozenset(d for d in ALL if d.is_integer)
NUMERIC = INEXACT | INTEGERS
REAL = FLOATS | INTEGERS
ANY = frozenset(ALL)

_BY_NAME = {d.name: d for d in ALL}
_BY_NAME.update(half=float16, double=float64)
# np.dtype -> DType; the per-op hot path looks results up here.
_BY_NP = {d._np: d for d in ALL}


def from_numpy(np_dtype):
    """DType of a NumPy dtype (fast path used by the engine)."""
    d = _BY_NP.get(np_dtype)
    if d is None:
        raise TypeError(f"tapegrad has no dtype for NumPy dtype {np_dtype}")
    return d


def as_dtype(type_value):
    """Converts a DType, NumPy dtype, Python type or name to a DType, as ``tf.as_dtype``."""
    if isinstance(type_value, DType):
        return type_value
    if isinstance(type_value, str):
        d = _BY_NAME.get(type_value)
        if d is not None:
            return d
    elif type_value is not None:
        if type_value is float:
            return float64
        if type_value is int:
            return int64
        if type_value is complex:
            return complex128
        try:
            d = _BY_NP.get(np.dtype(type_value))
        except TypeError:
            d = None
        if d is not None:
            return d
    raise TypeError(f"Cannot convert the argument `type_value`: {type_value!r} "
                    "to a TensorFlow DType.")
