"""``gradient_report``: one row per source - status, norm, zero fraction, cause and line."""
import numpy as np

from .._core import nest
from .._core.callsite import format_site, site_line
from .._core.tensor import convert_to_tensor
from . import explain as _explain

STATUSES = ("ok", "disconnected", "structural_zero", "numeric_zero", "nonfinite")
_CUTS = ("stop_gradient", "non_differentiable", "integer_dtype")


class Row:
    __slots__ = ("name", "status", "norm", "zero_fraction", "cause", "op", "site", "explanation")

    def __init__(self, name, status, norm, zero_fraction, cause, op, site, explanation):
        self.name, self.status, self.norm = name, status, norm
        self.zero_fraction, self.cause, self.op = zero_fraction, cause, op
        self.site, self.explanation = site, explanation

    @property
    def line(self):
        return site_line(self.site)

    def __repr__(self):
        return f"<Row {self.name}: {self.status}>"


class GradientReport:
    """Rows in the order of the flattened sources; ``str()`` renders a table."""

    def __init__(self, rows, gradients):
        self.rows = rows
        self.gradients = gradients

    def __iter__(self):
        return iter(self.rows)

    def __len__(self):
        return len(self.rows)

    def __getitem__(self, i):
        return self.rows[i]

    @property
    def healthy(self):
        return all(r.status == "ok" for r in self.rows)

    def __str__(self):
        head = ("source", "status", "norm", "zeros", "cause", "where")
        body = [(_explain.short_name(r.name)[:30], r.status, "-" if r.norm is None else f"{r.norm:.4g}",
                 "-" if r.zero_fraction is None else f"{100 * r.zero_fraction:.0f}%",
                 r.cause + (f" ({r.op})" if r.op and r.cause != "connected" else ""),
                 format_site(r.site) if r.site else "") for r in self.rows]
        widths = [max(len(str(x)) for x in col) for col in zip(head, *body)]
        lines = ["  ".join(str(x).ljust(w) for x, w in zip(row, widths)).rstrip()
                 for row in [head] + body]
        return "\n".join(lines)


def gradient_report(tape, target, sources):
    """Compute the gradients of ``target`` w.r.t. ``sources`` on ``tape`` and classify each."""
    names = _explain._user_names(2)
    grads = tape.gradient(target, sources)
    exps = nest.flatten(_explain.explain(tape, target, sources, _names=names))
    flat_grads = nest.flatten(grads) if grads is not None else [None]
    flat_sources = nest.flatten(sources)
    rows = []
    ctx = None
    for s, g, e in zip(flat_sources, flat_grads, exps):
        if g is None:
            rows.append(Row(e.source_name, "disconnected", None, None, e.cause, e.op, e.site, e))
            continue
        arr = np.asarray(convert_to_tensor(g)._value, np.float64)
        norm = float(np.sqrt(np.sum(arr * arr))) if np.isfinite(arr).all() else float("nan")
        zero_fraction = float(np.mean(arr == 0)) if arr.size else 1.0
        if not np.isfinite(arr).all():
            status = "nonfinite"
        elif arr.size and zero_fraction == 1.0:
            if ctx is None:
                ctx = _explain._Context(tape, [_explain_target(t) for t in nest.flatten(target)])
            if e.cause in _CUTS:  # e.g. a py_function body that never used its argument
                rows.append(Row(e.source_name, "structural_zero", norm, zero_fraction,
                                e.cause, e.op, e.site, e))
                continue
            zop = _structural_zero(ctx, s)
            if zop is not None:
                rows.append(Row(e.source_name, "structural_zero", norm, zero_fraction,
                                "structural_zero", zop.opdef.type, zop.site, e))
                continue
            status = "numeric_zero"
        else:
            status = "ok"
        rows.append(Row(e.source_name, status, norm, zero_fraction, e.cause, e.op, e.site, e))
    return GradientReport(rows, grads)


def _explain_target(t):
    from .._core.tape import _as_target
    return _as_target(t)


def _structural_zero(ctx, source):
    """The zero-derivative op every path crosses (e.g. Sign), or None."""
    reached, _ = _explain._reach(ctx.facts, {source._id}, _explain._edge_ok,
                                 skip=_explain.ZERO_RULE_OPS)
    if any(t in reached for t in ctx.target_ids):
        return None
    full, _ = _explain._reach(ctx.facts, {source._id}, _explain._edge_ok)
    for f in ctx.facts:
        if f.opdef.type in _explain.ZERO_RULE_OPS and any(i in full for i in f.input_ids):
            return f
    return None
