"""Every spec's gradients against central differences: float64 to second order, float32 looser."""
import zlib

import numpy as np
import pytest

from grad_specs import all_specs
from tapegrad.diagnostics.gradcheck import check_gradients

CASES = [(spec, shapes) for spec in all_specs() for shapes in spec.shapes]
IDS = [f"{spec.name}-{'x'.join(str(list(s)) for s in shapes)}" for spec, shapes in CASES]


@pytest.mark.parametrize("spec,shapes", CASES, ids=IDS)
def test_float64(spec, shapes):
    rng = np.random.default_rng(zlib.crc32(spec.name.encode()))  # same inputs every run
    args = spec.args(rng, shapes)
    check_gradients(spec.fn, args, order=spec.order, **spec.check_kwargs())


def _float32_case(spec):
    """The last case with no empty argument (an empty one would check nothing), or None."""
    full = [s for s in spec.shapes if all(0 not in tuple(a) for a in s)]
    return full[-1] if full else None


F32 = [(spec, _float32_case(spec)) for spec in all_specs()
       if spec.float32 and _float32_case(spec) is not None]


@pytest.mark.parametrize("spec,shapes", F32, ids=[s.name for s, _ in F32])
def test_float32(spec, shapes):
    rng = np.random.default_rng(7)
    args = spec.args(rng, shapes)
    check_gradients(spec.fn, args, order=1, dtype=np.float32)
