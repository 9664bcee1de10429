"""The op table: ``defop`` declares an op (forward on raw arrays + dtype policy) and its gradient
beside it; ``GRADIENTS`` is TF's gradient registry (``RegisterGradient``, ``no_gradient``).

Running an op (``OpDef.__call__``) is the library's hot path: convert the inputs, run the
forward on arrays, wrap the result, and record it only when a tape is active.
"""
import numpy as np

from . import dtypes as _dt
from .callsite import format_site, user_site
from .context import record, state
from .errors import InvalidArgumentError, OpError
from .tensor import Tensor, convert_to_tensor

# [on, suspended]: tapegrad.debugging.enable_check_numerics() sets on; the engine suspends the
# forward check while gradient rules run (their results are checked as gradients instead).
CHECK_NUMERICS = [False, False]

REGISTRY = {}    # op type -> OpDef
GRADIENTS = {}   # op type -> gradient function, or None for "not differentiable"
_REG_SITES = {}  # op type -> where its gradient was registered (for the duplicate error)
_BY_NP = _dt._BY_NP

# TF's short names for dtypes in kernel error messages.
_TF_TYPE_NAMES = {"float32": "float", "float64": "double", "float16": "half"}


def tf_type_name(dtype):
    return _TF_TYPE_NAMES.get(dtype.name, dtype.name)


class OpDef:
    """One primitive: its TF op-type name, its forward on arrays, its dtype policy.

    Calling it runs the op on Tensors. Positional arguments are the op's tensor inputs;
    keyword arguments are attributes (axis, keepdims, ...) handed to the forward and kept in
    the record for the gradient rule (``op.get_attr``).
    """

    def __init__(self, op_type, forward, dtypes=None, same_dtype=True, n_out=1):
        self.type = op_type
        self.forward = forward
        self.dtypes = dtypes          # allowed dtypes of the inputs, or None for any
        # ids, not DTypes, so the per-call membership test hashes in C
        self._allowed = None if dtypes is None else frozenset(id(d) for d in dtypes)
        self.same_dtype = same_dtype  # all tensor inputs share one dtype (Python scalars adapt)
        self.n_out = n_out
        self.__name__ = getattr(forward, "__name__", op_type)
        self.__doc__ = getattr(forward, "__doc__", None)

    def def_grad(self, fn):
        """Decorator: register ``fn(op, *grads)`` as this op's gradient. Returns ``fn``."""
        # The rule's own definition is the site (user_site would skip tapegrad's frames and
        # name importlib in the duplicate-registration error).
        register_gradient(self.type, fn, (fn.__code__, 0) if hasattr(fn, "__code__") else None)
        return fn

    def def_fast_grad(self, fn):
        """Decorator: the twin of this op's gradient on bare arrays, ``fn(op, *grad_arrays)``,
        used in first-order passes (see _core/backprop.py). It must return what the recorded
        rule returns, as arrays; tests/test_fast_rules.py compares the two on every spec."""
        GRADIENTS[self.type].fast = fn
        return fn

    @property
    def differentiable(self):
        return GRADIENTS.get(self.type, False) is not None

    def __call__(self, *args, **attrs):
        if attrs and "name" in attrs:
            del attrs["name"]
        inputs = args
        for a in args:
            if a.__class__ is not Tensor:
                inputs = _convert_inputs(self, args)
                break
        if inputs:
            dt0 = inputs[0]._dtype
            if self.same_dtype and len(inputs) > 1:
                for t in inputs:
                    if t._dtype is not dt0:
                        raise _mismatch(self, dt0, inputs)
            if self._allowed is not None and id(dt0) not in self._allowed:
                raise _bad_dtype(self, dt0, inputs)
        try:
            out = self.forward(*[t._value for t in inputs], **attrs)
        except (ValueError, IndexError, ZeroDivisionError, np.linalg.LinAlgError, OpError) as e:
            raise op_error(self, inputs, e) from None
        if self.n_out == 1:
            dt = _BY_NP.get(getattr(out, "dtype", None))
            if dt is None:
                out = np.asarray(out)
                dt = _dt.from_numpy(out.dtype)
            result = Tensor(out, dt)
            if CHECK_NUMERICS[0]:
                _check_numerics(self, inputs, (result,))
            if state.tapes:
                record(self, inputs, (result,), attrs)
            return result
        outputs = tuple(_wrap(o) for o in out)
        if CHECK_NUMERICS[0]:
            _check_numerics(self, inputs, outputs)
        if state.tapes:
            record(self, inputs, outputs, attrs)
        return outputs

    def _call2(self, x, y):
        """``x <op> y`` for two Tensors, from a Python operator (ops/overloads.py): the common
        case of ``__call__``, done here so the operator's frame is skipped (never
        materialised) when the user's line is looked up. Anything unusual (a dtype the op
        refuses, a forward that raises) goes through ``__call__``, which reports it."""
        dt = x._dtype
        if y._dtype is not dt or (self._allowed is not None and id(dt) not in self._allowed):
            return self(x, y)
        try:
            out = self.forward(x._value, y._value)
        except Exception:
            return self(x, y)
        result = _wrap(out)
        if CHECK_NUMERICS[0]:
            _check_numerics(self, (x, y), (result,))
        if state.tapes:
            record(self, (x, y), (result,), {}, 3)
        return result

    def __repr__(self):
        return f"<OpDef {self.type}>"


_numerics = []  # diagnostics.numerics, imported on first use: diagnostics sits above the engine


def numerics_module():
    """tapegrad.diagnostics.numerics (the forward and backward checks of check_numerics)."""
    if not _numerics:
        from ..diagnostics import numerics
        _numerics.append(numerics)
    return _numerics[0]


def _check_numerics(opdef, inputs, outputs):
    if not CHECK_NUMERICS[1]:
        numerics_module().check_forward(opdef, inputs, outputs)


def _wrap(o):
    dt = _BY_NP.get(getattr(o, "dtype", None))
    if dt is None:
        o = np.asarray(o)
        dt = _dt.from_numpy(o.dtype)
    return Tensor(o, dt)


def _convert_inputs(opdef, args):
    ref = None
    for a in args:
        if type(a) is Tensor:
            ref = a._dtype
            break
        if getattr(a, "_is_variable", False):
            ref = a._dtype
            break
    if not opdef.same_dtype:
        ref = None
    return tuple(a if type(a) is Tensor else convert_to_tensor(a, dtype=ref) for a in args)


def _describe(inputs):
    return ", ".join(f"{t._dtype.name}{list(t._value.shape)}" for t in inputs)


def _where():
    return format_site(user_site(3))


def _mismatch(opdef, want, inputs):
    i = next(k for k, t in enumerate(inputs) if t._dtype is not want)
    got = inputs[i]._dtype
    return InvalidArgumentError(
        None, None,
        f"cannot compute {opdef.type} as input #{i}(zero-based) was expected to be a "
        f"{tf_type_name(want)} tensor but is a {tf_type_name(got)} tensor [Op:{opdef.type}] "
        f"(inputs: {_describe(inputs)}; at {_where()})")


def _bad_dtype(opdef, dt, inputs):
    allowed = ", ".join(tf_type_name(d) for d in sorted(opdef.dtypes, key=lambda d: d.name))
    return InvalidArgumentError(
        None, None,
        f"Value for attr 'T' of {dt.name} is not in the list of allowed values: {allowed} "
        f"[Op:{opdef.type}] (inputs: {_describe(inputs)}; at {_where()})")


def op_error(opdef, inputs, e):
    """Re-raise a forward failure as TF's exception type, naming the op, shapes and user line."""
    if isinstance(e, OpError):
        msg = e.message
        cls = type(e)
    else:
        msg = str(e)
        cls = InvalidArgumentError
        if "could not be broadcast" in msg and len(inputs) >= 2:
            msg = "Incompatible shapes: " + " vs. ".join(
                str(list(t._value.shape)) for t in inputs[:2])
    if "[Op:" not in msg:
        msg = f"{msg} [Op:{opdef.type}]"
    return cls(None, None, f"{msg} (inputs: {_describe(inputs)}; at {format_site(user_site(3))})")


NO_ENTRY = set()  # op types deliberately left without a gradient: backprop raises LookupError


def defop(op_type, forward=None, *, dtypes=None, same_dtype=True, n_out=1,
          differentiable=True):
    """Declare a primitive op. Use as ``@defop("Exp", dtypes=FLOATS)`` over a forward that
    takes and returns arrays, then ``@exp.def_grad`` over its gradient rule; or
    ``defop("Greater", np.greater, differentiable=False)`` for an op with no gradient (backprop
    gives None). ``differentiable="lookup_error"`` declares an op TF has no gradient entry for
    at all (Unique, IsNan): differentiating through it raises LookupError, as in TF."""
    def make(fn):
        if op_type in REGISTRY:
            raise KeyError(f"op type {op_type!r} is already defined")
        opdef = OpDef(op_type, fn, dtypes=dtypes, same_dtype=same_dtype, n_out=n_out)
        REGISTRY[op_type] = opdef
        if differentiable == "lookup_error":
            NO_ENTRY.add(op_type)
        elif not differentiable:
            register_gradient(op_type, None, getattr(fn, "__code__", None) and (fn.__code__, 0))
        return opdef
    return make if forward is None else make(forward)


def register_gradient(op_type, fn, site=None):
    if op_type in GRADIENTS:
        prev = _REG_SITES.get(op_type)
        where = format_site(prev) if prev else "unknown"
        raise KeyError(f"Registering two gradient with name '{op_type}'! "
                       f"(Previous registration was in register {where})")
    GRADIENTS[op_type] = fn
    _REG_SITES[op_type] = site


class RegisterGradient:
    """Decorator registering ``fn(op, *grads)`` as the gradient of an op type, as TF's."""

    def __init__(self, op_type):
        if not isinstance(op_type, str):
            raise TypeError("op_type must be a string")
        self._op_type = op_type

    def __call__(self, fn):
        register_gradient(self._op_type, fn, user_site(2))
        return fn


def no_gradient(op_type):
    """Declare an op type not differentiable: backprop gives None instead of LookupError."""
    if not isinstance(op_type, str):
        raise TypeError("op_type must be a string")
    register_gradient(op_type, None, user_site(2))


NotDifferentiable = no_gradient
