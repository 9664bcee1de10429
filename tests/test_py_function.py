"""Behaviour of py_function and numpy_function against TF 2.21 (tf_semantics.md sections 3 and
4.1; every number and message here was checked with TensorFlow 2.21)."""
import numpy as np
import pytest

import tapegrad as tf
from tapegrad.errors import (InvalidArgumentError, OutOfRangeError, ResourceExhaustedError,
                             UnimplementedError, UnknownError)
from tape_helpers import _grad, _np, _watched


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
