"""GradientTape: what it watches, what it records, and TF's rules for using it
(tf_semantics.md section 1)."""
import contextlib
import enum
import logging

import numpy as np

from . import nest
from .backprop import imperative_grad, zeros_for
from .callsite import site_line, user_site
from .context import next_id, state
from .tensor import Tensor, convert_to_tensor, left_tape_error

logger = logging.getLogger("tapegrad")
if not logger.handlers:  # print as TF does ("WARNING:tensorflow:..."), on stderr
    _handler = logging.StreamHandler()
    _handler.setFormatter(logging.Formatter("%(levelname)s:%(name)s:%(message)s"))
    logger.addHandler(_handler)
    logger.propagate = False
_warned = {"int_watch": {}, "persistent_inside": False}


def _warn_int_watch(dtype, site):
    """TF logs this the first 5 times per line of user code that calls watch()."""
    key = (site[0].co_filename, site_line(site)) if site else None
    seen = _warned["int_watch"]
    if seen.get(key, 0) < 5:
        seen[key] = seen.get(key, 0) + 1
        logger.warning("The dtype of the watched tensor must be floating (e.g. tf.float32), "
                       "got %r", dtype)

_RELEASED = ("A non-persistent GradientTape can only be used to compute one set of gradients "
             "(or jacobians)")


class UnconnectedGradients(enum.Enum):
    """What ``gradient`` returns for a source with no path to the target."""
    NONE = "none"
    ZERO = "zero"


# "explain" and "raise" are tapegrad's additions (see tapegrad.diagnostics).
_UNCONNECTED_MODES = ("none", "zero", "explain", "raise")


def _unconnected_mode(value):
    if isinstance(value, UnconnectedGradients):
        return value.value
    if value in _UNCONNECTED_MODES:
        return value
    raise ValueError(f"Unknown value for unconnected_gradients: {value!r}")


class GradientTape:
    """Records ops on watched tensors and trainable variables, for reverse-mode gradients."""

    def __init__(self, persistent=False, watch_accessed_variables=True):
        self._persistent = persistent
        self._watch_accessed = watch_accessed_variables
        self._records = None      # list of Op, in execution order; None until first entered
        self._tracked = None      # ids of watched tensors/variables and of recorded outputs
        self._watched = {}        # variable id -> Variable, for watched_variables()
        self._watch_sites = {}    # id -> where watch() was called (diagnostics)
        self._escapes = []        # (tensor id, how, site): values that left tapegrad
        self._unrecorded = []     # (op type, tracked input id, site): ops run while paused
        self._outside_reads = {}  # variable id -> site of a read while this tape was paused
        self._recording = False
        self._active = False      # on the thread's tape stack
        self._released = False
        self._site = user_site(2)
        self._skeleton = None     # what diagnostics keep after a non-persistent release
        self._watched_nondiff = set()  # int/bool tensors passed to watch() (not tracked)
        # Ids handed out between entering and leaving (ids count up): a target made in that
        # span that is not on the tape depends on nothing the tape tracks (diagnostics).
        self._span = [None, None]

    # -- context ------------------------------------------------------------------------------
    def __enter__(self):
        if self._active:
            raise ValueError("Tape is still recording, This can happen if you try to re-enter "
                             "an already-active tape.")
        if self._records is None:
            self._records = []
            self._tracked = set()
        self._active = True
        self._recording = not self._released
        if self._span[0] is None:
            self._span[0] = next_id()
        self._span[1] = None
        state.tapes.append(self)
        return self

    def __exit__(self, typ, value, tb):
        if self._active:
            self._active = False
            self._recording = False
            self._span[1] = next_id()
            tapes = state.tapes
            for i in range(len(tapes) - 1, -1, -1):
                if tapes[i] is self:
                    del tapes[i]
                    break
        return False

    @contextlib.contextmanager
    def stop_recording(self):
        """Ops inside this block are not recorded by this tape."""
        if self._records is None:
            raise RuntimeError("Trying to stop recording a tape which is not recording.")
        if not self._active:
            raise ValueError("Tape is not recording.")
        was = self._recording
        self._recording = False
        try:
            yield
        finally:
            self._recording = was and self._active and not self._released

    def reset(self):
        """Discard everything recorded and every watch; recording continues. Only while
        recording (TF: outside the block or inside stop_recording it is a ValueError)."""
        if not self._recording:
            raise ValueError("Tape is not recording.")
        if self._records is not None:
            self._records = []
            self._tracked = set()
        self._watched = {}
        self._watch_sites = {}
        self._escapes = []
        self._unrecorded = []
        self._outside_reads = {}

    # -- watching -----------------------------------------------------------------------------
    def watch(self, tensor):
        """Track a tensor or variable (or a nested structure of them).

        As in TF: a tape never entered (or already released) has nothing to watch with, and a
        watch made while no tape on this thread is recording (after the block, or inside
        ``stop_recording``) is ignored."""
        site = user_site(2)
        live = any(t._recording and not getattr(t, "_is_watcher", False) for t in state.tapes)
        for t in nest.flatten(tensor):
            if not (getattr(t, "_is_variable", False) or isinstance(t, Tensor)):
                raise ValueError(f"Passed in object {t} of type '{type(t).__name__}', not "
                                 "tf.Tensor or tf.Variable or ExtensionType.")
            if not t._dtype.differentiable:
                _warn_int_watch(t._dtype, site)
            if self._records is None or self._released:
                raise AttributeError("'NoneType' object has no attribute '_tape': watch() "
                                     "needs a tape inside its `with` block (this one was "
                                     + ("used up by gradient()" if self._released
                                        else "never entered") + ")")
            if live:
                self._watch_one(t, site)

    def _watch_now(self, tensor):
        """watch() without TF's conditions, for tapes tapegrad drives itself (an accumulator
        watches its primals before its block starts)."""
        if self._records is None:
            self._records = []
            self._tracked = set()
        for t in nest.flatten(tensor):
            self._watch_one(t, None)

    def _watch_one(self, t, site):
        if getattr(t, "_is_variable", False):
            self._watch_variable(t)
            self._watch_sites[t._id] = site
        elif not t._dtype.differentiable:
            self._watched_nondiff.add(t._id)  # only for gradient(t, t), as TF
        else:
            self._tracked.add(t._id)
            self._watch_sites[t._id] = site

    def _watch_variable(self, var):
        if self._records is None:
            self._records = []
            self._tracked = set()
        self._tracked.add(var._id)
        self._watched[var._id] = var

    def watched_variables(self):
        return tuple(v for _, v in sorted(self._watched.items()))

    # -- gradients ----------------------------------------------------------------------------
    def _source_ids(self, flat_sources):
        """Ids that can start a path: tracked ones, plus trainable variables when this tape
        watches accessed variables (so gradient(v, v) is 1 even if v was never read)."""
        extra = [s._id for s in flat_sources if getattr(s, "_is_variable", False)
                 and s._trainable and self._watch_accessed and s._id not in self._tracked]
        return self._tracked.union(extra) if extra else self._tracked

    def _check_usable(self):
        if self._records is None or self._released:
            raise RuntimeError(_RELEASED)
        if self._recording:
            if self._persistent:
                if not _warned["persistent_inside"]:
                    _warned["persistent_inside"] = True
                    logger.warning(
                        "Calling GradientTape.gradient on a persistent tape inside its context "
                        "is significantly less efficient than calling it outside the context "
                        "(it causes the gradient ops to be recorded on the tape, leading to "
                        "increased CPU and memory usage). Only call GradientTape.gradient inside "
                        "the context if you actually want to trace the gradient in order to "
                        "compute higher order derivatives.")
            else:
                self._recording = False  # TF silently stops recording here

    def _keep_facts(self):
        """Before a non-persistent release: keep op types, ids and sites (no arrays)."""
        if not self._persistent and self._skeleton is None:
            from ..diagnostics import _facts  # late import keeps _core free of diagnostics
            self._skeleton = _facts.skeleton(self)

    def _release(self):
        if not self._persistent:
            self._keep_facts()
            self._released = True
            self._recording = False
            self._records = []

    def gradient(self, target, sources, output_gradients=None,
                 unconnected_gradients=UnconnectedGradients.NONE):
        """d(sum of targets)/d(source) for each source, in the structure of ``sources``."""
        self._check_usable()
        mode = _unconnected_mode(unconnected_gradients)
        if target is None:
            raise TypeError("Argument `target` should be a list or nested structure of Tensors, "
                            "Variables or CompositeTensors to be differentiated, but received None.")
        flat_targets = [_as_target(t) for t in nest.flatten(target)]
        flat_sources = [_as_source(s) for s in nest.flatten(sources)]
        seeds = _seeds(flat_targets, output_gradients)
        self._keep_facts()
        rule_nones = []
        result = imperative_grad(self._records, flat_targets, seeds,
                                 [s._id for s in flat_sources], release=not self._persistent,
                                 tracked=self._source_ids(flat_sources), rule_nones=rule_nones)
        for i, (s, g) in enumerate(zip(flat_sources, result)):
            if g is None:  # TF: a target that is the source itself gives its seed, watched
                # or not, whatever its dtype (summed when the target is listed twice)
                same = [seeds[k] for k, t in enumerate(flat_targets) if t._id == s._id]
                if same:
                    result[i] = same[0] if len(same) == 1 else Tensor(
                        sum(convert_to_tensor(e)._value for e in same), same[0]._dtype)
        if None in result:
            from ..diagnostics import explain as _explain
            _explain.remember_nones(self, flat_targets, flat_sources, result, rule_nones)
            if mode != "none":
                result = self._fill_unconnected(mode, flat_targets, flat_sources, result)
        site = None
        for g in result:  # where each gradient was made, for explanations about it later
            if type(g) is Tensor and getattr(g, "_site", None) is None:
                g._site = site = site or user_site(2)
        self._release()
        return nest.pack_sequence_as(sources, result)

    def explain(self, target, sources):
        """Why each source's gradient is what it is: one Explanation per source, in the
        structure of ``sources`` (works after a non-persistent tape was used)."""
        from ..diagnostics import explain as _explain
        return _explain.explain(self, target, sources)

    def path(self, target, source):
        """The op chain from ``target`` back to ``source`` (or to where it breaks), as text."""
        from ..diagnostics import explain as _explain
        return _explain.path(self, target, source)

    def _fill_unconnected(self, mode, flat_targets, flat_sources, result):
        if mode == "zero":
            return [zeros_for(s) if g is None else g for s, g in zip(flat_sources, result)]
        from ..diagnostics import explain as _explain
        return _explain.handle_unconnected(self, mode, flat_targets, flat_sources, result)

    def jacobian(self, target, sources, unconnected_gradients=UnconnectedGradients.NONE,
                 parallel_iterations=None, experimental_use_pfor=True):
        """Full Jacobian: for each source, shape target.shape + source.shape."""
        self._check_usable()
        if not experimental_use_pfor and not self._persistent:
            raise RuntimeError("GradientTape must be created with persistent=True to compute the "
                               "jacobian with eager execution enabled and with  "
                               "experimental_use_pfor set to False.")
        mode = _unconnected_mode(unconnected_gradients)
        t = _as_target(target)
        flat_sources = [_as_source(s) for s in nest.flatten(sources)]
        rows = self._jacobian_rows(t, flat_sources)
        out = []
        for j, s in enumerate(flat_sources):
            if all(r[j] is None for r in rows):
                if mode == "zero" and not experimental_use_pfor and s._dtype is not t._dtype:
                    _loop_dtype_error(t, s)
                out.append(zeros_for_shape(t, s) if mode == "zero" else None)
                continue
            if not experimental_use_pfor and s._dtype is not t._dtype:
                _loop_dtype_error(t, s)
            dense = [np.zeros(s._value.shape, s._dtype._np) if r[j] is None
                     else convert_to_tensor(r[j])._value for r in rows]
            arr = np.stack(dense).reshape(t._value.shape + s._value.shape) if dense else \
                np.zeros(t._value.shape + s._value.shape, s._dtype._np)
            out.append(Tensor(arr, s._dtype))
        self._release()
        return nest.pack_sequence_as(sources, out)

    def _jacobian_rows(self, t, flat_sources):
        n = int(np.prod(t._value.shape, dtype=np.int64))
        rows = []
        ids = [s._id for s in flat_sources]
        for i in range(n):
            seed = np.zeros(n, t._dtype._np)
            seed[i] = 1
            rows.append(imperative_grad(self._records, [t],
                                        [Tensor(seed.reshape(t._value.shape), t._dtype)], ids,
                                        tracked=self._source_ids(flat_sources)))
        return rows

    def batch_jacobian(self, target, source, unconnected_gradients=UnconnectedGradients.NONE,
                       parallel_iterations=None, experimental_use_pfor=True):
        """Per-example Jacobians: shape [b] + target.shape[1:] + source.shape[1:]."""
        self._check_usable()
        t = _as_target(target)
        s = _as_source(source)
        ts, ss = t._value.shape, s._value.shape
        if not ts:  # TF indexes the target's first dimension before checking ranks
            raise IndexError("list index out of range")
        if len(ts) < 2:
            raise ValueError(f"Shape {tuple(ts)} must have rank at least 2")
        if len(ss) < 2:
            raise ValueError(f"Shape {tuple(ss)} must have rank at least 2")
        if ts[0] != ss[0]:
            raise ValueError(f"Need first dimension of target shape ({tuple(ts)}) and source "
                             f"shape ({tuple(ss)}) to match.")
        if not experimental_use_pfor and not self._persistent:
            raise RuntimeError("GradientTape must be created with persistent=True to compute the "
                               "batch_jacobian with eager execution enabled and  with "
                               "experimental_use_pfor set to False.")
        b = ts[0]
        per = int(np.prod(ts[1:], dtype=np.int64))
        out = np.zeros((b, per) + tuple(ss[1:]), s._dtype._np)
        connected = False
        for j in range(per):
            seed = np.zeros((b, per), t._dtype._np)
            seed[:, j] = 1
            (g,) = imperative_grad(self._records, [t], [Tensor(seed.reshape(ts), t._dtype)],
                                   [s._id], tracked=self._source_ids([s]))
            if g is not None:
                if not experimental_use_pfor and s._dtype is not t._dtype:
                    _loop_dtype_error(t, s)
                connected = True
                out[:, j] = convert_to_tensor(g)._value
        self._release()
        # TF: no path at all gives zeros of the target's dtype
        dtype = s._dtype if connected else t._dtype
        return Tensor(out.reshape((b,) + tuple(ts[1:]) + tuple(ss[1:])).astype(dtype._np), dtype)


def _loop_dtype_error(t, s):
    """experimental_use_pfor=False: TF stacks the rows in an array of the target's dtype."""
    from .errors import InvalidArgumentError
    raise InvalidArgumentError(None, None, f"TensorArray dtype is {t._dtype.name} but Op is "
                               f"trying to write dtype {s._dtype.name}")


def zeros_for_shape(t, s):
    return Tensor(np.zeros(t._value.shape + s._value.shape, s._dtype._np), s._dtype)


def _as_target(t):
    if isinstance(t, Tensor):
        return t
    if getattr(t, "_is_variable", False):
        return _VariableAsTensor(t)
    if t is None:
        raise TypeError("Cannot convert the argument `type_value`: None to a TensorFlow DType.")
    raise left_tape_error(t, "target")


def _as_source(s):
    if isinstance(s, Tensor) or getattr(s, "_is_variable", False):
        return s
    if s is None:
        raise TypeError("Cannot convert the argument `type_value`: None to a TensorFlow DType.")
    raise left_tape_error(s, "source")


class _VariableAsTensor(Tensor):
    """A variable used directly as a target: its identity is the variable's (gradient(v, v) = 1)."""

    __slots__ = ()

    def __init__(self, var):
        self._value = var._value
        self._dtype = var._dtype
        self._id = var._id


def _seeds(targets, output_gradients):
    if output_gradients is None:
        return [Tensor(np.ones(t._value.shape, t._dtype._np), t._dtype) for t in targets]
    flat = nest.flatten(output_gradients)
    if len(flat) < len(targets):
        raise ValueError(f"Expected {len(targets)} output gradients, got {len(flat)}")
    seeds = []
    for t, g in zip(targets, flat):
        if g is None:
            raise ValueError("Attempt to convert a value (None) with an unsupported type "
                             "(<class 'NoneType'>) to a Tensor.")
        seeds.append(convert_to_tensor(g, dtype_hint=t._dtype))
    return seeds
