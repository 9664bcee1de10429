"""The facts a tape keeps after a non-persistent release: op types, tensor ids, dtypes and call
sites, never arrays, so ``explain`` works after ``gradient`` without keeping memory alive.

Built once per release on the backward hot path, so each fact is a plain tuple; ``OpFact``
gives it names when a report is made. Attributes are dropped (a custom gradient's closure or a
py_function's cache holds arrays) except for the two ops whose gradient depends on user code:
CustomGradient keeps its function's name, EagerPyFunc keeps which inputs its body connected to
its outputs (worked out from the body's own tape before the backward pass consumes it).
"""
import operator


class OpFact:
    """Array-free view of one recorded op (also built straight from a live record)."""

    __slots__ = ("opdef", "site", "input_ids", "output_ids", "input_dtypes", "output_dtypes",
                 "attrs")

    def __init__(self, opdef, site, input_ids, output_ids, input_dtypes, output_dtypes, attrs):
        self.opdef = opdef
        self.site = site
        self.input_ids = input_ids
        self.output_ids = output_ids
        self.input_dtypes = input_dtypes
        self.output_dtypes = output_dtypes
        self.attrs = attrs

    @property
    def type(self):
        return self.opdef.type

    @property
    def cut_inputs(self):
        """{input index: why the body passes no gradient} for a py_function, else {}."""
        return self.attrs.get("cut", {}) if self.attrs else {}

    @classmethod
    def of(cls, op):
        if isinstance(op, tuple):
            return cls(*op)
        return cls(*_fact(op))


_USER_CODE_OPS = ("CustomGradient", "EagerPyFunc")


_ids = operator.attrgetter("_id")
_dtypes = operator.attrgetter("_dtype")


def _fact(op):
    ins = op.inputs
    outs = op.outputs
    attrs = _user_code_attrs(op) if op.opdef.type in _USER_CODE_OPS else None
    return (op.opdef, op.site, tuple(map(_ids, ins)), tuple(map(_ids, outs)),
            tuple(map(_dtypes, ins)), tuple(map(_dtypes, outs)), attrs)


def _user_code_attrs(op):
    attrs = op.attrs
    kept = attrs.get("_explain")
    if kept is not None:
        return kept
    kept = {"name": attrs.get("name")}
    cache = attrs.get("cache")
    if cache is not None:  # py_function: (body tape, body args, body outputs)
        kept["cut"] = _body_cuts(*cache)
        attrs["_explain"] = kept  # the cache goes with the first backward pass: keep the answer
    return kept


def _body_cuts(body_tape, args, outs):
    """For each py_function input whose body value never reaches an output through tapegrad
    ops: (cause, op, site, detail) of why, from the body's own tape."""
    from . import explain as _explain
    ctx = _explain._Context(body_tape, list(outs))
    cuts = {}
    for k, a in enumerate(args):
        if not a._dtype.differentiable:
            continue
        e = _explain._explain_source(ctx, a, f"argument {k}")
        if e.cause != "connected":
            cuts[k] = (e.cause, e.op, e.site, e.detail)
    return cuts


# -- the graph the facts describe (facts are in execution order, so one pass each) ----------

def _reach(facts, start, edge_ok=None, skip=frozenset()):
    """Forward closure of ids from ``start``; ``via[out] = (fact index, input id)``."""
    reached = set(start)
    via = {}
    for i, f in enumerate(facts):
        src = None
        for k, tid in enumerate(f.input_ids):
            if tid in reached and (edge_ok is None or (f.opdef.type not in skip and edge_ok(f, k))):
                src = tid
                break
        if src is None:
            continue
        for oid, odt in zip(f.output_ids, f.output_dtypes):
            if edge_ok is None or odt.differentiable:
                reached.add(oid)
                via.setdefault(oid, (i, src))
    return reached, via


def _ancestors(facts, target_ids):
    anc = set(target_ids)
    for f in reversed(facts):
        if any(o in anc for o in f.output_ids):
            anc.update(f.input_ids)
    return anc


def _depths(facts, start):
    """Fewest ops from ``start`` to each id (facts are in execution order, so one pass)."""
    depth = dict.fromkeys(start, 0)
    for f in facts:
        ds = [depth[i] for i in f.input_ids if i in depth]
        if ds:
            d = min(ds) + 1
            for o in f.output_ids:
                if depth.get(o, d + 1) > d:
                    depth[o] = d
    return depth


def _to_target(facts, target_ids):
    """Fewest ops from each id to a target, and the next (fact index, output id) on that way."""
    dist = dict.fromkeys(target_ids, 0)
    nxt = {}
    for i in range(len(facts) - 1, -1, -1):
        f = facts[i]
        outs = [(dist[o], o) for o in f.output_ids if o in dist]
        if not outs:
            continue
        d, o = min(outs)
        for tid in f.input_ids:
            if dist.get(tid, d + 2) > d + 1:
                dist[tid] = d + 1
                nxt[tid] = (i, o)
    return dist, nxt


def skeleton(tape):
    """Array-free copy of a tape's records (built once, when a non-persistent tape is released)."""
    return list(map(_fact, tape._records))


def facts(tape):
    """OpFacts of a tape, live or released."""
    if tape._skeleton is not None and not tape._records:
        return [OpFact(*f) for f in tape._skeleton]
    return [OpFact.of(op) for op in (tape._records or [])]
