"""The gradient-check table: every differentiable op is exercised here through
``check_gradients`` over scalar, vector, matrix, broadcast and empty shapes.

Each family of ops keeps its own list in ``tests/specs/spec_<family>.py`` (``SPECS``); this
module gathers them.
"""
import dataclasses
import importlib
import pkgutil
from typing import Callable, Optional, Sequence

import numpy as np

SHAPES_1 = [(), (3,), (2, 3), (0,)]
SHAPES_2 = [((), ()), ((3,), (3,)), ((2, 3), (2, 3)), ((2, 3), (3,)), ((2, 3), (1, 3)),
            ((3, 1), (1, 4)), ((2, 3), ()), ((0,), (0,))]


@dataclasses.dataclass
class GradSpec:
    """One entry: ``fn`` takes float Tensors and returns Tensor(s).

    shapes: list of argument-shape tuples (one tuple of shapes per case).
    domain: (lo, hi) for every argument, or a list with one (lo, hi) per argument.
    order: highest derivative order checked (2 for twice-differentiable ops).
    make_args: optional ``rng, shapes -> list of arrays`` for inputs a box can't describe
    (away from kinks, positive definite ...).
    """
    name: str
    fn: Callable
    shapes: Sequence
    domain: object = (-2.0, 2.0)
    order: int = 2
    float32: bool = True
    make_args: Optional[Callable] = None
    rtol: Optional[float] = None
    atol: Optional[float] = None
    eps: Optional[float] = None

    def check_kwargs(self):
        return {k: v for k, v in (("rtol", self.rtol), ("atol", self.atol), ("eps", self.eps))
                if v is not None}

    def args(self, rng, shapes):
        if self.make_args is not None:
            return [np.asarray(a, np.float64) for a in self.make_args(rng, shapes)]
        doms = self.domain if isinstance(self.domain, list) else [self.domain] * len(shapes)
        return [rng.uniform(lo, hi, size=s) for (lo, hi), s in zip(doms, shapes)]


def unary(name, fn, domain=(-2.0, 2.0), order=2, shapes=None, **kw):
    return GradSpec(name, fn, [(s,) for s in (shapes or SHAPES_1)], domain, order, **kw)


def binary(name, fn, domain=(-2.0, 2.0), order=2, shapes=None, **kw):
    return GradSpec(name, fn, shapes or SHAPES_2, domain, order, **kw)


def all_specs():
    import specs
    out = []
    for info in sorted(pkgutil.iter_modules(specs.__path__), key=lambda i: i.name):
        if info.name.startswith("spec_"):
            out.extend(importlib.import_module(f"specs.{info.name}").SPECS)
    return out
