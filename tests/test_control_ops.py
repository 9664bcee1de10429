"""Behaviour of stop_gradient, custom_gradient, grad_pass_through, recompute_grad, py_function
and numpy_function against TF 2.21 (tf_semantics.md sections 3 and 4.1; every number and
message here was checked with TensorFlow 2.21)."""
import numpy as np
import pytest

import tapegrad as tf
from tapegrad._core.context import state
from tapegrad.errors import (InvalidArgumentError, OutOfRangeError, ResourceExhaustedError,
                             UnimplementedError, UnknownError)


def _np(t):
    return None if t is None else np.asarray(t.numpy())


def _grad(fn, x, **tape_kw):
    with tf.GradientTape(**tape_kw) as g:
        g.watch(x)
        y = fn(x)
    return y, g.gradient(y, x)


def _watched(fn, *xs):
    with tf.GradientTape() as g:
        g.watch(list(xs))
        y = fn(*xs)
    return y, g


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


# -- py_function --------------------------------------------------------------------------------

X = [-1.0, 2.0, -3.0]


def test_py_function_with_tapegrad_body():
    x = tf.constant(X)
    y, g = _grad(lambda a: tf.py_function(lambda b: b * b, [a], tf.float32), x)
    np.testing.assert_array_equal(_np(y), [1.0, 4.0, 9.0])
    np.testing.assert_array_equal(_np(g), [-2.0, 4.0, -6.0])


def test_py_function_numpy_body_gives_scalar_zero():
    x = tf.constant(X)
    y, g = _grad(lambda a: tf.py_function(lambda b: np.maximum(b.numpy(), 0.0), [a],
                                          tf.float32), x)
    assert y.dtype == tf.float32
    np.testing.assert_array_equal(_np(y), [0.0, 2.0, 0.0])
    assert g.shape == () and g.dtype == tf.float32 and g.numpy() == 0.0
    m = tf.constant([[1.0, 2.0], [3.0, 4.0]], tf.float64)
    _, g = _grad(lambda a: tf.py_function(lambda b: b.numpy() * 2, [a], tf.float64), m)
    assert g.shape == () and g.dtype == tf.float64 and g.numpy() == 0.0


def test_py_function_captured_and_input_variables():
    v = tf.Variable([1.0, 2.0, 3.0])
    x = tf.constant(X)
    y, g = _watched(lambda t: tf.py_function(lambda a: a * v, [t], tf.float32), x)
    gx, gv = g.gradient(y, [x, v])
    np.testing.assert_array_equal(_np(gx), [1.0, 2.0, 3.0])
    assert gv is None
    assert g.watched_variables() == (v,)
    with tf.GradientTape() as g:
        y = tf.py_function(lambda a: a * a, [v], tf.float32)
    np.testing.assert_array_equal(_np(g.gradient(y, v)), [2.0, 4.0, 6.0])


def test_py_function_several_inputs_and_outputs():
    x, w = tf.constant(X), tf.constant(3.0)
    with tf.GradientTape() as g:
        g.watch([x, w])
        y = tf.py_function(lambda a, b: a * b, [x, w], tf.float32)
    gx, gw = g.gradient(y, [x, w])
    np.testing.assert_array_equal(_np(gx), [3.0, 3.0, 3.0])
    assert gw.numpy() == -2.0
    with tf.GradientTape() as g:
        g.watch(x)
        y1, y2 = tf.py_function(lambda a: (a * 2.0, a * 3.0), [x], [tf.float32, tf.float32])
    np.testing.assert_array_equal(_np(g.gradient(y1, x)), [2.0, 2.0, 2.0])
    y, g = _watched(lambda t: tf.py_function(lambda a: tf.cast(a, tf.float64) * 2.0, [t],
                                             tf.float64), x)
    gx = g.gradient(y, x)
    assert y.dtype == tf.float64 and gx.dtype == tf.float32
    np.testing.assert_array_equal(_np(gx), [2.0, 2.0, 2.0])
    _, g = _grad(lambda a: tf.py_function(lambda b: b, [a], tf.float32), x)
    np.testing.assert_array_equal(_np(g), [1.0, 1.0, 1.0])


def test_py_function_integer_input_fails_at_gradient_time():
    x, i = tf.constant(X), tf.constant(2)
    y, g = _watched(lambda t: tf.py_function(lambda a, b: a * tf.cast(b, tf.float32), [t, i],
                                             tf.float32), x)
    np.testing.assert_array_equal(_np(y), [-2.0, 4.0, -6.0])
    with pytest.raises(InvalidArgumentError) as e:
        g.gradient(y, [x, i])
    assert "TypeError: Cannot convert 0.0 to EagerTensor of dtype int32" in str(e.value)


def test_py_function_second_pass_raises_unknown_error():
    x = tf.constant(X)
    with tf.GradientTape(persistent=True) as g:
        g.watch(x)
        y = tf.py_function(lambda a: a * a, [x], tf.float32)
        z = y * 2.0
    np.testing.assert_array_equal(_np(g.gradient(z, x)), [-4.0, 8.0, -12.0])
    with pytest.raises(UnknownError) as e:
        g.gradient(z, x)
    msg = str(e.value)
    assert msg.startswith("{{function_node __wrapped__EagerPyFunc_Tin_1_Tout_1_device_")
    assert "KeyError: b'pyfunc_" in msg and "[Op:EagerPyFunc]" in msg


def test_py_function_higher_order():
    x = tf.constant([1.0, 2.0, 3.0])
    with tf.GradientTape() as g2:
        g2.watch(x)
        with tf.GradientTape() as g1:
            g1.watch(x)
            y = tf.py_function(lambda a: a * a * a, [x], tf.float32)
        d = g1.gradient(y, x)
    np.testing.assert_array_equal(_np(d), [3.0, 12.0, 27.0])
    assert g2.gradient(d, x) is None  # as TF: the replay depends on the upstream only
    with tf.GradientTape() as g2:
        g2.watch(x)
        with tf.GradientTape() as g1:
            g1.watch(x)
            y = tf.py_function(lambda a: a * a, [x], tf.float32)
            z = y * y
        d = g1.gradient(z, x)
    np.testing.assert_array_equal(_np(d), [4.0, 32.0, 108.0])
    with pytest.raises(UnknownError, match="KeyError"):
        g2.gradient(d, x)  # goes back through the forward op, whose tape g1 used


def test_py_function_unwatched():
    x = tf.constant(X)
    with tf.GradientTape() as g:
        y = tf.py_function(lambda a: a * a, [x], tf.float32)
        loss = tf.reduce_sum(y * 3.0)
    assert g.gradient(loss, y) is None
    assert not g._records or all(op.type != "EagerPyFunc" for op in g._records)


def test_py_function_tout_forms():
    x = tf.constant(X)
    r = tf.py_function(lambda a: a, [x], [tf.float32])
    assert isinstance(r, list) and len(r) == 1
    r = tf.py_function(lambda a: (a,), [x], (tf.float32,))
    assert isinstance(r, list) and len(r) == 1
    assert tf.py_function(lambda a: None, [x], []) == []
    r = tf.py_function(lambda a: (a, a * 2.0), [x], tf.float32)  # extra values are dropped
    np.testing.assert_array_equal(_np(r), X)
    r = tf.py_function(lambda a: [a, a, a], [x], [tf.float32, tf.float32])
    assert len(r) == 2
    assert tf.py_function(lambda a: a, [x], "float32").dtype == tf.float32
    with pytest.raises(TypeError, match="Cannot convert the argument `type_value`: 'foo'"):
        tf.py_function(lambda a: a, [x], "foo")


def test_py_function_output_conversion():
    x = tf.constant(X)
    r = tf.py_function(lambda a: 3, [x], tf.float32)
    assert r.dtype == tf.float32 and r.shape == () and r.numpy() == 3.0
    r = tf.py_function(lambda a: a.numpy().astype(np.float64), [x], tf.float32)
    assert r.dtype == tf.float32
    r = tf.py_function(lambda a: [1.0, 2.0], [x], tf.float32)  # a list is a list of outputs
    assert r.shape == () and r.numpy() == 1.0
    r = tf.py_function(lambda a: tf.reshape(a, [3, 1]), [x], tf.float32)
    assert r.shape == (3, 1)
    with pytest.raises(InvalidArgumentError) as e:
        tf.py_function(lambda a: a * a, [x], tf.float64)
    assert str(e.value).startswith("{{function_node __wrapped__EagerPyFunc_Tin_1_Tout_1_device_"
                                   "/job:localhost/replica:0/task:0/device:CPU:0}} ValueError: "
                                   "Tensor conversion requested dtype float64 for Tensor with "
                                   "dtype float32")
    with pytest.raises(InvalidArgumentError, match="TypeError: Cannot convert 3.5 to "
                                                   "EagerTensor of dtype int32"):
        tf.py_function(lambda a: 3.5, [x], tf.int32)
    v = tf.Variable(1.0)
    with pytest.raises(UnknownError, match="RuntimeError: Attempting to return a variable"):
        tf.py_function(lambda a: v, [x], tf.float32)


def test_py_function_output_count():
    x = tf.constant(X)
    with pytest.raises(InvalidArgumentError) as e:
        tf.py_function(lambda a: a, [x], [tf.float32, tf.float32])
    assert "}} pyfunc_" in str(e.value)
    assert str(e.value).endswith(" returns 1 values, but expects to see 2 values. "
                                 "[Op:EagerPyFunc] name: ")
    with pytest.raises(InvalidArgumentError, match="returns 0 values, but expects to see 1"):
        tf.py_function(lambda a: None, [x], tf.float32)
    with pytest.raises(UnknownError, match="IndexError: list index out of range"):
        tf.py_function(lambda a: a, [x], [])


@pytest.mark.parametrize("exc,expected", [
    (ZeroDivisionError, UnknownError), (ValueError, InvalidArgumentError),
    (TypeError, InvalidArgumentError), (StopIteration, OutOfRangeError),
    (NotImplementedError, UnimplementedError), (MemoryError, ResourceExhaustedError),
    (IndexError, UnknownError), (KeyError, UnknownError), (RuntimeError, UnknownError)])
def test_py_function_exception_mapping(exc, expected):
    def bad(a):
        raise exc("msg")
    with pytest.raises(expected) as e:
        tf.py_function(bad, [tf.constant(X)], tf.float32)
    assert type(e.value) is expected
    assert f"}} {exc.__name__}: " in str(e.value)
    assert isinstance(e.value.__cause__, exc)


def test_py_function_tapegrad_error_inside_is_unknown():
    with pytest.raises(UnknownError, match="InvalidArgumentError: "):
        tf.py_function(lambda a: tf.reshape(a, [7]), [tf.constant(X)], tf.float32)


def test_py_function_inputs():
    x = tf.constant(X)
    seen = []
    tf.py_function(lambda a, b, c: seen.extend([a, b, c]), [x, 2, 2.0], [])
    assert seen[0] is not x and isinstance(seen[0], tf.Tensor)
    np.testing.assert_array_equal(_np(seen[0]), X)
    assert seen[1].dtype == tf.int32 and seen[2].dtype == tf.float32
    seen.clear()
    tf.py_function(lambda *a: seen.extend(a), x, [])  # a tensor is iterated
    assert [t.numpy() for t in seen] == X
    with pytest.raises(TypeError, match="Cannot iterate over a scalar tensor."):
        tf.py_function(lambda a: a, tf.constant(1.0), tf.float32)


def test_py_function_argument_errors_and_decorator():
    x = tf.constant(X)
    with pytest.raises(TypeError) as e:
        tf.py_function(lambda a: a, [x], None)
    assert str(e.value).startswith("Missing required argument: 'Tout'\n")
    with pytest.raises(TypeError, match="^Missing argument `inp`:"):
        tf.py_function(lambda a: a, Tout=tf.float32)
    with pytest.raises(TypeError, match="^Don't set the `inp` argument when using "
                                        "tf.py_function as a decorator"):
        tf.py_function(inp=[x], Tout=tf.float32)
    with pytest.raises(ValueError) as e:
        tf.py_function(3, [x], tf.float32)
    assert str(e.value) == "Expected func to be callable. Received func=3 of type <class 'int'>."

    @tf.py_function(Tout=tf.float32)
    def double(a):
        return a * 2.0
    np.testing.assert_array_equal(_np(double(x)), [-2.0, 4.0, -6.0])
    assert double.__name__ == "double"
    _, g = _grad(double, x)
    np.testing.assert_array_equal(_np(g), [2.0, 2.0, 2.0])
    r = tf.py_function(func=lambda a: a, inp=[x], Tout=tf.float32, name="foo")
    np.testing.assert_array_equal(_np(r), X)


# -- numpy_function -----------------------------------------------------------------------------

def test_numpy_function_runs_on_arrays_and_has_no_gradient():
    x = tf.constant(X)
    seen = []

    def f(a):
        seen.append(a)
        a *= 2  # a copy: the tensor must not change
        return a
    y, g = _watched(lambda t: tf.numpy_function(f, [t], tf.float32), x)
    assert type(seen[0]) is np.ndarray and seen[0].dtype == np.float32
    np.testing.assert_array_equal(_np(y), [-2.0, 4.0, -6.0])
    np.testing.assert_array_equal(_np(x), X)
    assert g.gradient(y, x) is None
    y, g = _watched(lambda t: tf.numpy_function(lambda a: a * 3.0, [t], tf.float32), x)
    assert [op.type for op in g._records] == ["PyFunc"]
    assert g.explain(y, x).cause == "non_differentiable"


def test_numpy_function_results_are_converted_as_returned():
    x = tf.constant(X)
    assert tf.numpy_function(lambda a: a.astype(np.float64), [x], tf.float32).dtype == tf.float64
    r = tf.numpy_function(lambda a: 3.0, [x], tf.float64)
    assert r.dtype == tf.float32 and r.numpy() == 3.0
    assert tf.numpy_function(lambda a: 3, [x], tf.int64).dtype == tf.int32
    r = tf.numpy_function(lambda a: [a, a], [x], tf.float32)
    assert isinstance(r, list) and len(r) == 2
    r = tf.numpy_function(lambda a: (a,), [x], [tf.float32])
    assert isinstance(r, tf.Tensor)
    assert isinstance(tf.numpy_function(lambda a: a, [x], [tf.float32, tf.float32]), tf.Tensor)
    assert tf.numpy_function(lambda a: None, [x], []) is None
    r = tf.numpy_function(lambda a, b: a * b, [x, 2.0], tf.float32)  # 2.0 -> float64 array
    assert r.dtype == tf.float64
    np.testing.assert_array_equal(_np(r), [-2.0, 4.0, -6.0])
    r = tf.numpy_function(lambda a: a > 0, [x], tf.bool)
    np.testing.assert_array_equal(_np(r), [False, True, False])


def test_numpy_function_errors_variables_and_decorator():
    x = tf.constant(X)
    with pytest.raises(ZeroDivisionError):
        tf.numpy_function(lambda a: 1 / 0, [x], tf.float32)
    with pytest.raises(TypeError, match="^Missing required argument: 'Tout'\n"):
        tf.numpy_function(lambda a: a, [x], None)
    with pytest.raises(TypeError, match="^Missing argument `inp`:"):
        tf.numpy_function(lambda a: a, Tout=tf.float32)
    v = tf.Variable([1.0, 2.0])
    with tf.GradientTape() as g:
        y = tf.numpy_function(lambda a: a * 2, [v], tf.float32, stateful=False, name="n")
    np.testing.assert_array_equal(_np(y), [2.0, 4.0])
    assert g.watched_variables() == (v,)
    assert g.gradient(y, v) is None

    @tf.numpy_function(Tout=tf.float32)
    def sinh(a):
        return np.sinh(a)
    assert np.isclose(sinh(tf.constant(1.0)).numpy(), np.sinh(1.0))
