"""``tapegrad doctor SCRIPT [ARGS...]``: run a training script with diagnostics on.

Every None gradient is explained at its call site (once per site), NaN/Inf is caught where it
is born, and optimizers explain the variables they got no gradient for. At the end a summary
table lists site, variable, cause, line and fix. Exit status: 0 nothing found, 1 something
found, 2 the script itself failed (its traceback shown, tapegrad frames hidden unless
``--verbose``). ``--tensorflow`` makes ``import tensorflow`` load tapegrad inside the script.
"""
import argparse
import os
import runpy
import sys
import traceback
import warnings

from .._core.callsite import _PKG_DIR, format_site, site_text, user_site
from ._tfalias import tensorflow_alias


class Finding:
    """One row of the summary: ``site`` is the call that saw the problem (tape.gradient,
    apply_gradients, the op that made a NaN), ``line`` where the path broke."""

    def __init__(self, kind, site, variable, cause, line, fix, text):
        self.kind, self.site, self.variable = kind, site, variable
        self.cause, self.line, self.fix, self.text = cause, line, fix, text

    def key(self):
        return (self.kind, self.site, self.variable, self.cause, self.line)

    def row(self):
        """(site, variable, cause, line, fix) as text."""
        where = f"{format_site(self.site)} {self.kind}" if self.site else self.kind
        line = format_site(self.line) if self.line else "-"
        return (where, self.variable, self.cause, line, self.fix or "-")

    def __repr__(self):
        return f"<Finding {' | '.join(self.row()[:4])}>"


def _short_name(exp):
    """'w' from "w (Variable 'w:0' created at train.py:3)" or "Variable 'w:0' created at ..."."""
    from ..diagnostics.explain import short_name
    return short_name(exp.source_name)


class Session:
    """Diagnostics on for the duration of a ``with`` block.

    None gradients are collected from every ``tape.gradient`` call (the engine's collector
    hook); optimizers are audited where they drop missing gradients; check_numerics raises at
    the first non-finite value (``numerics=False`` leaves it off). ``echo`` receives each new
    finding's full text as it happens.
    """

    def __init__(self, numerics=True, tensorflow=False, echo=None):
        self.numerics, self.tensorflow, self.echo = numerics, tensorflow, echo
        self.findings = []
        self._seen = set()
        self._alias = None
        self._patched = []
        self._names = {}          # "Variable 'w:0' created at f.py:3" -> ("w", fix)
        self.all_missing = None   # the ValueError an optimizer raised for all-None gradients

    # -- collecting -----------------------------------------------------------------------
    def add(self, finding):
        if finding.key() in self._seen:
            return
        self._seen.add(finding.key())
        self.findings.append(finding)
        if self.echo is not None:
            self.echo(f"[tapegrad doctor] {finding.text}")

    def _on_none(self, call_site, exp):
        if " (" in exp.source_name:   # "w (Variable 'w:0' created at ...)": remember "w"
            label = exp.source_name.split(" (", 1)[1][:-1]
            self._names[label] = (_short_name(exp), exp.fix)
        self.add(Finding("gradient", call_site, _short_name(exp), exp.cause, exp.site, exp.fix,
                         f"None gradient at {format_site(call_site)}:\n{exp}"))

    def _audit(self, variables, grads, all_missing):
        """An optimizer is about to skip (or refuse) variables whose gradient is None."""
        from ..diagnostics import explain as _explain
        site = user_site(3)
        verb = "refused the step" if all_missing else "skipped"
        for g, v in zip(grads, variables):
            if g is not None:
                continue
            exp = _explain.explain_variable(v)
            name = getattr(v, "path", None) or v.name
            if exp is None:
                self.add(Finding("apply_gradients", site, name, "no gradient", None,
                                 "compute the gradient on a tape that recorded the loss",
                                 f"optimizer at {format_site(site)} {verb}: no gradient "
                                 f"for {name}"))
            else:   # named as the user's code names it, when a gradient call saw it
                short, fix = self._names.get(exp.source_name, (_short_name(exp), exp.fix))
                self.add(Finding("apply_gradients", site, short, exp.cause, exp.site, fix,
                                 f"optimizer at {format_site(site)} {verb}: no gradient for "
                                 f"{short} ({exp.source_name}); {exp.cause}, see above"
                                 if exp.source_name in self._names else
                                 f"optimizer at {format_site(site)} {verb}: no gradient for "
                                 f"{name}:\n{exp}"))

    def _on_nonfinite(self, exc):
        exp = exc.explanation
        what = "output" if exp.cause == "nonfinite_forward" else "gradient"
        self.add(Finding("check_numerics", exp.site, f"{exp.op} {what}" if exp.op else "-",
                         exp.cause,
                         exp.site, exp.fix, str(exc)))

    # -- hooks ------------------------------------------------------------------------------
    def _patch(self, cls, name, make):
        original = cls.__dict__[name]
        setattr(cls, name, make(original))
        self._patched.append((cls, name, original))

    def __enter__(self):
        import tapegrad
        from ..compat.v1 import _optimizer as _v1
        from ..diagnostics import explain as _explain
        from ..optimizers import optimizer as _keras
        session = self

        def keras_drop(original):
            def _drop_missing(opt, grads, variables, stacklevel):
                missing_all = all(g is None for g in grads)
                session._audit(variables, grads, missing_all)
                try:
                    return original(opt, grads, variables, stacklevel + 1)
                except ValueError as e:
                    session.all_missing = e
                    raise
            return _drop_missing

        def v1_apply(original):
            def apply_gradients(opt, grads_and_vars, global_step=None, name=None):
                pairs = list(grads_and_vars)
                grads = [g for g, _ in pairs]
                session._audit([v for _, v in pairs], grads, all(g is None for g in grads))
                try:
                    return original(opt, pairs, global_step=global_step, name=name)
                except ValueError as e:
                    if pairs and all(g is None for g in grads):
                        session.all_missing = e
                    raise
            return apply_gradients

        self._patch(_keras.Optimizer, "_drop_missing", keras_drop)
        self._patch(_v1.Optimizer, "apply_gradients", v1_apply)
        self._previous_collector = _explain.collector
        _explain.collector = self._on_none
        if self.numerics:
            tapegrad.debugging.enable_check_numerics()
        if self.tensorflow:
            self._alias = tensorflow_alias()
            self._alias.__enter__()
        return self

    def __exit__(self, *exc):
        import tapegrad
        from ..diagnostics import explain as _explain
        _explain.collector = self._previous_collector
        if self.numerics:
            tapegrad.debugging.disable_check_numerics()
        for cls, name, original in reversed(self._patched):
            setattr(cls, name, original)
        self._patched.clear()
        if self._alias is not None:
            self._alias.__exit__(*exc)
            self._alias = None
        return False

    def classify(self, exc):
        """True when ``exc`` is a finding (NaN origin, optimizer with no gradients), not a
        failure of the script."""
        from .._core.errors import InvalidArgumentError
        if isinstance(exc, InvalidArgumentError) and getattr(exc, "explanation", None):
            self._on_nonfinite(exc)
            return True
        return exc is self.all_missing and any(f.kind == "apply_gradients"
                                               for f in self.findings)


def user_traceback(exc, verbose=False):
    """The traceback of a failed script; tapegrad's and runpy's frames left out unless
    ``verbose``."""
    frames = traceback.extract_tb(exc.__traceback__)
    if not verbose:
        frames = [f for f in frames if not os.path.abspath(f.filename).startswith(_PKG_DIR)
                  and "runpy" not in f.filename]
    lines = ["Traceback (most recent call last):\n"] + traceback.format_list(frames)
    lines += traceback.format_exception_only(type(exc), exc)
    return "".join(lines)


def summary(findings):
    """The table printed at the end: site, variable, cause, line (with its text), fix."""
    if not findings:
        return "tapegrad doctor: no missing or non-finite gradients found."
    head = ("site", "variable", "cause", "line", "fix")
    rows = []
    for f in findings:
        site, var, cause, line, fix = f.row()
        text = site_text(f.line)
        rows.append((site, var, cause, f"{line}  {text}" if text else line, fix))
    widths = [min(60, max(len(r[i]) for r in rows + [head])) for i in range(4)]
    lines = [f"tapegrad doctor: {len(findings)} finding(s)"]
    for r in [head] + rows:
        cells = [c if len(c) <= w else c[:w - 3] + "..." for c, w in zip(r[:4], widths)]
        lines.append("  ".join(c.ljust(w) for c, w in zip(cells, widths)) + "  " + r[4])
    return "\n".join(lines)


def run(script, args=(), tensorflow=False, verbose=False, out=print, err=None):
    """Run ``script`` under diagnostics; returns (exit status, findings)."""
    err = err or _stderr
    old_argv, old_path = sys.argv, list(sys.path)
    status = 0
    session = Session(tensorflow=tensorflow, echo=out)
    sys.argv = [script] + list(args)
    sys.path.insert(0, os.path.dirname(os.path.abspath(script)))
    try:
        with warnings.catch_warnings(record=True) as caught, session:
            try:
                runpy.run_path(script, run_name="__main__")
            except SystemExit as e:
                status = 0 if e.code in (None, 0) else 2
            except Exception as e:  # noqa: BLE001 - the user's script failed, or we stopped it
                if session.classify(e):
                    out(f"[tapegrad doctor] stopped the script: {type(e).__name__}: "
                        f"{str(e).splitlines()[0]}")
                else:
                    err(user_traceback(e, verbose))
                    status = 2
    finally:
        sys.argv, sys.path[:] = old_argv, old_path
    _replay_warnings(caught, session.findings, err)
    out("")
    out(summary(session.findings))
    if status == 2:
        return 2, session.findings
    return (1 if session.findings else 0), session.findings


def _stderr(text):
    sys.stdout.flush()   # keep the script's output and its traceback in order
    print(text, file=sys.stderr, flush=True)


def _replay_warnings(caught, findings, err):
    """Show the script's own warnings; those about missing gradients are in the findings."""
    from ..diagnostics.explain import GradientWarning
    reported = any(f.kind == "apply_gradients" for f in findings)
    for w in caught:
        if issubclass(w.category, GradientWarning):
            continue
        if reported and str(w.message).startswith("Gradients do not exist for variables"):
            continue
        err(warnings.formatwarning(w.message, w.category, w.filename, w.lineno).rstrip())


def main(argv=None):
    ap = argparse.ArgumentParser(
        prog="tapegrad doctor", description="Run a training script with diagnostics on: None "
        "gradients explained, NaN/Inf caught at its origin, optimizers audited. Exit status 0: "
        "nothing found, 1: something found, 2: the script failed.")
    ap.add_argument("--tensorflow", action="store_true",
                    help="resolve `import tensorflow` to tapegrad inside the script")
    ap.add_argument("--verbose", action="store_true", help="show tapegrad frames in tracebacks")
    ap.add_argument("script")
    ap.add_argument("args", nargs=argparse.REMAINDER)
    ns = ap.parse_args(argv)
    if not os.path.isfile(ns.script):
        print(f"tapegrad doctor: no such script: {ns.script}", file=sys.stderr)
        return 2
    status, _ = run(ns.script, ns.args, tensorflow=ns.tensorflow, verbose=ns.verbose)
    return status
