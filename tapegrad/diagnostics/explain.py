"""Why is this gradient None? Post-hoc analysis of what a tape saw, without re-running anything.

The tape keeps op types, tensor ids, dtypes and call sites (``_facts``), the values that left
tapegrad (escapes), what was watched and where, and reads made while it was paused. From those,
each source gets one cause from a fixed vocabulary, the op and the user's line where the path
broke, the op chain from the target back to the break, and a fix that never breaks the path
further.
"""
import sys
import warnings

from .._core import nest
from .._core.callsite import _is_internal, format_site, site_line, site_text
from .._core.errors import DisconnectedGradientError
from .._core.registry import GRADIENTS
from . import _facts
from ._facts import _ancestors, _depths, _reach, _to_target  # noqa: F401 (report uses _reach)

CAUSES = ("connected", "not_watched", "not_trainable", "read_outside_tape", "unused",
          "unconnected", "stop_gradient", "non_differentiable", "integer_dtype", "left_tape",
          "nonfinite_forward", "nonfinite_backward", "masked_branch")

# Ops whose TF gradient rule exists but returns None (piecewise constant or index outputs).
NONE_RULE_OPS = frozenset({"Floor", "Ceil", "Round", "Rint", "FloorDiv", "ArgMax", "ArgMin"})
# Ops whose rule returns zeros almost everywhere: a path through them is a structural zero.
ZERO_RULE_OPS = frozenset({"Sign"})

FIXES = {
    "not_watched": "call tape.watch({name}) inside the `with tf.GradientTape()` block before "
                   "{name} is used, or make it a tf.Variable",
    "not_trainable": "call tape.watch({name}) (trainable=False only turns off automatic "
                     "watching), or create the variable with trainable=True",
    "read_outside_tape": "compute the target from {name} inside the `with tf.GradientTape()` "
                         "block: move the line that uses {name} into the block",
    "unused": "the target never uses {name}: add the term that should use it to the loss, or "
              "leave {name} out of the sources",
    "unconnected": "{name} was read on the tape but that value never reaches the target: check "
                   "that the result of the line above is used in the loss",
    "stop_gradient": "remove tf.stop_gradient here if the gradient should flow through it",
    "non_differentiable": "{op} has no gradient: use a differentiable surrogate (softmax "
                          "instead of argmax, a sigmoid instead of a comparison), or a "
                          "straight-through estimator x + tf.stop_gradient(f(x) - x)",
    "integer_dtype": "keep the path in floating point: integer and bool tensors carry no "
                     "gradient, so cast to a float dtype (tf.float32) instead",
    "left_tape": "use tapegrad ops here instead of {how}: the value left the tape, so nothing "
                 "computed from it is recorded",
    "nonfinite_forward": "keep the input of {op} inside its domain (e.g. log(x + eps), "
                         "sqrt(maximum(x, eps)), divide_no_nan)",
    "nonfinite_backward": "the derivative of {op} is infinite at these inputs: keep its input "
                          "away from the singular point (e.g. sqrt(x + eps)) or use a safe form",
    "masked_branch": "use the double-where trick: feed {op} a safe value where the mask is "
                     "false: safe_x = tf.where(mask, x, 1.0), then tf.where(mask, f(safe_x), 0.0) "
                     "where f is the {fn} expression (its gradient is then finite everywhere)",
}


class PathStep:
    """One op on the chain from the target back to the break."""

    __slots__ = ("op", "site", "broken")

    def __init__(self, op, site, broken=False):
        self.op = op
        self.site = site
        self.broken = broken

    @property
    def filename(self):
        return self.site[0].co_filename if self.site else None

    @property
    def line(self):
        return site_line(self.site)

    def __repr__(self):
        return f"{self.op} at {format_site(self.site)}{' (broken here)' if self.broken else ''}"


class Explanation:
    """Why a source's gradient is what it is (``cause`` from ``CAUSES``)."""

    def __init__(self, cause, source_name, op=None, site=None, path=(), fix="", detail="",
                 others=()):
        self.cause = cause
        self.source_name = source_name
        self.op = op
        self.site = site
        self.path = list(path)
        self.fix = fix
        self.detail = detail
        self.others = list(others)   # (cause, op, site) of causes that also apply

    @property
    def filename(self):
        return self.site[0].co_filename if self.site else None

    @property
    def line(self):
        return site_line(self.site)

    def __repr__(self):
        return f"<Explanation {self.source_name}: {self.cause} op={self.op} at {format_site(self.site)}>"

    def __str__(self):
        if self.cause == "connected":
            return f"{self.source_name}: connected (a gradient exists)"
        where = f" at {format_site(self.site)}" if self.site else ""
        if self.cause in _NUMERIC:
            head = f"{self.source_name} - {self.cause.upper()}{where}"
        else:
            head = f"{self.source_name}: None - {self.cause.upper()}{where}"
        lines = [head]
        text = site_text(self.site)
        if text:
            lines.append(f"  {self.line} | {text}")
        if self.detail:
            lines.append(f"  {self.detail}")
        if self.path:
            chain = " <- ".join(f"{s.op}{'(X)' if s.broken else ''} ({format_site(s.site)})"
                                for s in self.path)
            lines.append(f"  path: target <- {chain}")
        for cause, op, site in self.others:
            lines.append(f"  also: {cause}{' in ' + op if op else ''} at {format_site(site)}")
        if self.fix:
            lines.append(f"  fix: {self.fix}")
        return "\n".join(lines)

    def to_dot(self):
        """The op chain as Graphviz DOT, the broken edge dashed and red."""
        out = ["digraph gradient_path {", '  rankdir=LR;', '  target [shape=box];']
        prev = "target"
        for i, step in enumerate(self.path):
            node = f"op{i}"
            out.append(f'  {node} [label="{_dot(step.op)}\\n{_dot(format_site(step.site))}"];')
            style = ' [style=dashed, color=red, label="broken"]' if step.broken else ""
            out.append(f"  {node} -> {prev}{style};")
            prev = node
        out.append(f'  source [shape=box, label="{_dot(self.source_name)}"];')
        cut = ' [style=dashed, color=red, label="no path"]' if self.cause != "connected" \
            and not any(s.broken for s in self.path) else ""
        out.append(f"  source -> {prev}{cut};")
        out.append("}")
        return "\n".join(out)


_NUMERIC = ("nonfinite_forward", "nonfinite_backward", "masked_branch")


def _dot(text):
    return str(text).replace("\\", "\\\\").replace('"', '\\"')


# -- graph analysis over facts ------------------------------------------------------------------

def _edge_ok(f, k):
    """Can a gradient flow from output back into input k of this recorded op?"""
    t = f.opdef.type
    if GRADIENTS.get(t) is None or t in NONE_RULE_OPS or not f.input_dtypes[k].differentiable:
        return False
    return not (f.attrs and k in f.cut_inputs)  # a py_function body that never used input k










def _step(f, broken=False):
    return PathStep(f.opdef.type, f.site, broken=broken)


def _chain(facts, via, start_id, source_id, broken_at=None):
    steps = []
    cur = start_id
    seen = set()
    while cur != source_id and cur in via and cur not in seen:
        seen.add(cur)
        i, prev = via[cur]
        steps.append(_step(facts[i], broken=(i == broken_at)))
        cur = prev
    return steps


def _downstream(facts, nxt, start_id, target_ids):
    """Ops from ``start_id`` on to the target, target first."""
    steps = []
    cur = start_id
    while cur not in target_ids and cur in nxt and len(steps) <= len(facts):
        i, cur = nxt[cur]
        steps.append(_step(facts[i]))
    return steps[::-1]


class _Context:
    """Everything explain needs from a tape, gathered once per call."""

    def __init__(self, tape, targets):
        self.tape = tape
        self.facts = _facts.facts(tape)
        self.targets = targets
        self.target_ids = [t._id for t in targets]
        self.tracked = tape._tracked or set()
        self.anc = _ancestors(self.facts, self.target_ids)
        self.on_tape = any(t in self.tracked for t in self.target_ids)
        nones = getattr(tape, "_explain_nones", None)
        self.known_none = nones.get(tuple(self.target_ids), ()) if nones else ()
        rule_nones = getattr(tape, "_explain_rule_nones", None)
        self.rule_nones = rule_nones.get(tuple(self.target_ids), ()) if rule_nones else ()


def _source_name(source, names):
    name = names.get(id(source))
    if getattr(source, "_is_variable", False):
        label = f"Variable '{source.name}' created at {format_site(source._site)}"
        return f"{name} ({label})" if name else label
    if name:
        return name
    site = getattr(source, "_site", None)
    return f"Tensor created at {format_site(site)}" if site else "Tensor source"


def _user_names(depth=3):
    """Map id(object) -> the user's local variable name, from the nearest user frame.

    The walk starts at the caller whatever ``depth`` says: a fixed depth overshot the user's
    frame when the call chain inside tapegrad was shorter than assumed (tape.gradient ->
    remember_nones), and named nothing."""
    f = sys._getframe(1)
    while f is not None and _is_internal(f.f_code):
        f = f.f_back
    if f is None:
        return {}
    return {id(v): k for k, v in f.f_locals.items() if not k.startswith("_")}


def short_name(name):
    """The name to write in code: the user's local name, else the Variable's name ('b:0' -> b)."""
    short = name.split(" (")[0]
    if short.startswith("Variable '"):
        short = short.split("'")[1].split(":")[0]
    return short


def _fix(cause, name, op=None, how=None, fn=None):
    return FIXES.get(cause, "").format(name=short_name(name), op=op, how=how, fn=fn)


def _explain_source(ctx, source, name):
    facts = ctx.facts
    sid = source._id
    is_var = getattr(source, "_is_variable", False)
    if not source._dtype.differentiable:
        return Explanation("integer_dtype", name, site=getattr(source, "_site", None),
                           detail=f"the source has dtype {source._dtype.name}",
                           fix=_fix("integer_dtype", name))
    if sid not in ctx.tracked:  # never watched: no path can start here, whatever was recorded
        return _explain_unreached(ctx, source, name, is_var, {sid})
    if sid in ctx.target_ids:
        return Explanation("connected", name)
    diff, via = _reach(facts, {sid}, _edge_ok)
    if any(t in diff for t in ctx.target_ids):
        if sid in ctx.known_none:
            e = _explain_rule_none(ctx, source, name, diff)
            if e is not None:
                return e
        tid = next(t for t in ctx.target_ids if t in diff)
        return Explanation("connected", name, path=_chain(facts, via, tid, sid))
    anyr, via_any = _reach(facts, {sid})
    if any(t in anyr for t in ctx.target_ids):
        return _explain_cut(ctx, source, name, diff, anyr, via_any)
    return _explain_unreached(ctx, source, name, is_var, anyr)


def _cut_candidates(ctx, sid, diff, anyr):
    """Every op where a floating value reached from the source stops carrying a gradient on its
    way to the target, ranked: the most direct path first, then nearest the source. Returns
    (rank, fact index, input index, output id, first) with ``first`` when the gradient really
    stops there (and not at an earlier cut)."""
    facts = ctx.facts
    depth = _depths(facts, {sid})
    dist, nxt = _to_target(facts, ctx.target_ids)
    cands = []
    for i, f in enumerate(facts):
        outs = [(dist[o], o, dt) for o, dt in zip(f.output_ids, f.output_dtypes) if o in dist]
        if not outs:
            continue
        for k, tid in enumerate(f.input_ids):
            if tid not in anyr or not f.input_dtypes[k].differentiable:
                continue
            blocked = outs if not _edge_ok(f, k) else [o for o in outs if not o[2].differentiable]
            if blocked:
                d_out, oid, _ = min(blocked, key=lambda o: o[0])
                near = depth.get(tid, 0)
                cands.append(((near + 1 + d_out, near, i), i, k, oid, tid in diff))
                break
    cands.sort(key=lambda c: c[0])
    return cands, nxt


def _explain_cut(ctx, source, name, diff, anyr, via_any):
    """The target depends on the source, but every path crosses an op that passes no gradient."""
    facts = ctx.facts
    cands, nxt = _cut_candidates(ctx, source._id, diff, anyr)
    firsts = [c for c in cands if c[4]]
    if not firsts:
        tid = next(t for t in ctx.target_ids if t in anyr)
        return Explanation("unconnected", name, path=_chain(facts, via_any, tid, source._id),
                           fix=_fix("unconnected", name))
    _, i, k, oid, _ = firsts[0]
    f = facts[i]
    cause, op, site = _classify_cut(f, k)
    path = (_downstream(facts, nxt, oid, ctx.target_ids) + [_step(f, broken=True)]
            + _chain(facts, via_any, f.input_ids[k], source._id))
    others = [_classify_cut(facts[c[1]], c[2]) for c in cands if c is not firsts[0]]
    others += [("left_tape", how, s) for tid, how, s in ctx.tape._escapes if tid in anyr]
    fix = _fix(cause, name, op=op)
    if f.attrs and k in f.cut_inputs:
        fix = ("compute the py_function's result from its argument with tapegrad ops (not "
               "NumPy or Python values), or give the function a gradient with "
               "tf.custom_gradient")
    return Explanation(cause, name, op=op, site=site, path=path, detail=_cut_detail(f, k, cause),
                       fix=fix, others=_dedupe(others, (cause, op, site)))


def _cut_detail(f, k, cause):
    t = f.opdef.type
    if cause == "integer_dtype":
        return (f"{t} turns {f.input_dtypes[k].name} into {f.output_dtypes[0].name}, which "
                "carries no gradient")
    inner = f.cut_inputs.get(k) if f.attrs else None
    if inner is not None:
        icause, iop, isite, idetail = inner
        how = f" ({iop})" if iop else ""
        return (f"the py_function body never connects argument {k} to its result through "
                f"tapegrad ops ({icause}{how} at {format_site(isite)}), so its gradient is a "
                "scalar zero, as in TF")
    if all(d.differentiable for d in f.output_dtypes) or GRADIENTS.get(t) is None:
        return f"every path from the source to the target crosses {t}"
    return f"the output of {t} on the path is an index ({f.output_dtypes[-1].name}), not a value"


def _classify_cut(f, k=0):
    t = f.opdef.type
    if t == "StopGradient":
        return "stop_gradient", t, f.site
    if t == "Cast" and not f.output_dtypes[0].differentiable:
        return "integer_dtype", t, f.site
    return "non_differentiable", t, f.site


def _dedupe(others, winner, limit=4):
    out = []
    for o in others:
        if o != winner and o not in out:
            out.append(o)
    return out[:limit]


def _explain_rule_none(ctx, source, name, diff):
    """The graph connects the source, yet the last gradient call gave None: a rule written by
    the user (a custom_gradient's grad_fn) returned None for the input on the path."""
    facts = ctx.facts
    depth = _depths(facts, {source._id})
    best = None
    for i, f in enumerate(facts):
        if f.opdef.type != "CustomGradient" or not any(o in ctx.anc for o in f.output_ids):
            continue
        for k, tid in enumerate(f.input_ids):
            if tid in diff and (best is None or depth.get(tid, 0) < best[0]):
                best = (depth.get(tid, 0), i, k)
    if best is None:
        return _explain_registered_rule_none(ctx, source, name, diff, depth)
    _, i, k = best
    f = facts[i]
    fn = (f.attrs or {}).get("name") or "custom_gradient"
    return Explanation("non_differentiable", name, op="CustomGradient", site=f.site,
                       detail=f"the grad_fn of the custom_gradient function `{fn}` returned None "
                              f"for its input {k}, which is on the path to the target",
                       fix=f"return a gradient for input {k} from the grad_fn of `{fn}` (None "
                           "means no gradient flows to it)")


def _explain_registered_rule_none(ctx, source, name, diff, depth):
    """Any other rule the engine saw return None for an input on the path (a gradient
    registered with tf.RegisterGradient, say): the one nearest the source."""
    hits = [(depth.get(tid, 0), op_type, site, k) for op_type, site, k, tid in ctx.rule_nones
            if tid in diff]
    if not hits:
        return None
    _, op_type, site, k = min(hits, key=lambda h: h[0])
    return Explanation("non_differentiable", name, op=op_type, site=site,
                       detail=f"the gradient registered for {op_type} returned None for its "
                              f"input {k}, which is on the path to the target",
                       fix=f"return a gradient for input {k} from the gradient function "
                           f"registered for {op_type} (None means no gradient flows to it)")


def _made_inside(ctx):
    """Every target was created inside the tape's `with` block (so, being off the tape, it
    depends on nothing the tape tracks, rather than on a read made outside)."""
    start, end = ctx.tape._span
    return start is not None and all(start < t and (end is None or t < end)
                                     for t in ctx.target_ids)


def _explain_unreached(ctx, source, name, is_var, anyr):
    tape, facts = ctx.tape, ctx.facts
    sid = source._id
    watched = sid in ctx.tracked
    escapes = [e for e in tape._escapes if e[0] in anyr]
    if escapes:
        tid, how, site = escapes[0]
        _, via = _reach(facts, {sid})
        path = [PathStep(how, site, broken=True)] + _chain(facts, via, tid, sid)
        others = [("left_tape", h, s) for _, h, s in escapes[1:] if s != site]
        outside = _outside_site(ctx, source, is_var, anyr)
        if outside is not None:
            others.append(("read_outside_tape",) + outside)
        return Explanation("left_tape", name, op=how, site=site, path=path,
                           detail=f"{how} turned a tapegrad value into a NumPy/Python value; "
                                  "what is computed from it is not on the tape",
                           fix=_fix("left_tape", name, how=how),
                           others=_dedupe(others, ("left_tape", how, site)))
    if is_var and not watched:
        if not source._trainable:
            return Explanation("not_trainable", name, site=source._site,
                               detail="trainable=False variables are not watched automatically",
                               fix=_fix("not_trainable", name))
        if not tape._watch_accessed:
            return Explanation("not_watched", name, site=source._site,
                               detail="the tape has watch_accessed_variables=False and this "
                                      "variable was never passed to tape.watch",
                               fix=_fix("not_watched", name))
    if not is_var and not watched:
        return Explanation("not_watched", name, site=getattr(source, "_site", None),
                           detail="a Tensor is not watched automatically (only trainable "
                                  "variables are)",
                           fix=_fix("not_watched", name))
    outside = _outside_site(ctx, source, is_var, anyr)
    if outside is not None or (watched and not ctx.on_tape and not _made_inside(ctx)):
        return Explanation("read_outside_tape", name, op=outside[0] if outside else None,
                           site=outside[1] if outside else _target_site(ctx),
                           detail="the target was computed while this tape was not recording "
                                  "(before the `with`, after it, or under stop_recording)",
                           fix=_fix("read_outside_tape", name))
    reads = [f for f in facts if sid in f.input_ids]
    if reads:
        return Explanation("unconnected", name, op=reads[0].opdef.type, site=reads[0].site,
                           detail=f"read {len(reads)} time(s) on the tape, but no read leads "
                                  "to the target", fix=_fix("unconnected", name))
    watched_at = tape._watch_sites.get(sid) if not is_var else None
    if watched_at is not None:
        # Ops on a Tensor are recorded only once it is watched: a target computed from it
        # before tape.watch looks exactly like a target that never used it.
        return Explanation("unused", name, site=getattr(source, "_site", None),
                           detail="no op read it after tape.watch at "
                                  f"{format_site(watched_at)}; what was computed from it "
                                  "before that line is not on the tape",
                           fix=_fix("unused", name) + f", or move tape.watch({short_name(name)}) "
                               "above the lines that use it")
    return Explanation("unused", name, site=getattr(source, "_site", None),
                       detail="never read while the tape was recording",
                       fix=_fix("unused", name))


def _outside_site(ctx, source, is_var, anyr):
    """(op, site) where the source was used while the tape was paused or absent, if known."""
    tape = ctx.tape
    for op_type, tid, site in tape._unrecorded:
        if tid in anyr:
            return op_type, site
    if is_var and not ctx.on_tape:
        site = tape._outside_reads.get(source._id) or source._outside_read_site
        if site is not None:
            return "ReadVariableOp", site
    return None


def _target_site(ctx):
    for t in ctx.targets:
        site = getattr(t, "_site", None)
        if site:
            return site
    return None

# -- public entry points ------------------------------------------------------------------------

def explain(tape, target, sources, _names=None):
    """One Explanation per source, in the structure of ``sources``."""
    from .._core.tape import _as_source, _as_target
    flat_targets = [_as_target(t) for t in nest.flatten(target)]
    flat_sources = [_as_source(s) for s in nest.flatten(sources)]
    names = _names if _names is not None else _user_names()
    ctx = _Context(tape, flat_targets)
    out = [_explain_source(ctx, s, _source_name(s, names)) for s in flat_sources]
    return nest.pack_sequence_as(sources, out)


def path(tape, target, source):
    """The op chain from ``target`` back to ``source`` (or to the break) as text."""
    e = explain(tape, target, source, _names=_user_names())
    if not e.path:
        return f"no recorded op links the target to {e.source_name} ({e.cause})"
    return "\n".join(f"{'X ' if s.broken else '  '}{s.op:<16} {format_site(s.site)}  "
                     f"{site_text(s.site)}" for s in e.path)


_warned_sites = set()


def handle_unconnected(tape, mode, flat_targets, flat_sources, result):
    """``unconnected_gradients="explain"`` (warn once per call site) or ``"raise"``."""
    missing = [i for i, g in enumerate(result) if g is None]
    if not missing:
        return result
    names = _user_names(4)
    ctx = _Context(tape, flat_targets)
    exps = [_explain_source(ctx, flat_sources[i], _source_name(flat_sources[i], names))
            for i in missing]
    if mode == "raise":
        text = "\n".join(str(e) for e in exps)
        raise DisconnectedGradientError(
            f"{len(exps)} source(s) have no gradient:\n{text}", explanations=exps)
    for e in exps:
        key = (e.cause, e.site, e.source_name)
        if key in _warned_sites:
            continue
        _warned_sites.add(key)
        warnings.warn(str(e), GradientWarning, stacklevel=4)
    return result


class GradientWarning(UserWarning):
    """A gradient is None, zero or non-finite; the message explains why."""


# -- memory of the last Nones, for optimizers ---------------------------------------------------

_last_nones = {}   # variable id -> (tape, targets): explained lazily when an optimizer asks
collector = None   # tapegrad doctor sets a function(call_site, Explanation) to see every None


def remember_nones(tape, flat_targets, flat_sources, result, rule_nones=()):
    """Called by tape.gradient: keep just enough to explain a later None at apply_gradients.
    ``rule_nones``: (op type, site, input index, input id) where a rule returned None on the
    path, from the engine."""
    _last_nones.clear()
    if rule_nones:
        kept = getattr(tape, "_explain_rule_nones", None)
        if kept is None:
            kept = tape._explain_rule_nones = {}
        kept[tuple(t._id for t in flat_targets)] = list(rule_nones)
    # Which sources came back None for these targets: a graph that connects one of them means a
    # rule written by the user returned None (explain cannot re-run rules after the fact).
    nones = getattr(tape, "_explain_nones", None)
    if nones is None:
        nones = tape._explain_nones = {}
    nones.setdefault(tuple(t._id for t in flat_targets), set()).update(
        s._id for s, g in zip(flat_sources, result) if g is None)
    for s, g in zip(flat_sources, result):
        if g is None and getattr(s, "_is_variable", False):
            _last_nones[s._id] = (tape, flat_targets)
    if collector is not None:
        from .._core.callsite import user_site
        site = user_site(3)
        names = _user_names(4)
        ctx = _Context(tape, flat_targets)
        for s, g in zip(flat_sources, result):
            if g is None:
                collector(site, _explain_source(ctx, s, _source_name(s, names)))


def explain_variable(var):
    """Explanation for a variable whose last gradient was None, or None if unknown."""
    entry = _last_nones.get(var._id)
    if entry is None:
        return None
    tape, targets = entry
    ctx = _Context(tape, targets)
    return _explain_source(ctx, var, _source_name(var, {}))
