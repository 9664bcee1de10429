"""The first-order fast path (array twins of gradient rules, see _core/backprop.py) gives the
same gradients as the recorded rules, on every gradient spec and in the cases where it must
step aside (sparse upstream gradients, odd output_gradients, an outer tape, check_numerics)."""
import zlib

import numpy as np
import pytest

import tapegrad as tf
from grad_specs import all_specs
from tapegrad._core import backprop, registry

# (spec, shapes, dtype): every case in float64, and in float32 where the spec allows it.
CASES = [(spec, spec.shapes[i], dt) for spec in all_specs() for i in range(len(spec.shapes))
         for dt in ((np.float64, np.float32) if spec.float32 else (np.float64,))]


def _first_order(fn, args):
    xs = [tf.constant(a) for a in args]
    with tf.GradientTape() as tape:
        tape.watch(xs)
        y = fn(*xs)
    return tape.gradient(y, xs)


def _dense(g):
    return None if g is None else tf.convert_to_tensor(g).numpy()


@pytest.fixture
def recorded_rules_only():
    backprop.FAST_RULES[0] = False
    yield
    backprop.FAST_RULES[0] = True


@pytest.mark.parametrize("spec,shapes,dtype", CASES, ids=[
    f"{s.name}-{'x'.join(str(list(d)) for d in sh)}-{np.dtype(dt).name}" for s, sh, dt in CASES])
def test_twins_match_recorded_rules(spec, shapes, dtype):
    rng = np.random.default_rng(zlib.crc32(spec.name.encode()))
    args = [a.astype(dtype) for a in spec.args(rng, shapes)]
    fast = [_dense(g) for g in _first_order(spec.fn, args)]
    backprop.FAST_RULES[0] = False
    try:
        slow = [_dense(g) for g in _first_order(spec.fn, args)]
    finally:
        backprop.FAST_RULES[0] = True
    for f, s in zip(fast, slow):
        assert (f is None) == (s is None)
        if f is not None:
            assert f.dtype == s.dtype and f.shape == s.shape
            tol = 1e-13 if dtype is np.float64 else 1e-6
            np.testing.assert_allclose(f, s, rtol=tol, atol=tol * 1e-3)


def test_hot_ops_have_twins():
    # The ops of a dense training step: without twins the fast path falls back to the
    # recorded rules and the step loses its speed (bench/bench_engine.py).
    import tapegrad.ops.linalg_ops  # noqa: F401
    import tapegrad.ops.nn_ops  # noqa: F401
    import tapegrad.ops.xent_ops  # noqa: F401
    with_twins = {k for k, f in registry.GRADIENTS.items() if getattr(f, "fast", None)}
    assert {"AddV2", "Sub", "Mul", "MatMul", "Relu", "Mean", "Sum", "ReadVariableOp",
            "SparseSoftmaxCrossEntropyWithLogits", "BiasAdd", "Tanh", "Sigmoid"} <= with_twins


def test_sparse_upstream_goes_through_the_recorded_rule():
    v = tf.Variable([[1.0, 2.0], [3.0, 4.0], [5.0, 6.0]])
    with tf.GradientTape() as tape:
        y = tf.reduce_sum(tf.gather(v, [2, 0]) * 2.0)
    g = tape.gradient(y, v)
    assert isinstance(g, tf.IndexedSlices)  # ReadVariableOp passed the slices through
    assert g.indices.numpy().tolist() == [2, 0]
    np.testing.assert_array_equal(g.values.numpy(), [[2.0, 2.0], [2.0, 2.0]])


def test_outer_tape_records_the_walk():
    # Under an outer tape the walk uses the recorded rules, so the second derivative exists.
    x = tf.constant(0.7)
    with tf.GradientTape() as outer:
        outer.watch(x)
        with tf.GradientTape() as inner:
            inner.watch(x)
            y = tf.tanh(x) * x
        dy = inner.gradient(y, x)
    t = np.tanh(0.7)
    np.testing.assert_allclose(dy.numpy(), t + 0.7 * (1 - t * t), rtol=1e-6)
    d2 = outer.gradient(dy, x)
    np.testing.assert_allclose(d2.numpy(), 2 * (1 - t * t) - 2 * 0.7 * t * (1 - t * t),
                               rtol=1e-5)


def test_gradient_types_and_values_are_tensors_of_the_source_dtype():
    x = tf.constant([[1.0, 2.0]], tf.float64)
    w = tf.Variable(np.ones((2, 2), np.float32))
    with tf.GradientTape() as tape:
        tape.watch(x)
        y = tf.reduce_sum(tf.cast(x, tf.float32) @ w)
    gx, gw = tape.gradient(y, [x, w])
    assert type(gx) is tf.Tensor and gx.dtype == tf.float64
    assert type(gw) is tf.Tensor and gw.dtype == tf.float32
    np.testing.assert_array_equal(gx.numpy(), [[2.0, 2.0]])
    np.testing.assert_array_equal(gw.numpy(), [[1.0, 1.0], [2.0, 2.0]])
