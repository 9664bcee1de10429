"""``tapegrad doctor SCRIPT [ARGS...]``: run a training script with diagnostics on.

Every None gradient is explained at its call site (once per site), NaN/Inf is caught where it
is born, and optimizers explain the variables they got no gradient for. At the end a summary
table lists site, variable, cause, line and fix. Exit status: 0 nothing found, 1 something
found, 2 the script itself failed (its traceback shown, tapegrad frames hidden unless
``--verbose``). ``--tensorflow`` makes ``import tensorflow`` load tapegrad inside the script.
"""
import argparse
import importlib
import importlib.abc
import importlib.util
import os
import runpy
import sys
import traceback
import warnings

from .._core.callsite import _SKIP, format_site, site_text


class Finding:
    def __init__(self, kind, where, variable, cause, site, fix, text):
        self.kind, self.where, self.variable = kind, where, variable
        self.cause, self.site, self.fix, self.text = cause, site, fix, text

    def key(self):
        return (self.kind, self.where, self.variable, self.cause, self.site)


class _TensorflowAlias(importlib.abc.MetaPathFinder, importlib.abc.Loader):
    """Resolve ``tensorflow`` and ``tensorflow.X`` to ``tapegrad`` and ``tapegrad.X``."""

    def find_spec(self, name, path=None, target=None):
        if name == "tensorflow" or name.startswith("tensorflow."):
            return importlib.util.spec_from_loader(name, self)
        return None

    def create_module(self, spec):
        target = "tapegrad" + spec.name[len("tensorflow"):]
        try:
            return importlib.import_module(target)
        except ImportError:
            raise ImportError(f"tapegrad does not support {spec.name} yet (tapegrad doctor "
                              f"--tensorflow maps tensorflow to tapegrad)") from None

    def exec_module(self, module):
        pass


def _install_alias():
    finder = _TensorflowAlias()
    sys.meta_path.insert(0, finder)
    import tapegrad
    sys.modules["tensorflow"] = tapegrad
    return finder


def _user_traceback(exc, verbose):
    frames = traceback.extract_tb(exc.__traceback__)
    if not verbose:
        frames = [f for f in frames if not os.path.abspath(f.filename).startswith(_SKIP)
                  and "runpy" not in f.filename and not f.filename.endswith("doctor.py")]
    lines = ["Traceback (most recent call last):\n"] + traceback.format_list(frames)
    lines += traceback.format_exception_only(type(exc), exc)
    return "".join(lines)


def run(script, args, tensorflow=False, verbose=False, out=print, err=None):
    """Run ``script`` under diagnostics; returns (exit status, findings)."""
    err = err or (lambda s: print(s, file=sys.stderr))
    import tapegrad as tf
    from ..diagnostics import explain as _explain
    findings, seen = [], set()

    def add(f):
        if f.key() not in seen:
            seen.add(f.key())
            findings.append(f)
            out(f"[tapegrad doctor] {f.text}")

    def on_none(call_site, exp):
        add(Finding("None gradient", format_site(call_site), exp.source_name.split(" (")[0],
                    exp.cause, exp.site, exp.fix, f"None gradient at {format_site(call_site)}:\n"
                    + str(exp)))

    finder = _install_alias() if tensorflow else None
    old_argv, old_path = sys.argv, list(sys.path)
    _explain.collector = on_none
    tf.debugging.enable_check_numerics()
    status = 0
    try:
        sys.argv = [script] + list(args)
        sys.path.insert(0, os.path.dirname(os.path.abspath(script)))
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            try:
                runpy.run_path(script, run_name="__main__")
            except SystemExit as e:
                status = 0 if e.code in (None, 0) else 2
            except tf.errors.InvalidArgumentError as e:
                exp = getattr(e, "explanation", None)
                if exp is None:
                    err(_user_traceback(e, verbose))
                    status = 2
                else:
                    add(Finding("NaN/Inf", format_site(exp.site), "-", exp.cause, exp.site,
                                exp.fix, str(e)))
            except Exception as e:  # noqa: BLE001 - the user's script failed
                err(_user_traceback(e, verbose))
                status = 2
        for w in caught:
            if "Gradients do not exist" in str(w.message) or issubclass(
                    w.category, _explain.GradientWarning):
                add(Finding("optimizer", format_site(None), "-", "no gradient", None, "",
                            str(w.message)))
    finally:
        _explain.collector = None
        tf.debugging.disable_check_numerics()
        sys.argv, sys.path[:] = old_argv, old_path
        if finder is not None:
            sys.meta_path.remove(finder)
            for name in [n for n in sys.modules if n == "tensorflow" or n.startswith("tensorflow.")]:
                del sys.modules[name]
    out(summary(findings))
    if status == 2:
        return 2, findings
    return (1 if findings else 0), findings


def summary(findings):
    if not findings:
        return "\ntapegrad doctor: no missing, zero or non-finite gradients found."
    head = ("where", "variable", "cause", "line", "fix")
    rows = [(f.where, f.variable, f.cause,
             f"{format_site(f.site)}: {site_text(f.site)}" if f.site else "-", f.fix)
            for f in findings]
    widths = [min(48, max(len(str(r[i])) for r in rows + [head])) for i in range(4)]
    lines = [f"\ntapegrad doctor: {len(findings)} finding(s)"]
    for r in [head] + rows:
        lines.append("  ".join(str(c)[:w].ljust(w) for c, w in zip(r[:4], widths)) + "  " + str(r[4]))
    return "\n".join(lines)


def main(argv=None):
    ap = argparse.ArgumentParser(prog="tapegrad doctor", description=__doc__.splitlines()[0])
    ap.add_argument("--tensorflow", action="store_true",
                    help="resolve `import tensorflow` to tapegrad inside the script")
    ap.add_argument("--verbose", action="store_true", help="show tapegrad frames in tracebacks")
    ap.add_argument("script")
    ap.add_argument("args", nargs=argparse.REMAINDER)
    ns = ap.parse_args(argv)
    status, _ = run(ns.script, ns.args, tensorflow=ns.tensorflow, verbose=ns.verbose)
    return status
