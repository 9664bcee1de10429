"""Behaviour of stop_gradient, custom_gradient, grad_pass_through and recompute_grad against
TF 2.21 (tf_semantics.md sections 3 and 4.1; every number and message here was checked with
TensorFlow 2.21). py_function and numpy_function: test_py_function.py."""
import numpy as np
import pytest

import tapegrad as tf
from tapegrad._core.context import state
from tape_helpers import _grad, _np, _watched


# -- stop_gradient ------------------------------------------------------------------------------

def test_stop_gradient_value_and_none():
    x = tf.constant([1.5, -2.5, 3.7, 0.0])
    y, g = _grad(tf.stop_gradient, x)
    np.testing.assert_array_equal(_np(y), np.float32([1.5, -2.5, 3.7, 0.0]))
    assert y.dtype == tf.float32
    assert g is None


def test_stop_gradient_plus_x_is_ones():
    x = tf.constant([1.5, -2.5, 3.7, 0.0])
    _, g = _grad(lambda a: tf.stop_gradient(a) + a, x)
    np.testing.assert_array_equal(_np(g), [1.0, 1.0, 1.0, 1.0])


def test_stop_gradient_inputs():
    assert tf.stop_gradient(tf.constant([1, 2])).dtype == tf.int32
    np.testing.assert_array_equal(_np(tf.stop_gradient([1.0, 2.0])), [1.0, 2.0])
    assert tf.stop_gradient(input=tf.constant(2.0), name="s").numpy() == 2.0
    v = tf.Variable([1.0, 2.0])
    with tf.GradientTape() as g:
        y = tf.stop_gradient(v) * v
    np.testing.assert_array_equal(_np(g.gradient(y, v)), [1.0, 2.0])


def test_stop_gradient_is_explained_as_a_cut():
    x = tf.Variable(3.0)
    with tf.GradientTape() as g:
        y = tf.stop_gradient(x * x) + 1.0
    assert g.explain(y, x).cause == "stop_gradient"


# -- custom_gradient ----------------------------------------------------------------------------

def test_returning_only_a_tensor_is_a_type_error():
    @tf.custom_gradient
    def f(a):
        return a * 2
    with pytest.raises(TypeError, match="^Cannot iterate over a scalar tensor.$"):
        f(tf.constant(2.0))


def test_unused_output_gets_a_zero_upstream():
    seen = []

    @tf.custom_gradient
    def f(a):
        def grad(d1, d2):
            seen.extend([d1, d2])
            return d1 * 3.0 + d2
        return (a * 2.0, a * 3.0), grad
    x = tf.constant(2.0)
    with tf.GradientTape() as g:
        g.watch(x)
        y1, y2 = f(x)
    assert g.gradient(y1, x).numpy() == 3.0
    assert seen[0].numpy() == 1.0
    assert seen[1] is not None and seen[1].numpy() == 0.0 and seen[1].dtype == tf.float32


def test_gradient_count_keywords_and_none_entries():
    @tf.custom_gradient
    def scale(a, s):
        return a * s, lambda dy: dy * s
    x = tf.constant(2.0)
    y, g = _watched(lambda a: scale(a, 3.0), x)  # the non-tensor 3.0 counts
    with pytest.raises(ValueError) as e:
        g.gradient(y, x)
    assert str(e.value) == ("custom_gradient function expected to return 2 gradients, but "
                            "returned 1 instead.")

    @tf.custom_gradient
    def scale_kw(a, scale=None):
        return a * scale, lambda dy: dy * scale
    s = tf.constant(3.0)
    y, g = _watched(lambda a, b: scale_kw(a, scale=b), x, s)  # keywords are not counted
    gx, gs = g.gradient(y, [x, s])
    assert gx.numpy() == 3.0 and gs is None

    @tf.custom_gradient
    def with_none(a, b):
        return a * b, lambda dy: (None, dy * a)
    b = tf.constant(5.0)
    y, g = _watched(with_none, x, b)
    gx, gb = g.gradient(y, [x, b])
    assert gx is None and gb.numpy() == 2.0

    @tf.custom_gradient
    def one_in_tuple(a):
        return a * 3.0, lambda dy: (dy * 7.0,)
    y, g = _watched(one_in_tuple, x)
    assert g.gradient(y, x).numpy() == 7.0


def test_variables_need_the_keyword():
    vv = tf.Variable(100.0, name="vv")

    @tf.custom_gradient
    def f(a):
        return a * vv, lambda dy: dy * vv
    with pytest.raises(TypeError) as e:
        f(tf.constant(2.0))  # raised at call time, with or without a tape
    assert str(e.value) == ("@tf.custom_gradient grad_fn must accept keyword argument "
                            "'variables', since function uses variables: [<tf.Variable 'vv:0' "
                            "shape=() dtype=float32, numpy=100.0>]")
    x = tf.constant(2.0)
    with tf.GradientTape() as g:
        g.watch(x)
        with pytest.raises(TypeError, match="must accept keyword argument 'variables'"):
            f(x)


def test_variable_gradients():
    v = tf.Variable(1.0)
    seen = []

    @tf.custom_gradient
    def f(a):
        def grad(dy, variables=None):
            seen.append(variables)
            return dy * v, [dy * 100.0]
        return a * v, grad
    x = tf.constant(3.0)
    y, g = _watched(f, x)
    gx, gv = g.gradient(y, [x, v])
    assert y.numpy() == 3.0
    assert gx.numpy() == 1.0 and gv.numpy() == 100.0
    assert len(seen[0]) == 1 and seen[0][0] is v
    assert g.watched_variables() == (v,)


def test_variable_gradient_without_watching_the_input():
    v = tf.Variable(2.0)

    @tf.custom_gradient
    def f(a):
        return a * v, lambda dy, variables: (dy * v, [dy * a])
    with tf.GradientTape() as g:
        y = f(tf.constant(3.0))
    assert g.gradient(y, v).numpy() == 3.0


def test_variables_through_varkw():
    v = tf.Variable(2.0)

    @tf.custom_gradient
    def f(a):
        return a * v, lambda dy, **kw: (dy * v, [dy * 5.0 for _ in kw["variables"]])
    x = tf.constant(3.0)
    y, g = _watched(f, x)
    assert [t.numpy() for t in g.gradient(y, [x, v])] == [2.0, 5.0]


def test_variable_gradient_count_and_shape_errors():
    v = tf.Variable(100.0)

    def make(grads):
        @tf.custom_gradient
        def f(a):
            return a * v, lambda dy, variables=None: grads(dy)
        return f
    x = tf.constant(2.0)
    cases = [(lambda dy: (dy * v, [dy, dy]), ValueError,
              "Must return gradient for each variable from @custom_gradient grad_fn."),
             (lambda dy: (dy * v, dy), TypeError, "Scalar tensor has no `len()`"),
             (lambda dy: dy * v, TypeError, "Cannot iterate over a scalar tensor.")]
    for grads, exc, msg in cases:
        with tf.GradientTape() as g:
            g.watch(x)
            y = make(grads)(x)
        with pytest.raises(exc) as e:
            g.gradient(y, [x, v])
        assert str(e.value) == msg


def test_variable_given_as_argument_is_an_input():
    v = tf.Variable(100.0)

    @tf.custom_gradient
    def f(a, w):
        return a * w, lambda dy: (dy * w, dy * a)
    x = tf.constant(2.0)
    y, g = _watched(lambda t: f(t, v), x)
    assert [t.numpy() for t in g.gradient(y, [x, v])] == [100.0, 2.0]


def test_non_trainable_and_keyword_variables_are_not_used_variables():
    frozen = tf.Variable(2.0, trainable=False)

    @tf.custom_gradient
    def f(a):
        return a * frozen, lambda dy: dy * frozen
    _, g = _grad(f, tf.constant(3.0))
    assert g.numpy() == 2.0
    v = tf.Variable(2.0)

    @tf.custom_gradient
    def h(a, w=None):
        return a * w, lambda dy: dy * w
    x = tf.constant(3.0)
    with tf.GradientTape() as t:
        t.watch(x)
        y = h(x, w=v)
    gx, gv = t.gradient(y, [x, v])
    assert gx.numpy() == 2.0 and gv is None


def test_upstream_clipping_example():
    @tf.custom_gradient
    def clip_grad(a):
        return tf.identity(a), lambda dy: tf.maximum(tf.minimum(dy, 1.0), -1.0)
    x = tf.constant([1.0, 2.0])
    y, g = _watched(clip_grad, x)
    np.testing.assert_array_equal(
        _np(g.gradient(y, x, output_gradients=tf.constant([5.0, -0.5]))), [1.0, -0.5])


def test_stable_log1pexp_at_100():
    @tf.custom_gradient
    def log1pexp(a):
        e = tf.math.exp(a)
        return tf.math.log(1.0 + e), lambda dy: dy * (1.0 - 1.0 / (1.0 + e))
    y, g = _grad(log1pexp, tf.constant(100.0))
    assert np.isinf(y.numpy()) and g.numpy() == 1.0


def test_second_derivative_through_grad_fn():
    @tf.custom_gradient
    def cube(a):
        return a ** 3, lambda dy: dy * 3.0 * a ** 2
    x = tf.constant(2.0)
    with tf.GradientTape() as g2:
        g2.watch(x)
        with tf.GradientTape() as g1:
            g1.watch(x)
            y = cube(x)
        d = g1.gradient(y, x)
    assert y.numpy() == 8.0 and d.numpy() == 12.0
    assert g2.gradient(d, x).numpy() == 12.0


def test_body_is_one_recorded_op_and_recording_is_restored():
    @tf.custom_gradient
    def f(a):
        b = a * 2.0
        return b + 1.0, lambda dy: dy * 7.0
    x = tf.constant(2.0)
    with tf.GradientTape() as g:
        g.watch(x)
        y = f(x)
        assert g._recording
        assert [op.type for op in g._records] == ["CustomGradient"]
        assert g._unrecorded == []
    assert y.numpy() == 5.0
    assert g.gradient(y, x).numpy() == 7.0


def test_recording_is_restored_after_an_exception():
    @tf.custom_gradient
    def bad(a):
        raise RuntimeError("boom")
    x = tf.constant(2.0)
    with tf.GradientTape() as g:
        g.watch(x)
        with g.stop_recording():
            with pytest.raises(RuntimeError, match="boom"):
                bad(x)
            assert not g._recording
        with pytest.raises(RuntimeError, match="boom"):
            bad(x)
        assert g._recording
        assert len(state.tapes) == 1 and state.tapes[0] is g
        y = x * 3.0
    assert g.gradient(y, x).numpy() == 3.0


def test_unwatched_input_gives_none():
    @tf.custom_gradient
    def f(a):
        return a * 2.0, lambda dy: dy * 7.0
    x = tf.constant(2.0)
    with tf.GradientTape() as g:
        y = f(x)
    assert g.gradient(y, x) is None
    assert f(x).numpy() == 4.0  # no tape at all


def test_structures_and_conversions():
    order = []

    @tf.custom_gradient
    def f(a):
        def grad(d_a, d_b):
            order.extend([d_a.numpy(), d_b.numpy()])
            return d_a + d_b
        return {"b": a * 2.0, "a": a * 3.0}, grad
    x = tf.constant(2.0)
    y, g = _watched(f, x)
    assert sorted(y) == ["a", "b"] and y["b"].numpy() == 4.0 and y["a"].numpy() == 6.0
    assert g.gradient(y["b"], x).numpy() == 1.0
    assert order == [0.0, 1.0]  # upstreams in sorted-key order, the unused one zero

    @tf.custom_gradient
    def pair(xs):
        return xs[0] + xs[1] * 2.0, lambda dy: [dy, dy * 2.0]
    a, b = tf.constant(1.0), tf.constant(2.0)
    with tf.GradientTape() as g:
        g.watch([a, b])
        y = pair([a, b])
    assert y.numpy() == 5.0 and [t.numpy() for t in g.gradient(y, [a, b])] == [1.0, 2.0]

    @tf.custom_gradient
    def py_out(a):
        return 3.0, lambda dy: dy
    r = py_out(x)
    assert isinstance(r, tf.Tensor) and r.dtype == tf.float32 and r.numpy() == 3.0


def test_decorator_forms_and_methods():
    f = tf.custom_gradient()(lambda a: (a * 2.0, lambda dy: dy))
    assert f(tf.constant(2.0)).numpy() == 4.0
    assert callable(tf.custom_gradient(None))

    @tf.custom_gradient
    def named(a):
        return a, lambda dy: dy
    assert named.__name__ == "named"

    class M:
        k = 4.0

        @tf.custom_gradient
        def f(self, a):
            return a * self.k, lambda dy: dy * self.k
    _, g = _grad(M().f, tf.constant(3.0))
    assert g.numpy() == 4.0


def test_nested_custom_gradient_sees_variables_read_inside():
    v = tf.Variable(2.0)

    @tf.custom_gradient
    def inner(a):
        return a * v, lambda dy, variables: (dy * v, [dy * 10.0])

    @tf.custom_gradient
    def outer(a):
        return inner(a) + 1.0, lambda dy, variables: (dy, [dy * 1000.0])
    x = tf.constant(3.0)
    y, g = _watched(outer, x)
    gx, gv = g.gradient(y, [x, v])
    assert y.numpy() == 7.0 and gx.numpy() == 1.0 and gv.numpy() == 1000.0


# -- grad_pass_through / recompute_grad ---------------------------------------------------------

def test_grad_pass_through_round():
    y, g = _grad(lambda a: tf.grad_pass_through(tf.round)(1.3 * a), tf.constant(2.0))
    assert y.numpy() == 3.0
    assert g.numpy() == np.float32(1.3)


def test_grad_pass_through_counts_and_variables():
    x = tf.constant(2.0)
    y, g = _watched(lambda t: tf.grad_pass_through(lambda a, b: a * b)(t, t), x)
    with pytest.raises(ValueError, match="expected to return 2 gradients, but returned 1"):
        g.gradient(y, x)
    v = tf.Variable(3.0)
    y, g = _watched(lambda t: tf.grad_pass_through(lambda a: a * v)(t), x)
    gx, gv = g.gradient(y, [x, v])
    assert y.numpy() == 6.0 and gx.numpy() == 1.0 and gv is None


def test_recompute_grad_matches_plain_gradients():
    def fn(a):
        return tf.math.tanh(a) * a
    x = tf.constant(2.0, tf.float64)
    with tf.GradientTape() as g2:
        g2.watch(x)
        with tf.GradientTape() as g1:
            g1.watch(x)
            y = tf.recompute_grad(fn)(x)
        d = g1.gradient(y, x)
    dd = g2.gradient(d, x)
    t = np.tanh(2.0)
    assert np.isclose(y.numpy(), 2.0 * t)
    assert np.isclose(d.numpy(), t + 2.0 * (1 - t * t))
    assert np.isclose(dd.numpy(), 2 * (1 - t * t) - 4.0 * t * (1 - t * t))


def test_recompute_grad_with_variable():
    v = tf.Variable(3.0)
    x = tf.constant(2.0)
    y, g = _watched(lambda t: tf.recompute_grad(lambda a: a * v * v)(t), x)
    gx, gv = g.gradient(y, [x, v])
    assert y.numpy() == 18.0 and gx.numpy() == 9.0 and gv.numpy() == 12.0
