"""``tf.TensorSpec``: a shape and dtype that values are checked against (tf.function's
``input_signature``)."""
from ._core import dtypes as _dt
from ._core.tensor import Tensor, TensorShape


def _is_tensor_like(x):
    return isinstance(x, Tensor) or getattr(x, "_is_variable", False)


class TensorSpec:
    """The type of a tensor: ``shape`` (dims may be None; ``shape=None`` means any rank),
    ``dtype`` and an optional ``name``."""

    __slots__ = ("_dims", "_dtype", "_name")

    def __init__(self, shape, dtype=_dt.float32, name=None):
        # tapegrad's TensorShape reads None as rank 0, so an unknown rank is kept as None here.
        self._dims = None if shape is None else TensorShape(shape)
        self._dtype = _dt.as_dtype(dtype)
        self._name = name

    @classmethod
    def from_tensor(cls, tensor, name=None):
        """The spec of ``tensor``'s shape and dtype."""
        return cls(tensor.shape, tensor.dtype, name)

    @property
    def shape(self):
        """The dims as a TensorShape; None when the rank is unknown (``TensorSpec(None)``)."""
        return self._dims

    @property
    def dtype(self):
        return self._dtype

    @property
    def name(self):
        return self._name

    def _shape_ok(self, shape):
        return self._dims is None or self._dims.is_compatible_with(shape)

    def is_compatible_with(self, spec_or_tensor):
        """True when ``spec_or_tensor`` (a TensorSpec, Tensor or Variable) has this dtype and a
        shape this spec accepts."""
        if isinstance(spec_or_tensor, TensorSpec):
            if spec_or_tensor._dims is None:
                return self._dims is None and self._dtype is spec_or_tensor._dtype
            other = spec_or_tensor
        elif _is_tensor_like(spec_or_tensor):
            other = spec_or_tensor
        else:
            return False
        return other.dtype is self._dtype and self._shape_ok(other.shape)

    def _shape_text(self):
        return "<unknown>" if self._dims is None else str(self._dims)

    def __repr__(self):
        return (f"TensorSpec(shape={self._shape_text()}, dtype={self._dtype!r}, "
                f"name={self._name!r})")

    def __eq__(self, other):
        if not isinstance(other, TensorSpec):
            return NotImplemented
        return (self._dims == other._dims if self._dims is not None and other._dims is not None
                else self._dims is other._dims) and self._dtype is other._dtype \
            and self._name == other._name

    def __ne__(self, other):
        eq = self.__eq__(other)
        return eq if eq is NotImplemented else not eq

    def __hash__(self):
        return hash((None if self._dims is None else tuple(self._dims), self._dtype.name,
                     self._name))
