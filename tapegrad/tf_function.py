"""``tf.function`` and ``tf.config.run_functions_eagerly``: tapegrad has no graphs, so a
tf.function calls its Python function on every call, as TF does after
``tf.config.run_functions_eagerly(True)``.

What is kept from graph mode is the ``input_signature`` check: while the run-eagerly flag is
off (TF's default) arguments are bound to the signature and converted as TF's graph mode does,
so a script that TF would reject with a TypeError is rejected here too. With the flag on, TF
skips that check, and so does tapegrad.
"""
import functools
import inspect
import types
import weakref

from ._core import nest
from ._core.tensor import convert_to_tensor
from .tensor_spec import TensorSpec, _is_tensor_like

_state = {"run_eagerly": False}

# TF Function attributes that only make sense for a traced graph.
_GRAPH_ONLY = frozenset((
    "get_concrete_function", "experimental_get_tracing_count", "experimental_get_compiler_ir",
    "pretty_printed_concrete_signatures", "get_initialization_function", "function_spec",
    "function_type"))


def run_functions_eagerly(run_eagerly):
    """Sets the flag ``tf.config.functions_run_eagerly()`` reports.

    tapegrad runs every tf.function eagerly whatever the flag says; what the flag changes is
    whether an ``input_signature`` is checked (off: checked, as TF's graph mode does; on: not
    checked, as TF's eager mode does not)."""
    _state["run_eagerly"] = bool(run_eagerly)


def functions_run_eagerly():
    """The flag last set by ``run_functions_eagerly`` (False until then), as TF reports it;
    tapegrad's functions run eagerly either way."""
    return _state["run_eagerly"]


# -- input_signature ----------------------------------------------------------------------------

class _Literal:
    """A parameter the signature leaves out: callers may only pass its default."""

    def __init__(self, default):
        self.default = default

    def __repr__(self):
        return f"Literal[{self.default!r}]"


def _spec_text(spec):
    if isinstance(spec, dict):
        return "Dict[" + ", ".join(f"[{k!r}, {_spec_text(spec[k])}]" for k in spec) + "]"
    if isinstance(spec, (list, tuple)):
        kind = "Tuple" if isinstance(spec, tuple) else "List"
        return f"{kind}[" + ", ".join(_spec_text(s) for s in spec) + "]"
    return repr(spec)


class _CastError(Exception):
    pass


def _cast(value, spec):
    """``value`` made to fit ``spec``: a nested structure of TensorSpecs, or a _Literal."""
    if isinstance(spec, _Literal):
        same = value is spec.default
        if not same:
            try:
                same = bool(value == spec.default)
            except Exception:  # noqa: BLE001 - an array or tensor compared: not the default
                same = False
        if not same:
            raise _CastError(f"Can not cast {value!r} to {spec!r}")
        return value
    if isinstance(spec, dict):
        if not isinstance(value, dict):
            raise _CastError(f"Can not cast {value!r} to a Dict type.")
        if set(value) != set(spec):
            raise _CastError(f"{value!r} has different keys with the TraceType "
                             f"{_spec_text(spec)}.")
        return type(value)((k, _cast(value[k], spec[k])) for k in value)
    if isinstance(spec, (list, tuple)):
        kind = tuple if isinstance(spec, tuple) else list
        if not isinstance(value, kind):
            raise _CastError(f"Can not cast {value!r} to {kind.__name__} type.")
        if len(value) != len(spec):
            raise _CastError(f"Expected {value!r} to have length of {len(spec)}")
        return nest.pack_sequence_as(value, [_cast(v, s) for v, s in zip(value, spec)])
    if _is_tensor_like(value):
        tensor = value   # passed through unchanged, so tapes see the caller's tensor
    else:
        try:
            tensor = convert_to_tensor(value, spec.dtype)
        except (TypeError, ValueError) as e:
            raise _CastError(str(e)) from None
    if not spec.is_compatible_with(tensor):
        raise _CastError(f"Can not cast {TensorSpec.from_tensor(tensor)!r} to {spec!r}")
    return tensor


def _check_specs(input_signature):
    if not isinstance(input_signature, (list, tuple)):
        raise TypeError(f"input_signature must be either a tuple or a list, got "
                        f"{type(input_signature)}.")
    bad = [s for s in nest.flatten(list(input_signature)) if not isinstance(s, TensorSpec)]
    if bad:
        raise TypeError(f"input_signature must be a possibly nested sequence of TensorSpec "
                        f"objects, got invalid args {bad!r} with types "
                        f"{[type(b) for b in bad]!r}.")


class _Binder:
    """Binds call arguments to ``input_signature`` the way TF's graph mode does: each spec
    constrains one positional parameter (extra specs fill ``*args``), and parameters left
    without a spec may only take their default."""

    def __init__(self, fn, input_signature):
        _check_specs(input_signature)
        specs = list(input_signature)
        params = list(inspect.signature(fn).parameters.values())
        P = inspect.Parameter
        positional = [p for p in params if p.kind in (P.POSITIONAL_ONLY, P.POSITIONAL_OR_KEYWORD)]
        star = next((p for p in params if p.kind is P.VAR_POSITIONAL), None)
        self.constraints, new = {}, []
        # TF leaves a leading ``self`` unconstrained (a method decorated in its class body).
        lead = positional[0] if positional and positional[0].name == "self" else None
        if lead is not None and not inspect.ismethod(fn):
            positional.pop(0)
        else:
            lead = None
        extra = len(specs) - len(positional)
        if extra > 0 and star is None:
            raise TypeError(f"input_signature contains {extra} extra type constraints.")
        # with ``*args`` in play every spec'd parameter becomes positional-only, as in TF
        kind = P.POSITIONAL_ONLY if star is not None and extra > 0 else None
        if lead is not None:
            new.append(P(lead.name, kind or lead.kind))
        for i, p in enumerate(positional):
            if i < len(specs):
                self.constraints[p.name] = specs[i]
                new.append(P(p.name, kind or p.kind))
            elif p.default is P.empty:
                raise TypeError(f"input_signature missing type constraint for {p.name}")
            else:
                self.constraints[p.name] = _Literal(p.default)
                new.append(P(p.name, kind or p.kind, default=p.default))
        for i in range(max(extra, 0)):
            name = f"{star.name}_{i}"
            self.constraints[name] = specs[len(positional) + i]
            new.append(P(name, P.POSITIONAL_ONLY))
        for p in params:
            if p.kind is P.KEYWORD_ONLY:
                if p.default is P.empty:
                    raise TypeError(f"Since input_signature is defined, keyword-only parameter "
                                    f"`{p.name}` must have a default value")
                self.constraints[p.name] = _Literal(p.default)
                new.append(p.replace(annotation=P.empty))
        # (TF's signature drops ``**kwargs``: an unknown keyword is a binding error)
        new.sort(key=lambda p: p.kind)  # positional-only first, as Signature requires
        self.signature = inspect.Signature(new)

    def _text(self):
        parts, slash, star = [], False, False
        for p in self.signature.parameters.values():
            if slash and p.kind is not p.POSITIONAL_ONLY:
                parts.append("/")
            slash = p.kind is p.POSITIONAL_ONLY
            if p.kind is p.KEYWORD_ONLY and not star:
                parts.append("*")
                star = True
            c = self.constraints.get(p.name)
            if c is None:
                parts.append(str(p))
            elif isinstance(c, _Literal):
                parts.append(f"{p.name}: {c!r} = <captured_default_value>")
            else:
                parts.append(f"{p.name}: {_spec_text(c)}")
        if slash:
            parts.append("/")
        return "(" + ", ".join(parts) + ")"

    def bind(self, args, kwargs):
        """(args, kwargs) converted to the signature, or TypeError naming it."""
        try:
            bound = self.signature.bind(*args, **kwargs)
            for name, value in bound.arguments.items():
                c = self.constraints.get(name)
                if c is not None:
                    bound.arguments[name] = _cast(value, c)
        except (TypeError, _CastError) as e:
            raise TypeError(f"Binding inputs to tf.function failed due to `{e}`. Received "
                            f"args: {args!r} and kwargs: {kwargs!r} for signature: "
                            f"{self._text()}.") from None
        return bound.args, bound.kwargs


# -- tf.function --------------------------------------------------------------------------------

class Function:
    """What ``tf.function`` returns: calls ``python_function`` eagerly (see ``function``)."""

    def __init__(self, python_function, input_signature=None, jit_compile=None,
                 reduce_retracing=False, autograph=True):
        if not callable(python_function):
            raise TypeError(f"{python_function!r} is not a callable object")
        functools.update_wrapper(self, python_function)
        self._python_function = python_function
        self._binder = None if input_signature is None else _Binder(python_function,
                                                                    input_signature)
        self._input_signature = None if input_signature is None else tuple(input_signature)
        self._options = {"jit_compile": jit_compile, "reduce_retracing": reduce_retracing,
                         "autograph": autograph}
        self._bound = weakref.WeakKeyDictionary()

    @property
    def python_function(self):
        return self._python_function

    @property
    def input_signature(self):
        return self._input_signature

    @property
    def name(self):
        return getattr(self._python_function, "__name__", type(self._python_function).__name__)

    def __call__(self, *args, **kwargs):
        if self._binder is not None and not _state["run_eagerly"]:
            args, kwargs = self._binder.bind(args, kwargs)
        return self._python_function(*args, **kwargs)

    def __get__(self, instance, owner=None):
        """A method access gives a Function bound to ``instance`` (one per instance, as TF)."""
        if instance is None:
            return self
        try:
            bound = self._bound.get(instance)
        except TypeError:   # unhashable or not weak-referenceable: a fresh one each access
            bound = None
        if bound is None:
            bound = Function(types.MethodType(self._python_function, instance),
                             self._input_signature, **self._options)
            try:
                self._bound[instance] = bound
            except TypeError:
                pass
        return bound

    def __getattr__(self, name):
        if name in _GRAPH_ONLY:
            raise AttributeError(
                f"'Function' object has no attribute '{name}': tapegrad does not support "
                f"tf.function(...).{name} yet (tapegrad runs every tf.function eagerly and "
                f"traces no graph)")
        raise AttributeError(f"'Function' object has no attribute '{name}'")

    def __repr__(self):
        return (f"<tapegrad.tf_function.Function object at {id(self):#x} for "
                f"{getattr(self, '__qualname__', self.name)} (runs eagerly)>")


def function(func=None, input_signature=None, autograph=True, jit_compile=None,
             reduce_retracing=False, experimental_implements=None,
             experimental_autograph_options=None, experimental_attributes=None,
             experimental_relax_shapes=None, experimental_compile=None,
             experimental_follow_type_hints=None):
    """Marks ``func`` as a TF function; tapegrad runs it eagerly on every call.

    Usable as ``@tf.function``, ``@tf.function(...)`` or ``tf.function(f, ...)``, on plain
    functions and on methods (each instance gets its own bound Function). The result calls
    ``func`` directly, so gradients flow through it to an outer GradientTape as through any
    Python code, and ``python_function`` / ``__wrapped__`` give ``func`` back.

    Differences from TF's default graph mode (the same as under
    ``tf.config.run_functions_eagerly(True)``):

    - the Python body runs on every call: ``print``, appends to lists, counters and other
      Python side effects happen each time, not once when TF would trace;
    - nothing is traced or retraced, so Python control flow on tensor values just works, and
      ``jit_compile``, ``reduce_retracing``, ``autograph`` and the ``experimental_*`` options
      are accepted and have no effect;
    - the return value is what ``func`` returns (graph mode would turn Python numbers and
      NumPy arrays returned into tensors);
    - ``get_concrete_function``, ``experimental_get_tracing_count`` and the other
      graph-only attributes raise AttributeError.

    ``input_signature`` (a list or tuple of possibly nested ``tf.TensorSpec``) is checked as
    graph mode checks it: arguments that are not tensors are converted to the spec's dtype,
    and a tensor of another dtype or an incompatible shape raises TypeError ("Binding inputs
    to tf.function failed due to ..."). After ``tf.config.run_functions_eagerly(True)`` the
    check is skipped, as TF skips it.
    """
    if experimental_compile is not None and jit_compile is not None:
        raise ValueError("Cannot specify both 'experimental_compile' and 'jit_compile'.")
    if experimental_compile is not None:
        jit_compile = experimental_compile

    def decorate(fn):
        return Function(fn, input_signature, jit_compile=jit_compile,
                        reduce_retracing=reduce_retracing or bool(experimental_relax_shapes),
                        autograph=autograph)
    return decorate if func is None else decorate(func)
