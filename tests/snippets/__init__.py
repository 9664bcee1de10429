"""Programs written against a ``tf`` parameter, run once under TensorFlow 2.21 (by
``tools/tf_fixtures/generate.py``) and again under ``import tapegrad as tf`` (by the parity tests).

- ``codec``: turns results (tensors, variables, nested structures, exceptions) into plain JSON
  and compares two encodings with dtype-aware tolerances.
- ``op_table``: one entry per public op: how to call it, on which inputs.
- ``tape_cases``, ``variable_cases``, ``outcome_cases``, ``seed_cases``, ``optimizer_cases``:
  behaviour snippets ``def name(tf): ...`` registered with ``codec.snippet``.

Nothing here imports TensorFlow or tapegrad: the caller passes the module in.
"""
import importlib
import pkgutil


def load_all():
    """Import every ``*_cases`` module (registering its snippets); returns codec.SNIPPETS."""
    from . import codec
    for info in sorted(pkgutil.iter_modules(__path__), key=lambda i: i.name):
        if info.name.endswith("_cases"):
            importlib.import_module(f"{__name__}.{info.name}")
    return codec.SNIPPETS
