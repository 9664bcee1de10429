"""Thread-local engine state: the stack of active tapes, op records, and escape events.

This is the per-op hot path. ``record`` is called after every op that ran while some tape was
active; an op is kept only by tapes that are recording and track one of its inputs.
"""
import itertools
import sys
import threading

from .callsite import _internal, _is_internal, user_site

# Off only to measure what call sites cost (bench/bench_engine.py); diagnostics need them.
CAPTURE_SITES = True
_getframe = sys._getframe
_internal_get = _internal.get

next_id = itertools.count(1).__next__  # tensor/variable identity: a counter, never id()


class _State(threading.local):
    def __init__(self):
        self.tapes = []          # entered tapes, innermost last (tapes are thread-local, as in TF)


state = _State()


class Op:
    """One recorded op, passed to gradient rules as ``op`` (TF's ``(op, grad)`` signature).

    ``inputs`` and ``outputs`` are Tensors (or Variables for a variable read); ``site`` is the
    user's call site as (code, instruction offset): callsite.site_line gives the line.
    """

    __slots__ = ("opdef", "inputs", "outputs", "attrs", "site", "reached")

    def __init__(self, opdef, inputs, outputs, attrs, site):
        self.opdef = opdef
        self.inputs = inputs
        self.outputs = outputs
        self.attrs = attrs
        self.site = site

    @property
    def type(self):
        return self.opdef.type

    def needs(self, k):
        """Whether input ``k`` can receive a gradient in the current backward pass (the engine's
        needs-grad mask: a rule may skip work for inputs that lead to no source)."""
        reached = getattr(self, "reached", None)
        return reached is None or self.inputs[k]._id in reached

    @property
    def name(self):
        return self.opdef.type

    def get_attr(self, name):
        return self.attrs[name]

    def __repr__(self):
        return f"<Op {self.opdef.type} inputs={[getattr(t, 'shape', None) for t in self.inputs]}>"


def record(opdef, inputs, outputs, attrs, depth=2):
    """Append an op to every recording tape that tracks one of its inputs. Returns the Op or None.

    ``depth``: the first frame that may be the user's (2: the caller of record's caller; 3 when
    a Python operator's frame sits in between, so that frame is never materialised)."""
    entry = None
    for tape in state.tapes:
        if not tape._recording:
            if tape._tracked is not None:
                _note_unrecorded(tape, opdef, inputs)
            continue
        tracked = tape._tracked
        for t in inputs:
            if t._id in tracked:
                break
        else:
            continue
        if entry is None:
            site = None
            if CAPTURE_SITES:
                # callsite.user_site, inlined (this runs once per recorded op); the walk starts
                # above record's caller, which is always ours.
                f = _getframe(depth)
                while f is not None:
                    code = f.f_code
                    r = _internal_get(id(code))
                    if not (_is_internal(code) if r is None or r[0] is not code else r[1]):
                        site = (code, f.f_lasti)
                        break
                    f = f.f_back
            entry = Op(opdef, inputs, outputs, attrs, site)
        tape._records.append(entry)
        for o in outputs:
            tracked.add(o._id)
    if entry is None and CAPTURE_SITES:
        # Made inside a tape's block but recorded by none: keep where, so explain can name
        # the line of an intermediate used as an (unwatched) source.
        site = user_site(2)
        for o in outputs:
            o._site = site
    return entry


def _note_unrecorded(tape, opdef, inputs):
    """An op on a tracked value ran while this tape was paused (stop_recording): remember where,
    so explain can say the target was computed outside the tape."""
    tracked = tape._tracked
    for t in inputs:
        if t._id in tracked:
            tape._unrecorded.append((opdef.type, t._id, user_site(3)))
            return


def note_escape(tensor, how, variable=False):
    """A tracked tensor's value left tapegrad (numpy(), float(), ...): remember where, for explain.

    A Variable's value is noted on every recording tape: it is tracked only once read through
    an op, and reading it straight out is exactly the read that never reached the tape."""
    site = None
    for tape in state.tapes:
        if tape._recording and (variable or tensor._id in tape._tracked):
            if site is None:
                site = user_site(2)
            tape._escapes.append((tensor._id, how, site))
