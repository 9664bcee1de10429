"""GradientTape / Variable behaviours against TensorFlow 2.21.

Each snippet in tests/snippets/*_cases.py is a program ``def name(tf): ...``. Its outcome under
TensorFlow (values, dtypes, shapes, None, or the exception's type and first message line) is
stored in tests/fixtures/tf_behaviour.json by tools/tf_fixtures/generate.py; here the same
program runs with ``import tapegrad as tf`` and must give the same outcome. Exceptions must be
of TF's type (a subclass is fine); where the snippet says so, tapegrad's message must start
with TF's first line (tapegrad may add text after it). A snippet declared ``deliberate``
documents a difference kept on purpose: TF's recorded outcome and tapegrad's must each be the
declared one.

Groups: tape, forward_mode, variable, outcome, seed, optimizer (the optimizer group needs
tapegrad.optimizers / tapegrad.compat.v1).
"""
import json
import os
import warnings

import pytest

import tapegrad as tf
import snippets
from snippets import codec

FIXTURE = os.path.join(os.path.dirname(__file__), "fixtures", "tf_behaviour.json")
with open(FIXTURE) as _f:
    DATA = json.load(_f)["snippets"]
SNIPPETS = snippets.load_all()

PARAMS = [pytest.param(name, id=f"{rec['group']}-{name}") for name, rec in DATA.items()]


@pytest.mark.parametrize("name", PARAMS)
def test_behaviour_matches_tf(name):
    snip = SNIPPETS[name]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        got = json.loads(json.dumps(codec.run_snippet(snip.fn, tf)))
    if snip.deliberate is not None:  # a documented difference: both sides must be as declared
        d = snip.deliberate
        declared = json.loads(json.dumps(codec.encode(d.tf)))
        codec.compare(declared, DATA[name]["result"], path=f"{name} (TF as declared)")
        codec.compare(json.loads(json.dumps(codec.encode(d.tapegrad))), got,
                      rtol=snip.rtol, atol=snip.atol, path=f"{name} (tapegrad as declared)")
        return
    codec.compare(DATA[name]["result"], got, rtol=snip.rtol, atol=snip.atol, msg=snip.msg,
                  path=name)


def test_every_snippet_has_a_fixture():
    missing = sorted(set(SNIPPETS) - set(DATA))
    assert not missing, f"snippets without TF outcomes (regenerate the fixtures): {missing}"


# -- the comparison itself must be able to fail ----------------------------------------------------

def _arr(v, dtype="float32", kind="tensor"):
    import numpy as np
    return codec.encode_array(np.asarray(v, dtype), dtype, kind)


def _err(exc):
    return json.loads(json.dumps(codec.encode(exc)))


class _Sub(AttributeError):
    pass


@pytest.mark.parametrize("exp, act, msg", [
    (None, _arr(0.0), True),
    (_arr([1.0, 2.0]), _arr([1.0, 2.1]), True),
    (_arr([1.0, 2.0]), _arr([1.0, 2.0], "float64"), True),
    (_arr([1.0, 2.0]), _arr([[1.0, 2.0]]), True),
    (_arr(1.0), _arr(1.0, kind="variable"), True),
    (_arr([1.0, float("nan")]), _arr([1.0, 1.0]), True),
    (_arr(float("inf")), _arr(float("-inf")), True),
    (_err(ValueError("Tape is not recording.")), _err(RuntimeError("Tape is not recording.")),
     True),
    (_err(ValueError("Tape is not recording.")), _err(ValueError("Tape is off.")), True),
    (_err(ValueError("x")), _arr(1.0), True),
    ([_arr(1.0)], {"t": "tuple", "items": [_arr(1.0)]}, True),
    (1, 1.0, True),
])
def test_compare_reports_differences(exp, act, msg):
    with pytest.raises(codec.Mismatch):
        codec.compare(exp, act, msg=msg)


@pytest.mark.parametrize("exp, act, msg", [
    (_arr([1.0, float("nan")]), _arr([1.0 + 1e-7, float("nan")]), True),
    (_err(AttributeError("'float' object has no attribute '_id'")),
     _err(_Sub("'float' object has no attribute '_id': the source is a float, not ...")), True),
    (_err(ValueError("Tape is not recording.")), _err(ValueError("other text")), False),
])
def test_compare_accepts_matches(exp, act, msg):
    codec.compare(exp, act, msg=msg)
