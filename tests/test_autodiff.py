"""tf.autodiff.ForwardAccumulator: JVPs against analytic derivatives, nesting with GradientTape
and with other accumulators, and TF's None/zeros/errors (checked against TF 2.21)."""
import numpy as np
import pytest

import tapegrad as tf


def _close(t, want, rtol=1e-6):
    np.testing.assert_allclose(t.numpy(), want, rtol=rtol)


def test_jvp_matches_analytic_derivative():
    x0 = np.array([0.3, -1.2, 2.0])
    v0 = np.array([1.0, 0.5, -2.0])
    x = tf.constant(x0)
    with tf.autodiff.ForwardAccumulator(x, tf.constant(v0)) as acc:
        y = tf.sin(x) * x
        s = tf.reduce_sum(tf.exp(x) * x)
    _close(acc.jvp(y), (np.cos(x0) * x0 + np.sin(x0)) * v0)
    _close(acc.jvp(s), np.sum(np.exp(x0) * (x0 + 1) * v0))


def test_jvp_of_matmul_is_the_product_rule():
    a = np.array([[1.0, 2.0], [3.0, 4.0]])
    da = np.array([[0.5, -1.0], [2.0, 0.0]])
    x = tf.constant(a)
    with tf.autodiff.ForwardAccumulator(x, tf.constant(da)) as acc:
        y = tf.linalg.matmul(x, x)
    _close(acc.jvp(y), da @ a + a @ da)


def test_several_primals_and_structures():
    x, w = tf.constant(1.5), tf.Variable(2.0)
    with tf.autodiff.ForwardAccumulator([x, w], [tf.constant(1.0), tf.constant(3.0)]) as acc:
        y = x * w
        out = {"sq": y * y, "x": x}
    got = acc.jvp(out)
    # d(xw) = w dx + x dw = 2*1 + 1.5*3; d(y^2) = 2y dy
    _close(got["sq"], 2 * 3.0 * (2.0 + 4.5))
    _close(got["x"], 1.0)
    assert isinstance(acc.jvp([y, x]), list)


def test_mixed_precision_primals_add_up_in_the_target_dtype():
    a = tf.constant(2.0, tf.float64)
    b = tf.constant(3.0)
    with tf.autodiff.ForwardAccumulator((a, b), (1.0, 1.0)) as acc:
        y = tf.cast(a, tf.float32) * b
    j = acc.jvp(y)
    assert j.dtype == tf.float32
    _close(j, 5.0)


def test_unconnected_targets_give_none_or_zeros():
    x = tf.constant(2.0)
    with tf.autodiff.ForwardAccumulator(x, tf.constant(1.0)) as acc:
        c = tf.constant(2.0) * 4.0
        n = tf.cast(x, tf.int32)
        r = tf.round(x)
    assert acc.jvp(c) is None and acc.jvp(n) is None and acc.jvp(r) is None
    z = acc.jvp(n, unconnected_gradients="zero")
    assert z.dtype == tf.int32 and z.numpy() == 0
    assert acc.jvp(c, unconnected_gradients=tf.UnconnectedGradients.ZERO).numpy() == 0.0
    with pytest.raises(ValueError, match="'bogus' is not a valid UnconnectedGradients"):
        acc.jvp(c, unconnected_gradients="bogus")


def test_only_ops_inside_the_context_are_tracked():
    x = tf.constant(1.0)
    acc = tf.autodiff.ForwardAccumulator(x, tf.constant(2.0))
    before = x * 3.0
    with acc:
        inside = x * 3.0
    after = x * 4.0
    assert acc.jvp(before) is None and acc.jvp(after) is None
    _close(acc.jvp(inside), 6.0)
    _close(acc.jvp(x), 2.0)  # a primal's JVP is its tangent
    with acc:  # re-entering records again
        again = x * 5.0
    _close(acc.jvp(again), 10.0)


def test_variable_primal():
    v = tf.Variable([1.0, 2.0])
    with tf.autodiff.ForwardAccumulator(v, tf.constant([1.0, -1.0])) as acc:
        y = v * v
    _close(acc.jvp(y), [2.0, -4.0])
    _close(acc.jvp(v), [1.0, -1.0])


def test_forward_over_back_hessian_vector_product():
    x0 = np.array([1.0, 2.0, -0.5])
    v0 = np.array([0.5, -1.0, 2.0])
    x = tf.constant(x0)
    with tf.autodiff.ForwardAccumulator(x, tf.constant(v0)) as acc:
        with tf.GradientTape() as tape:
            tape.watch(x)
            y = tf.reduce_sum(x ** 3) + x[0] * x[1]
        g = tape.gradient(y, x)
    hessian = np.diag(6 * x0) + np.array([[0, 1, 0], [1, 0, 0], [0, 0, 0]])
    _close(acc.jvp(g), hessian @ v0)


def test_back_over_forward():
    a = tf.constant(2.0)
    with tf.GradientTape() as g:
        g.watch(a)
        with tf.autodiff.ForwardAccumulator(a, tf.constant(1.0)) as acc:
            y = a ** 3
        j = acc.jvp(y)
    _close(j, 12.0)
    _close(g.gradient(j, a), 12.0)  # d/da (3 a^2) = 6a


def test_nested_accumulators_give_second_derivatives():
    x = tf.constant(0.7)
    with tf.autodiff.ForwardAccumulator(x, tf.constant(1.0)) as outer:
        with tf.autodiff.ForwardAccumulator(x, tf.constant(1.0)) as inner:
            y = tf.sin(x) * x
        j = inner.jvp(y)
    _close(j, np.cos(0.7) * 0.7 + np.sin(0.7))
    _close(outer.jvp(j), 2 * np.cos(0.7) - 0.7 * np.sin(0.7))


def test_jvp_through_a_gather_indexed_slices_vjp():
    x = tf.constant([1.0, 2.0, 3.0])
    with tf.autodiff.ForwardAccumulator(x, tf.constant([1.0, 10.0, 100.0])) as acc:
        y = tf.gather(x, [2, 0]) * 2.0
    _close(acc.jvp(y), [200.0, 2.0])


@pytest.mark.parametrize("primals, tangents, exc, text", [
    (tf.constant([1.0]), [tf.constant([1.0]), tf.constant([1.0])], ValueError,
     "The two structures don't have the same nested structure."),
    (tf.constant(1.0), [2.0], ValueError, "The two structures don't have the same nested"),
    (tf.constant(1.0), tf.constant(1.0, tf.float64), ValueError,
     "Tensor conversion requested dtype float32 for Tensor with dtype float64"),
    (1.0, 1.0, AttributeError, "'float' object has no attribute 'dtype': primals must be"),
])
def test_constructor_errors(primals, tangents, exc, text):
    with pytest.raises(exc, match=text):
        tf.autodiff.ForwardAccumulator(primals, tangents)
