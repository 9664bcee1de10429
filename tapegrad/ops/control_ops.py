"""Ops that shape gradients rather than values: stop_gradient, custom_gradient (with
grad_pass_through and recompute_grad built on it), py_function and numpy_function
(tf_semantics.md sections 3 and 4.1).

custom_gradient and py_function each record ONE op whose gradient is a per-call closure kept in
the record's attributes, so the registry holds a single generic rule for each op type.
"""
import functools
import inspect
import itertools
import traceback

from .._core import nest
from .._core.backend import xp as np
from .._core.context import record, state
from .._core.dtypes import as_dtype
from .._core.errors import (InvalidArgumentError, OutOfRangeError, ResourceExhaustedError,
                            UnimplementedError, UnknownError)
from .._core.registry import defop
from .._core.tape import GradientTape
from .._core.tensor import Tensor, convert_to_tensor
from .array_ops import identity


# -- stop_gradient ------------------------------------------------------------------------------

@defop("StopGradient", same_dtype=False, differentiable=False)
def _stop_gradient(x):
    return x  # arrays are never written to, so the output may share the input's


def stop_gradient(input, name=None):
    """Returns ``input`` unchanged; backprop gives no gradient through it."""
    return _stop_gradient(input if input.__class__ is Tensor else convert_to_tensor(input))


# -- ops that are only recorded (their forward is Python code run by the functions below) --------

def _recorded_only(*args, **attrs):
    raise NotImplementedError("this op is recorded by control_ops, never run from the registry")


_CUSTOM = defop("CustomGradient", _recorded_only, same_dtype=False, n_out=-1)
_EAGER_PY_FUNC = defop("EagerPyFunc", _recorded_only, same_dtype=False, n_out=-1)
# numpy_function: TF registers PyFunc as not differentiable; the record lets explain name the cut.
_PY_FUNC = defop("PyFunc", _recorded_only, same_dtype=False, n_out=-1, differentiable=False)


@_CUSTOM.def_grad
def _custom_gradient_grad(op, *grads):
    """Runs the user's grad_fn of this call (ops in it are recorded by outer tapes)."""
    return op.attrs["grad_fn"](*grads)


# -- custom_gradient ----------------------------------------------------------------------------

class _VariableWatcher:
    """Sits on the tape stack while a custom_gradient body runs. ``Variable._read`` reports each
    trainable variable read to it (as to a tape watching accessed variables); it tracks no id,
    so ``record`` never keeps an op for it."""

    _recording = True
    _watch_accessed = True
    _tracked = frozenset()
    _is_watcher = True

    def __init__(self):
        self.variables = []

    def _watch_variable(self, var):
        for v in self.variables:
            if v is var:
                return
        self.variables.append(var)


def _run_unrecorded(f, args, kwargs):
    """``f(*args, **kwargs)`` with every recording tape paused; returns (result, variables read).

    The tapes' recording flags and the facts they note while paused (ops on tracked values,
    variable reads) are restored exactly, also when ``f`` raises: the one op recorded afterwards
    stands for the whole body."""
    tapes = state.tapes
    paused = []
    for t in tapes:
        if t._recording and not getattr(t, "_is_watcher", False):
            paused.append((t, len(t._unrecorded), set(t._outside_reads)))
            t._recording = False
    watcher = _VariableWatcher()
    tapes.append(watcher)
    try:
        out = f(*args, **kwargs)
    finally:
        for i in range(len(tapes) - 1, -1, -1):
            if tapes[i] is watcher:
                del tapes[i]
                break
        for t, n_unrecorded, reads in paused:
            t._recording = t._active and not t._released
            del t._unrecorded[n_unrecorded:]
            for k in [k for k in t._outside_reads if k not in reads]:
                del t._outside_reads[k]
    return out, watcher.variables


def _accepts_variables(grad_fn):
    try:
        spec = inspect.getfullargspec(grad_fn)
    except TypeError:  # a callable inspect cannot describe: let the call decide
        return True
    return "variables" in spec.args or "variables" in spec.kwonlyargs or spec.varkw is not None


def _fresh(value):
    """A new Tensor (new identity) holding ``value``: the id the custom op records as output."""
    t = value if value.__class__ is Tensor else convert_to_tensor(value)
    return Tensor(t._value, t._dtype)


def _grad_closure(grad_fn, n_args, variables):
    """The per-call rule: one gradient per flattened positional argument, then per variable."""
    def run(*upstream):
        if variables:
            input_grads, variable_grads = grad_fn(*upstream, variables=variables)
            if len(variable_grads) != len(variables):
                raise ValueError("Must return gradient for each variable from @custom_gradient "
                                 "grad_fn.")
        else:
            input_grads = grad_fn(*upstream)
            variable_grads = []
        flat = nest.flatten(input_grads)
        if len(flat) != n_args:
            raise ValueError(f"custom_gradient function expected to return {n_args} gradients, "
                             f"but returned {len(flat)} instead.")
        return flat + list(variable_grads)
    return run


def _call_custom(f, args, kwargs):
    out, variables = _run_unrecorded(f, args, kwargs)
    result, grad_fn = out  # a lone Tensor fails here as in TF: "Cannot iterate over a scalar..."
    flat_args = nest.flatten(args)
    if variables:
        # Variables passed as arguments (positional or keyword) are not "used variables".
        given = flat_args + nest.flatten(kwargs)
        variables = [v for v in variables if not any(v is a for a in given)]
        if variables and not _accepts_variables(grad_fn):
            raise TypeError("@tf.custom_gradient grad_fn must accept keyword argument "
                            f"'variables', since function uses variables: {variables}")
    outputs = [_fresh(r) for r in nest.flatten(result)]
    if state.tapes:
        # Reading the used variables again (recording now) makes the tapes watch them and
        # connects them to this op, as TF's VariableWatcher does.
        inputs = tuple(convert_to_tensor(a) for a in flat_args + variables)
        record(_CUSTOM, inputs, tuple(outputs),
               {"grad_fn": _grad_closure(grad_fn, len(flat_args), variables),
                "name": getattr(f, "__name__", "custom_gradient")})
    return nest.pack_sequence_as(result, outputs)


class _CustomGradientFunction:
    """What ``custom_gradient(f)`` returns: calls ``f`` with its gradient replaced; binds like a
    function when used on a method (``self`` is then not one of the differentiated arguments)."""

    def __init__(self, f):
        self._f = f
        functools.update_wrapper(self, f, updated=())

    def __get__(self, instance, owner):
        if instance is None:
            return self
        return _CustomGradientFunction(self._f.__get__(instance, owner))

    def __call__(self, *args, **kwargs):
        return _call_custom(self._f, args, kwargs)


def custom_gradient(f=None):
    """Decorator: ``f(*args, **kwargs)`` returns ``(outputs, grad_fn)``; backprop calls
    ``grad_fn(*upstream)`` for one gradient per flattened positional argument."""
    if f is None:
        return lambda f: custom_gradient(f=f)
    return _CustomGradientFunction(f)


def grad_pass_through(f):
    """Wraps ``f``: forward computes ``f``, backward is the identity for each argument."""
    def _grad_pass_through_op(*args, **kwargs):
        def grad(*upstream, **kw):
            variables = kw.get("variables")
            if variables is not None:
                return upstream, [None] * len(variables)
            return upstream
        return f(*args, **kwargs), grad
    wrapped = custom_gradient(_grad_pass_through_op)
    functools.update_wrapper(wrapped, f, updated=())
    return wrapped


def recompute_grad(f):
    """Wraps ``f`` so its intermediate values are not kept: the backward pass runs ``f`` again
    under a tape. Gradients equal ``f``'s own."""
    def inner(*args, **kwargs):
        result = f(*args, **kwargs)

        def grad(*dresult, variables=None):
            with GradientTape() as tape:
                # identity: an argument given twice still gets one gradient per position
                copies = [identity(a) for a in nest.flatten(args)]
                for c in copies:
                    if c._dtype.differentiable:
                        tape.watch(c)
                if variables:
                    tape.watch(variables)
                again = f(*nest.pack_sequence_as(args, copies), **kwargs)
            extra = list(variables) if variables else []
            grads = tape.gradient(again, copies + extra, output_gradients=list(dresult),
                                  unconnected_gradients="zero")
            n = len(copies)
            return (grads[:n], grads[n:]) if variables is not None else grads[:n]
        return result, grad
    wrapped = custom_gradient(inner)
    functools.update_wrapper(wrapped, f, updated=())
    return wrapped


# -- py_function / numpy_function ---------------------------------------------------------------

_TOKENS = itertools.count()
_DEVICE = "/job:localhost/replica:0/task:0/device:CPU:0"
# How TF's py_func kernel maps a Python exception raised by the function (others: UnknownError).
_PY_ERRORS = ((ValueError, InvalidArgumentError), (TypeError, InvalidArgumentError),
              (StopIteration, OutOfRangeError), (MemoryError, ResourceExhaustedError),
              (NotImplementedError, UnimplementedError))


def _check_args(script_op, op_name, func, inp, Tout, **kwargs):
    """TF's argument rules; returns a decorator when ``func`` is None (``@op(Tout=...)``)."""
    if Tout is None:
        raise TypeError(f"Missing required argument: 'Tout'\n  When {op_name} is used as a "
                        f"decorator, pass `Tout` by name: `@{op_name}(Tout=tout)`")
    if func is None:
        if inp is not None:
            raise TypeError(f"Don't set the `inp` argument when using {op_name} as a decorator "
                            "(`func=None`).")

        def decorator(fun):
            @functools.wraps(fun)
            def wrapper(*args):
                return script_op(fun, inp=args, Tout=Tout, **kwargs)
            return wrapper
        return decorator
    if inp is None:
        raise TypeError(f"Missing argument `inp`:\n  the list of arguments for the function is "
                        f"required unless {op_name} is used as a decorator (`func=None`).")
    return None


def _node(n_in, n_out):
    return f"{{{{function_node __wrapped__EagerPyFunc_Tin_{n_in}_Tout_{n_out}_device_{_DEVICE}}}}}"


def _py_func_error(e, n_in, n_out, name, is_grad):
    cls = next((c for py, c in _PY_ERRORS if isinstance(e, py)), UnknownError)
    tb = "".join(traceback.format_exception(type(e), e, e.__traceback__))
    msg = (f"{_node(n_in, n_out)} {type(e).__name__}: {e}\n{tb}\n [Op:EagerPyFunc] "
           f"name: {name or ''}")
    if is_grad and type(e) is KeyError:
        msg += ("\n(the gradient of a py_function can be computed once: an earlier backward "
                "pass already used the tape it kept; TF behaves the same way)")
    return cls(None, None, msg)


def _convert_result(value, dtype, is_grad):
    if getattr(value, "_is_variable", False):
        raise RuntimeError("Attempting to return a variable from an eagerly executed py_func: "
                           "return a Tensor or NumPy array instead (the variable's "
                           f"`.read_value()`): {value!r}")
    if value is None and is_grad:
        # A missing input gradient becomes a SCALAR zero, as TF substitutes it.
        if not (dtype.is_floating or dtype.is_complex):
            raise TypeError(f"Cannot convert 0.0 to EagerTensor of dtype {dtype.name}")
        return Tensor(np.zeros((), dtype._np), dtype)
    return convert_to_tensor(value, dtype=dtype)


def _run_py(func, args, touts, token, name, is_grad, n_in):
    try:
        ret = func(*args)
        if isinstance(ret, (tuple, list)):
            outs = [_convert_result(v, dt, is_grad) for v, dt in zip(ret, touts)]
        elif ret is None:
            outs = []
        else:
            outs = [_convert_result(ret, touts[0], is_grad)]
    except Exception as e:  # noqa: BLE001 - every Python error becomes TF's op error
        raise _py_func_error(e, n_in, len(touts), name, is_grad) from e
    if len(outs) != len(touts):
        raise InvalidArgumentError(
            None, None, f"{_node(n_in, len(touts))} {token} returns {len(outs)} values, but "
                        f"expects to see {len(touts)} values. [Op:EagerPyFunc] name: {name or ''}")
    return outs


def _eager_py_func(func, inp, Tout, name=None, is_grad=False):
    if not callable(func):
        raise ValueError(f"Expected func to be callable. Received func={func} of type "
                         f"{type(func)}.")
    inputs = tuple(convert_to_tensor(a) for a in list(inp))  # variables are read (and watched)
    is_list = isinstance(Tout, (list, tuple))
    touts = [as_dtype(t) for t in (Tout if is_list else (Tout,))]
    token = f"pyfunc_{next(_TOKENS)}"
    args = [Tensor(t._value, t._dtype) for t in inputs]  # the body sees new tensors, as in TF
    if state.tapes:
        # Some tape may record this op: run the body under an internal tape, kept (once) for
        # the gradient, which replays it backwards.
        tape = GradientTape()
        with tape:
            for a in args:
                if a._dtype.differentiable:
                    tape.watch(a)
            outs = _run_py(func, args, touts, token, name, is_grad, len(inputs))
    else:
        tape = None
        outs = _run_py(func, args, touts, token, name, is_grad, len(inputs))
    outputs = tuple(Tensor(o._value, o._dtype) for o in outs)
    if tape is not None and outputs:
        # The cache lives in the record (shared by every tape that kept it): the first backward
        # pass through it consumes it, and it is freed with the records.
        record(_EAGER_PY_FUNC, inputs, outputs,
               {"token": token, "cache": (tape, args, outs), "name": name})
    return list(outputs) if is_list else outputs[0]


@_EAGER_PY_FUNC.def_grad
def _eager_py_func_grad(op, *grads):
    """Replays the internal tape, itself inside a py_function over the upstream gradients (so,
    as in TF, a further derivative flows through the upstream only)."""
    token = op.attrs["token"]

    def replay(*dy):
        if "cache" in op.attrs:
            # The body's tape goes with this pass: first let explain keep what it needs from
            # it (a persistent outer tape may be asked why later).
            from ..diagnostics import _facts
            _facts._user_code_attrs(op)
        cache = op.attrs.pop("cache", None)
        if cache is None:
            raise KeyError(token.encode())
        tape, args, outs = cache
        return tape.gradient(outs, args, output_gradients=list(dy))
    return _eager_py_func(replay, grads, [t._dtype for t in op.inputs], is_grad=True)


def py_function(func=None, inp=None, Tout=None, name=None):
    """Runs ``func`` eagerly on Tensors as one op; differentiable (once) through tapegrad ops in
    ``func``. Used as ``@py_function(Tout=...)`` it decorates a function."""
    decorator = _check_args(py_function, "tf.py_function", func, inp, Tout, name=name)
    if decorator is not None:
        return decorator
    return _eager_py_func(func, inp, Tout, name)


def numpy_function(func=None, inp=None, Tout=None, stateful=True, name=None):
    """Runs ``func`` on NumPy arrays; not differentiable. As in eager TF, results are converted
    as returned (``Tout`` is not enforced) and a single result is unwrapped."""
    decorator = _check_args(numpy_function, "tf.numpy_function", func, inp, Tout,
                            stateful=stateful, name=name)
    if decorator is not None:
        return decorator
    tensors = []
    arrays = []
    for x in inp:
        if isinstance(x, Tensor) or getattr(x, "_is_variable", False):
            t = convert_to_tensor(x)  # a variable is read (and watched), as in TF
            tensors.append(t)
            arrays.append(np.array(t._value))  # a copy: func may write to its arguments
        else:
            arrays.append(np.array(x))
    result = nest.flatten(func(*arrays))
    made = []
    for i, x in enumerate(result):
        if x is not None and not isinstance(x, Tensor):
            result[i] = convert_to_tensor(x)
            made.append(result[i])
    if made and tensors and state.tapes:
        record(_PY_FUNC, tuple(tensors), tuple(made), {"name": name})
    if len(result) == 1:
        return result[0]
    return result
