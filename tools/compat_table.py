"""The Markdown table of the TF API tapegrad covers, generated from the code.

    python tools/compat_table.py                  # print it
    python tools/compat_table.py --write README.md  # replace the block between
                                                    # <!-- compat:begin --> and <!-- compat:end -->
    /tmp/tfenv/bin/python tools/compat_table.py --check-tf   # every name exists in TF too?

Names come from the tables in tapegrad/_exports.py (tf, tf.math, tf.nn, tf.linalg, tf.random,
tf.errors) and from the public names of the namespace modules that are plain modules
(tf.debugging, tf.train, tf.keras.*, tf.compat.v1 ...). The gradient column comes from the op
registry: the TF op types a name runs (an OpDef, or the OpDefs a wrapper function's code names;
one that names none is followed into the functions it calls, two calls deep), and whether each
has a gradient rule. It reads code and runs none, so it is a guide: the ops listed are the ones
the code names, and a name is "yes" when one of them has a gradient rule.
"""
import argparse
import importlib
import inspect
import os
import sys
import types

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))

BEGIN, END = "<!-- compat:begin -->", "<!-- compat:end -->"
# Plain-module namespaces, in the order the table shows them (after the _exports tables).
MODULES = ["tf.debugging", "tf.train", "tf.keras.optimizers", "tf.keras.optimizers.schedules",
           "tf.keras.losses", "tf.keras.metrics", "tf.keras", "tf.keras.models",
           "tf.keras.layers", "tf.keras.initializers", "tf.keras.activations", "tf.compat.v1",
           "tf.compat.v1.train"]
# Public names that are tapegrad's own additions, not TF's (--check-tf expects these missing).
EXTENSIONS = {"tf.debugging.gradient_report", "tf.errors.DisconnectedGradientError",
              "tf.train.CheckpointError"}


def _module(tf_name):
    return importlib.import_module("tapegrad" + tf_name[2:])


def namespaces():
    """[(tf namespace, {name: object})], tables first, then the plain modules."""
    import tapegrad  # noqa: F401 - fills the namespaces
    from tapegrad import _exports
    out = []
    for ns, table in _exports.NAMESPACES.items():
        entries = {}
        for n in table:
            try:
                entries[n] = _exports.resolve(ns, n)
            except AttributeError as e:   # listed but not importable: say so, don't hide it
                print(f"compat_table: skipped {e}", file=sys.stderr)
        out.append(("tf" + ns[len("tapegrad"):], entries))
    top = {id(v) for v in out[0][1].values()}
    for tf_name in MODULES:
        mod = _module(tf_name)
        names = getattr(mod, "__all__", None) or [n for n in vars(mod) if not n.startswith("_")]
        entries = {}
        for n in names:
            obj = getattr(mod, n)
            # leave out submodules, constants, and tf-level objects a module merely imported
            if isinstance(obj, types.ModuleType) or not callable(obj) or id(obj) in top:
                continue
            entries[n] = obj
        out.append((tf_name, entries))
    return out


def op_types(obj, depth=2, seen=None):
    """The registered TF op types ``obj`` runs: itself if an OpDef, else the OpDefs its code
    names (directly or as attributes of a tapegrad module); a function that names none is
    followed into the tapegrad.ops functions it calls, ``depth`` calls deep."""
    from tapegrad._core.registry import OpDef
    if isinstance(obj, OpDef):
        return {obj.type}
    seen = set() if seen is None else seen
    fn = inspect.unwrap(obj) if callable(obj) else None
    code = getattr(fn, "__code__", None)
    if code is None or id(code) in seen or depth == 0 or inspect.isclass(obj):
        return set()
    seen.add(id(code))
    glb = getattr(fn, "__globals__", {})
    names = _names(code)
    targets = [glb.get(n) for n in names]
    for module in [t for t in targets if isinstance(t, types.ModuleType)
                   and t.__name__.startswith("tapegrad")]:
        # math_ops.select(...), tf.math.reduce_mean(...): the attributes the code names
        targets += [getattr(module, n, None) for n in names]
    found = {t.type for t in targets if isinstance(t, OpDef)}
    if found:   # the ops it names itself; helpers it also calls mostly reshape or check
        return found
    for target in targets:
        if isinstance(target, types.FunctionType) and \
                getattr(target, "__module__", "").startswith("tapegrad.ops"):
            found |= op_types(target, depth - 1, seen)
    return found


def _names(code):
    names = set(code.co_names)
    for c in code.co_consts:
        if isinstance(c, types.CodeType):
            names |= _names(c)
    return names


def gradient_mark(types_):
    """'yes' if some op on the name's path has a gradient rule, 'no' if none has, '' if the
    name runs no registered op (a class, a constructor, a helper)."""
    from tapegrad._core.registry import GRADIENTS, NO_ENTRY
    from tapegrad.diagnostics.explain import NONE_RULE_OPS
    if not types_:
        return ""
    diff = [t for t in types_ if GRADIENTS.get(t) is not None and t not in NONE_RULE_OPS
            and t not in NO_ENTRY]
    return "yes" if diff else "no"


def table():
    """The whole Markdown block (without the markers)."""
    rows = []
    sections = []
    for ns, entries in namespaces():
        body = []
        counts = {"yes": 0, "no": 0, "": 0}
        for name in sorted(entries, key=str.lower):
            types_ = op_types(entries[name])
            mark = gradient_mark(types_)
            counts[mark] += 1
            shown = ", ".join(sorted(types_)[:4]) + (" ..." if len(types_) > 4 else "")
            body.append(f"| `{ns}.{name}` | {mark or '-'} | {shown} |")
        rows.append(f"| `{ns}` | {len(entries)} | {counts['yes']} | {counts['no']} | "
                    f"{counts['']} |")
        sections.append("\n".join([
            f"<details><summary><code>{ns}</code>: {len(entries)} names</summary>", "",
            "| name | gradient | ops its code names |", "|---|---|---|", *body, "", "</details>"]))
    head = ["Generated by `python tools/compat_table.py --write README.md` from "
            "`tapegrad/_exports.py` and the namespace modules; gradient: yes = differentiable "
            "(some op on the path has a gradient rule), no = gradient is None or an error, "
            "- = not an op.", "",
            "| namespace | names | differentiable | no gradient | not an op |",
            "|---|---|---|---|---|", *rows, ""]
    return "\n".join(head + sections) + "\n"


def write(path):
    """Replace the marked block in ``path``; the rest of the file is left as it is."""
    with open(path, encoding="utf-8") as f:
        text = f.read()
    if BEGIN not in text or END not in text or text.index(BEGIN) > text.index(END):
        raise SystemExit(f"{path}: no {BEGIN} ... {END} block to replace")
    start = text.index(BEGIN) + len(BEGIN)
    new = text[:start] + "\n" + table() + text[text.index(END):]
    if new != text:
        with open(path, "w", encoding="utf-8") as f:
            f.write(new)
    return new != text


def check_tf():
    """Names tapegrad exports that TF (installed in this environment) does not have."""
    import tensorflow as tf
    missing = []
    for ns, entries in namespaces():
        obj = tf
        for part in ns.split(".")[1:]:
            obj = getattr(obj, part)
        missing += [f"{ns}.{n}" for n in entries if not hasattr(obj, n)
                    and f"{ns}.{n}" not in EXTENSIONS]
    return missing


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--write", metavar="FILE", help="rewrite the compat block in FILE")
    ap.add_argument("--check-tf", action="store_true",
                    help="list names TF (installed here) lacks; exit 1 if any")
    args = ap.parse_args(argv)
    if args.check_tf:
        missing = check_tf()
        print("\n".join(missing) or "every name exists in TF (apart from tapegrad's extensions)")
        return 1 if missing else 0
    if args.write:
        changed = write(args.write)
        print(f"{args.write}: compat table {'updated' if changed else 'already up to date'}")
        return 0
    sys.stdout.write(table())
    return 0


if __name__ == "__main__":
    sys.exit(main())
