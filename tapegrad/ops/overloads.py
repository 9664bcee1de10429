"""Python operators on Tensor and Variable, mapped to ops as TF maps them."""
from .._core import dtypes as _dt
from .._core.callsite import user_site
from .._core.tensor import Tensor, convert_to_tensor
from .._core.variables import Variable
from . import comparison_ops as cmp
from . import math_ops as m
from . import array_ops  # noqa: F401,E402 - registers autopacking and Tensor.__iter__ (Unpack)

_BOOL = _dt.bool


def _binary(fn, boolean=None):
    """forward/reflected operator functions for op ``fn``. ``boolean``: (forward, reflected)
    taking over when a bool tensor meets another dtype (``*``). Ops (not Python wrappers) are
    entered through OpDef._call2, which skips this frame in the site walk; the checks stay
    inline so no further frame sits between the user and the op."""
    call = getattr(fn, "_call2", fn)
    bool_fwd, bool_ref = boolean or (None, None)

    def forward(x, y):
        if type(y) is Tensor and type(x) is Tensor:  # the hot path: no conversion
            if bool_fwd is not None and x._dtype is not y._dtype and (
                    x._dtype is _BOOL or y._dtype is _BOOL):
                return bool_fwd(x, y)
            return call(x, y)
        if bool_fwd is not None and (_is_bool(x) or _is_bool(y)):
            return bool_fwd(x, y)
        return call(*m._pair(x, y))

    def reflected(x, y):
        if bool_ref is not None and _is_bool(x) and not _is_bool(y):
            return bool_ref(x, y)
        return call(*m._pair(y, x))
    return forward, reflected


def _is_bool(v):
    return (type(v) is Tensor or getattr(v, "_is_variable", False)) and v._dtype is _BOOL


def _bool_mul(x, y):
    """TF's ``*`` with a bool tensor on either side is a logical and. The other operand counts
    as True where it truncates to a nonzero integer (TF 2.21: 1.5 and -1.2 are True, 0.5 and
    -0.9 False, NaN True)."""
    b, other = (x, y) if _is_bool(x) else (y, x)
    if not (type(other) is Tensor or getattr(other, "_is_variable", False)):
        other = convert_to_tensor(other)
    if other.dtype.is_floating:
        other = m.cast(other, "int64")  # truncation toward zero, as TF's result shows
    return cmp.logical_and(convert_to_tensor(b), m.cast(other, "bool"))


def _bool_rmul(x, y):
    """``y * x`` for a bool tensor ``x`` and a non-bool ``y`` on the left: TF's reflected
    operator converts ``y`` to bool strictly (``2 * b`` raises TypeError, ``True * b`` works)."""
    return cmp.logical_and(convert_to_tensor(y, dtype="bool"), convert_to_tensor(x))


def _attach(cls):
    for name, fn in (("add", m.add), ("sub", m.subtract), ("mul", m.multiply),
                     ("floordiv", m.floordiv), ("mod", m.floormod), ("pow", m.pow)):
        f, r = _binary(fn, (_bool_mul, _bool_rmul) if name == "mul" else None)
        setattr(cls, f"__{name}__", f)
        setattr(cls, f"__r{name}__", r)
    cls.__truediv__ = lambda x, y: m.truediv(x, y)
    cls.__rtruediv__ = lambda x, y: m.truediv(y, x)
    cls.__neg__ = lambda x: m.negative(x)
    cls.__abs__ = lambda x: _lazy("abs")(x)
    cls.__matmul__ = lambda x, y: _lazy("matmul")(x, y)
    cls.__rmatmul__ = lambda x, y: _lazy("matmul")(y, x)
    for name, fn in (("lt", cmp.less), ("le", cmp.less_equal), ("gt", cmp.greater),
                     ("ge", cmp.greater_equal)):
        f, _ = _binary(fn)
        setattr(cls, f"__{name}__", f)
    cls.__eq__ = _eq
    cls.__ne__ = _ne
    cls.__and__ = lambda x, y: _logical(cmp.logical_and, cmp.bitwise_and, x, y)
    cls.__rand__ = lambda x, y: _logical(cmp.logical_and, cmp.bitwise_and, y, x)
    cls.__or__ = lambda x, y: _logical(cmp.logical_or, cmp.bitwise_or, x, y)
    cls.__ror__ = lambda x, y: _logical(cmp.logical_or, cmp.bitwise_or, y, x)
    cls.__xor__ = lambda x, y: _logical(cmp.logical_xor, cmp.bitwise_xor, x, y)
    cls.__rxor__ = lambda x, y: _logical(cmp.logical_xor, cmp.bitwise_xor, y, x)
    cls.__invert__ = lambda x: (cmp.logical_not(x) if x.dtype.is_bool else cmp.invert(x))
    cls.__getitem__ = lambda x, key: _lazy("_getitem")(x, key)


def _logical(logical, bitwise, x, y):
    x, y = m._pair(x, y)
    return logical(x, y) if x.dtype.is_bool else bitwise(x, y)


def _eq(x, y):
    """Elementwise ==, as TF2; None and non-broadcastable operands compare False."""
    if y is None:
        return False
    try:
        return cmp.equal(*m._pair(x, y))
    except Exception:  # TF returns False for incompatible shapes/types
        return False


def _ne(x, y):
    if y is None:
        return True
    try:
        return cmp.not_equal(*m._pair(x, y))
    except Exception:
        return True


_LAZY = {}


def _lazy(name):
    """Ops defined in modules that import this one (abs, matmul, indexing)."""
    fn = _LAZY.get(name)
    if fn is None:
        import tapegrad
        fn = _LAZY[name] = {"abs": lambda: tapegrad.math.abs, "matmul": lambda: tapegrad.linalg.matmul,
                            "_getitem": lambda: tapegrad.ops.indexing_ops.getitem}[name]()
    return fn


_attach(Tensor)
_attach(Variable)


def _sited(method):
    """Variable operators also note where their result was made: ``w = w - lr * g`` turns a
    Variable into a Tensor, and explain then points at that line."""
    def op(x, *args):
        out = method(x, *args)
        if out.__class__ is Tensor:
            out._site = user_site(2)
        return out
    return op


for _name in ("add", "sub", "mul", "truediv", "pow", "matmul"):
    for _n in (f"__{_name}__", f"__r{_name}__"):
        setattr(Variable, _n, _sited(getattr(Variable, _n)))
