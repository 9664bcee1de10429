"""Behaviour of the shape ops, one_hot and where (ops/array_ops.py): forward values against
NumPy, dtypes, TF's exception types, and the gradient outcomes of tf_semantics.md section 3.

Reference numbers marked "TF" were produced by TensorFlow 2.21 on the same inputs.
"""
import numpy as np
import pytest

import tapegrad as tf

IAE = tf.errors.InvalidArgumentError
XV = [1.5, -2.5, 3.7, 0.0]  # tf_semantics section 3's input
A = np.array([[1., 2, 3], [4, 5, 6]], np.float32)
RNG = np.random.default_rng(5)
B = RNG.standard_normal((2, 3, 4)).astype(np.float32)


def grad(f, x=XV, dtype=None):
    t = tf.constant(x, dtype=dtype)
    with tf.GradientTape() as tape:
        tape.watch(t)
        y = f(t)
    return tape.gradient(y, t)


def eq(t, ref, dtype=None):
    assert isinstance(t, tf.Tensor)
    v = t.numpy()
    np.testing.assert_array_equal(v, np.asarray(ref, dtype=np.asarray(v).dtype))
    if dtype is not None:
        assert t.dtype == dtype, t.dtype


def weights(shape):
    return tf.reshape(tf.range(1.0, 1.0 + int(np.prod(shape))), shape)


# -- forward values and dtypes -------------------------------------------------------------------

@pytest.mark.parametrize("call,ref", [
    (lambda x: tf.transpose(x), lambda a: a.T),
    (lambda x: tf.transpose(x, perm=[1, 2, 0]), lambda a: np.transpose(a, (1, 2, 0))),
    (lambda x: tf.transpose(x, perm=tf.constant([-1, 0, 1])), lambda a: np.transpose(a, (2, 0, 1))),
    (lambda x: tf.expand_dims(x, 1), lambda a: a[:, None]),
    (lambda x: tf.expand_dims(x, -1), lambda a: a[..., None]),
    (lambda x: tf.expand_dims(x, [0]), lambda a: a[None]),
    (lambda x: tf.squeeze(tf.expand_dims(x, 1)), lambda a: a),
    (lambda x: tf.stack([x, 2 * x], axis=1), lambda a: np.stack([a, 2 * a], 1)),
    (lambda x: tf.stack([x, x, x], axis=-1), lambda a: np.stack([a] * 3, -1)),
    (lambda x: tf.tile(x, [2, 1, 3]), lambda a: np.tile(a, (2, 1, 3))),
    (lambda x: tf.pad(x, [[1, 0], [0, 2], [1, 1]]), lambda a: np.pad(a, [(1, 0), (0, 2), (1, 1)])),
    (lambda x: tf.pad(x, [[1, 1], [2, 2], [3, 0]], mode="REFLECT"),
     lambda a: np.pad(a, [(1, 1), (2, 2), (3, 0)], mode="reflect")),
    (lambda x: tf.pad(x, [[2, 1], [3, 3], [0, 4]], mode="symmetric"),
     lambda a: np.pad(a, [(2, 1), (3, 3), (0, 4)], mode="symmetric")),
    (lambda x: tf.pad(x, [[1, 0], [0, 0], [0, 1]], constant_values=7),
     lambda a: np.pad(a, [(1, 0), (0, 0), (0, 1)], constant_values=7)),
    (lambda x: tf.reverse(x, [0, -1]), lambda a: a[::-1, :, ::-1]),
    (lambda x: tf.reverse(x, []), lambda a: a),
    (lambda x: tf.roll(x, [1, -2], [0, 2]), lambda a: np.roll(a, (1, -2), (0, 2))),
    (lambda x: tf.roll(x, [1, 1], [1, 1]), lambda a: np.roll(a, 2, 1)),
])
def test_forward_matches_numpy(call, ref):
    eq(call(tf.constant(B)), ref(B), tf.float32)


def test_transpose_default_scalar_and_conjugate():
    eq(tf.transpose(tf.constant(3.0)), 3.0)
    z = tf.transpose(tf.constant([[1 + 2j, 3j]]), conjugate=True)
    eq(z, [[1 - 2j], [-3j]], tf.complex128)
    eq(tf.transpose(tf.constant(A), conjugate=True), A.T, tf.float32)  # ignored for reals


def test_squeeze_all_and_listed():
    y = tf.zeros([1, 2, 1, 3])
    assert tf.squeeze(y).shape == (2, 3)
    assert tf.squeeze(y, 2).shape == (1, 2, 3)
    assert tf.squeeze(y, [0, -2]).shape == (2, 3)
    assert tf.squeeze(y, [0, 0]).shape == (2, 1, 3)


def test_stack_dtypes_and_conversion():
    eq(tf.stack([[1, 2], [3, 4]], axis=1), [[1, 3], [2, 4]], tf.int32)
    eq(tf.stack([1, 2.5]), [1.0, 2.5], tf.float32)  # a constant list converts directly
    eq(tf.stack([tf.zeros(2), [1, 2]]), [[0, 0], [1, 2]], tf.float32)
    eq(tf.stack([np.array([1.0, 2.0]), tf.constant([3.0, 4.0])]), [[1, 2], [3, 4]], tf.float32)
    eq(tf.stack([tf.Variable([1.0, 2.0]), [3, 4]]), [[1, 2], [3, 4]], tf.float32)
    e = tf.stack([])
    assert e.shape == (0,) and e.dtype == tf.float32


def test_unstack_and_iteration_agree():
    x = tf.constant(A)
    rows = tf.unstack(x)
    it = list(x)
    assert len(rows) == len(it) == 2
    for r, i, ref in zip(rows, it, A):
        eq(r, ref, tf.float32)
        eq(i, ref, tf.float32)
    cols = tf.unstack(x, num=3, axis=1)
    eq(cols[2], [3.0, 6.0])
    eq(tf.unstack(x, axis=-1)[0], [1.0, 4.0])
    assert tf.unstack(tf.zeros([0, 3])) == [] and list(tf.zeros([0, 2])) == []
    scalars = list(tf.constant([7, 8]))
    assert [int(s) for s in scalars] == [7, 8] and scalars[0].dtype == tf.int32
    assert [float(v) for v in tf.Variable([1.0, 2.0])] == [1.0, 2.0]
    a, b = tf.constant([[1.0], [2.0]])
    eq(b, [2.0])


def test_autopacking_convert_to_tensor():
    s = tf.constant(2.0)
    eq(tf.convert_to_tensor([s, 5]), [2.0, 5.0], tf.float32)
    eq(tf.convert_to_tensor([[s, 1.0], [3.0, s]]),
       [[2, 1], [3, 2]], tf.float32)
    eq(tf.convert_to_tensor([s, 2.0], dtype=tf.float64), [2.0, 2.0], tf.float64)
    with pytest.raises(TypeError):
        tf.convert_to_tensor([tf.constant(1), 2.5])  # TF: Cannot convert 2.5 to int32
    with pytest.raises(IAE, match="Pack"):
        tf.convert_to_tensor([tf.constant(1.0), tf.constant(1)])
    # differentiable through the Pack op
    assert float(grad(lambda x: tf.reduce_sum(tf.convert_to_tensor([x, 1.0]) * [3.0, 1.0]),
                      2.0)) == 3.0


def test_tile_pad_reverse_roll_dtypes():
    eq(tf.tile([True], [2]), [True, True], tf.bool)
    eq(tf.tile(tf.constant(1.0), []), 1.0)
    eq(tf.pad([True], [[1, 1]]), [False, True, False], tf.bool)
    eq(tf.pad(tf.constant([1, 2]), [[1, 1]], constant_values=3), [3, 1, 2, 3], tf.int32)
    eq(tf.pad([1.0, 2, 3], [[1, 1]], mode="REFLECT", constant_values=5), [2, 1, 2, 3, 2])
    eq(tf.pad(tf.constant(A), tf.constant([[1, 0], [0, 1]], tf.int64)), np.pad(A, [(1, 0), (0, 1)]))
    eq(tf.pad(tf.constant(A), [[1, 0], [0, 0]], constant_values=tf.constant(2.0)),
       np.pad(A, [(1, 0), (0, 0)], constant_values=2))
    eq(tf.reverse([True, False], [0]), [False, True], tf.bool)
    eq(tf.roll(tf.constant(A), 1, -1), [[3, 1, 2], [6, 4, 5]])


def test_one_hot():
    eq(tf.one_hot([0, 2, -1, 3], 3), [[1, 0, 0], [0, 0, 1], [0, 0, 0], [0, 0, 0]], tf.float32)
    eq(tf.one_hot([0, 2], 3, axis=0), [[1, 0], [0, 0], [0, 1]])
    assert tf.one_hot([[0, 2], [1, 1]], 3, axis=1).shape == (2, 3, 2)
    eq(tf.one_hot([[0, 2], [1, 1]], 3, axis=1), np.moveaxis(np.eye(3)[[[0, 2], [1, 1]]], -1, 1))
    eq(tf.one_hot([0, 2], 3, dtype=tf.int32), [[1, 0, 0], [0, 0, 1]], tf.int32)
    eq(tf.one_hot([0, 2], 3, on_value=5, off_value=-1), [[5, -1, -1], [-1, -1, 5]], tf.int32)
    eq(tf.one_hot([0, 2], 3, on_value=5), [[5, 0, 0], [0, 0, 5]], tf.int32)
    eq(tf.one_hot([0, 2], 3, on_value=tf.constant(2.0, tf.float64)), [[2, 0, 0], [0, 0, 2]],
       tf.float64)
    eq(tf.one_hot(tf.constant([0, 2], tf.uint8), tf.constant(3)), [[1, 0, 0], [0, 0, 1]])
    eq(tf.one_hot(1, 3), [0, 1, 0])
    assert tf.one_hot([0, 2], 0).shape == (2, 0)


def test_where_forms_and_dtypes():
    x = tf.constant(XV)
    eq(tf.where(x > 0), [[0], [2]], tf.int64)
    eq(tf.where(x), [[0], [1], [2]], tf.int64)  # non-zero entries
    eq(tf.where([[True, False], [False, True]]), [[0, 0], [1, 1]], tf.int64)
    eq(tf.where(x > 0, x, 0), [1.5, 0, 3.7, 0], tf.float32)
    eq(tf.where(x > 0, 1, x), [1, -2.5, 1, 0], tf.float32)  # the scalar takes x's dtype
    eq(tf.where(x > 0, 1, 0), [1, 0, 1, 0], tf.int32)
    eq(tf.where(x > 0, x, np.float64(0)), [1.5, 0, 3.7, 0], tf.float32)
    eq(tf.where(tf.constant([True, False]), 0, tf.Variable([1.0, 2.0], dtype=tf.float64)),
       [0, 2], tf.float64)
    eq(tf.where([[True], [False]], [1.0, 2.0], [[5.0], [6.0]]), [[1, 2], [6, 6]])
    eq(tf.where([True, False, True, False], x, 0.0), [1.5, 0, 3.7, 0])


# -- errors --------------------------------------------------------------------------------------

@pytest.mark.parametrize("call,exc,match", [
    (lambda x: tf.transpose(x, [0, 1, 2]), IAE, "vector of size 2"),
    (lambda x: tf.transpose(x, [0, 0]), IAE, "1 is missing"),
    (lambda x: tf.transpose(x, [0, 2]), IAE, "out of range"),
    (lambda x: tf.expand_dims(x, 3), IAE, "expand dim index 3"),
    (lambda x: tf.expand_dims(x, -4), IAE, "expand dim index -4"),
    (lambda x: tf.expand_dims(x, [0, 1]), IAE, "single value"),
    (lambda x: tf.expand_dims(x, 0.0), IAE, "attr 'Tdim' of float"),
    (lambda x: tf.expand_dims(x, None), ValueError, "None"),
    (lambda x: tf.squeeze(x, 1), IAE, r"Can not squeeze dim\[1\], expected a dimension of 1"),
    (lambda x: tf.squeeze(x, 2), IAE, "squeeze dim index 2"),
    (lambda x: tf.stack([x, tf.zeros([3, 2])]), IAE, "Shapes of all inputs must match"),
    (lambda x: tf.stack([x, tf.zeros([2, 3], tf.int32)]), IAE, "int32"),
    (lambda x: tf.stack([x, x], axis=3), ValueError, r"not in range \[-3, 3\)"),
    (lambda x: tf.unstack(x, num=3), IAE, "must equal 3"),
    (lambda x: tf.unstack(x, axis=2), ValueError, "not in range"),
    (lambda x: tf.unstack(tf.constant(1.0)), ValueError, r"\[0, 0\)"),
    (lambda x: tf.tile(x, [2]), IAE, "vector of length 2 but got length 1"),
    (lambda x: tf.tile(x, [-1, 1]), IAE, r"multiples\[0\] >= 0"),
    (lambda x: tf.tile(x, [1.0, 2.0]), IAE, "Tmultiples"),
    (lambda x: tf.pad(x, [[1, 0]]), IAE, "rank of inputs"),
    (lambda x: tf.pad(x, [[1, 2, 3], [1, 2, 3]]), IAE, "matrix with 2 columns"),
    (lambda x: tf.pad(x, [[-1, 0], [0, 0]]), IAE, "non-negative"),
    (lambda x: tf.pad(x, [[1.0, 1.0], [0, 0]]), IAE, "Tpaddings"),
    (lambda x: tf.pad(x, [[2, 0], [0, 0]], mode="REFLECT"), IAE, "less than the dimension"),
    (lambda x: tf.pad(x, [[3, 0], [0, 0]], mode="SYMMETRIC"), IAE, "no greater than"),
    (lambda x: tf.pad(x, [[1, 0], [0, 0]], mode="WRAP"), ValueError, "mode"),
    (lambda x: tf.pad(x, [[1, 0], [0, 0]], constant_values=[1.0, 2.0]), IAE, "scalar"),
    (lambda x: tf.pad(tf.constant([1, 2]), [[1, 0]], constant_values=1.5), TypeError, "1.5"),
    (lambda x: tf.reverse(x, [1, 1]), IAE, "more than once"),
    (lambda x: tf.reverse(x, [1, -1]), IAE, "more than once"),
    (lambda x: tf.reverse(x, [2]), IAE, "out of valid range"),
    (lambda x: tf.reverse(x, 1), IAE, "1-dimension"),
    (lambda x: tf.roll(x, [1, 1], [1]), IAE, "same size"),
    (lambda x: tf.roll(x, 1, 2), IAE, "out of range"),
    (lambda x: tf.roll(x, 1.5, 0), IAE, "Tshift"),
    (lambda x: tf.roll(tf.constant(1.0), 1, 0), IAE, "1-D or higher"),
    (lambda x: tf.one_hot([0.0, 2.0], 3), IAE, "attr 'TI' of float"),
    (lambda x: tf.one_hot([0, 2], 3, axis=2), IAE, r"-1 or between \[0, 2\)"),
    (lambda x: tf.one_hot([0, 2], -1), IAE, "non-negative"),
    (lambda x: tf.one_hot([0, 2], 3, on_value=5.0, dtype=tf.int32), TypeError, "dtype parameter"),
    (lambda x: tf.one_hot([0, 2], 3, on_value=5.0, off_value=1), TypeError, "of off_value"),
    (lambda x: tf.one_hot([0, 2], 3, dtype=tf.bool), TypeError, "bool"),
    (lambda x: tf.where(tf.constant(True)), IAE, "Unhandled input dimensions: 0"),
    (lambda x: tf.where(x > 0, x), ValueError, "both be non-None"),
    (lambda x: tf.where(x > 0, x, tf.zeros([2, 3], tf.float64)), IAE, "double"),
    (lambda x: tf.where(x, x, x), IAE, "bool tensor but is a float"),
    (lambda x: tf.where([1, 0], 1.0, 0.0), TypeError, "bool"),
    (lambda x: tf.where(x > 0, x, tf.zeros(2)), IAE, "must be broadcastable"),
    (lambda x: tf.where(tf.constant([True, False]), 1, 0.5), TypeError, "0.5"),
    (lambda x: list(tf.constant(1.0)), TypeError, "scalar tensor"),
])
def test_errors(call, exc, match):
    with pytest.raises(exc, match=match):
        call(tf.constant(A))


def test_errors_name_the_op_and_the_users_line():
    with pytest.raises(IAE) as e:
        tf.transpose(tf.constant(A), [0, 0])
    assert "[Op:Transpose]" in str(e.value) and "test_array_ops.py" in str(e.value)


# -- gradients -----------------------------------------------------------------------------------

def test_where_selects_and_condition_gets_nothing():
    """TF: where(x>0, x, 0) -> [1,0,1,0]; where(x>0, 1., 0.) -> None; the sqrt guard -> 0."""
    np.testing.assert_array_equal(grad(lambda x: tf.where(x > 0, x, 0)).numpy(), [1, 0, 1, 0])
    assert grad(lambda x: tf.where(x > 0, 1.0, 0.0)) is None
    g = grad(lambda x: tf.where(x > 0, tf.sqrt(x), 0)).numpy()
    np.testing.assert_allclose(g, [0.40824828, 0.0, 0.2599376, 0.0], rtol=1e-6)
    assert not np.isnan(g).any()
    # broadcasting branches are summed back to their shapes
    y = tf.constant([10.0, 20.0, 30.0, 40.0])
    with tf.GradientTape() as tape:
        x = tf.constant(XV)
        s = tf.constant(2.0)
        tape.watch([x, s])
        out = tf.where(x > 0, x * 3.0, s) * y
    gx, gs = tape.gradient(out, [x, s])
    np.testing.assert_array_equal(gx.numpy(), [30, 0, 90, 0])
    assert float(gs) == 60.0


def test_one_hot_is_not_differentiable():
    """TF: OneHot gives None even with respect to on_value/off_value."""
    def f(x):
        on, off = tf.unstack(x)[:2]
        return tf.one_hot([0, 2], 3, on_value=on, off_value=off)
    assert grad(f) is None
    assert grad(lambda x: tf.one_hot(tf.cast(x, tf.int32), 4)) is None


def test_tile_reshape_reverse_chain():
    """tf_semantics section 3 lists tile, reshape and reverse as differentiable (TF values)."""
    g = grad(lambda x: tf.reverse(tf.reshape(tf.tile(x, [2]), [2, 4]), [1])
             * tf.constant([1.0, 2.0, 3.0, 4.0]))
    np.testing.assert_array_equal(g.numpy(), [8, 6, 4, 2])


@pytest.mark.parametrize("f,expected", [  # TF 2.21 on A, upstream = 1..n in row-major order
    (lambda x: tf.pad(x, [[1, 1], [2, 2]], mode="REFLECT"),
     [[76.0, 108.0, 68.0], [48.0, 66.0, 40.0]]),
    (lambda x: tf.pad(x, [[2, 1], [1, 3]], mode="SYMMETRIC"),
     [[83.0, 60.0, 60.0], [177.0, 125.0, 125.0]]),
    (lambda x: tf.tile(x, [2, 3]), [[78.0, 84.0, 90.0], [132.0, 138.0, 144.0]]),
    (lambda x: tf.roll(x, [1, -1], [0, 1]), [[6.0, 4.0, 5.0], [3.0, 1.0, 2.0]]),
    (lambda x: tf.transpose(x), [[1.0, 3.0, 5.0], [2.0, 4.0, 6.0]]),
    (lambda x: tf.pad(x, [[1, 0], [0, 2]]), [[6.0, 7.0, 8.0], [11.0, 12.0, 13.0]]),
    (lambda x: tf.stack([x, x], axis=1), [[5.0, 7.0, 9.0], [17.0, 19.0, 21.0]]),
    (lambda x: tf.expand_dims(x, 0), [[1.0, 2.0, 3.0], [4.0, 5.0, 6.0]]),
])
def test_gradients_match_tf(f, expected):
    def weighted(x):
        y = f(x)
        return y * weights(y.shape)
    np.testing.assert_array_equal(grad(weighted, A).numpy(), expected)


def test_unstack_and_iteration_gradients():
    # TF: unstack(x, axis=1)[1] * 3 -> [[0,3,0],[0,3,0]] (unused outputs get zeros)
    np.testing.assert_array_equal(grad(lambda x: tf.unstack(x, axis=1)[1] * 3.0, A).numpy(),
                                  [[0, 3, 0], [0, 3, 0]])
    g = grad(lambda x: sum(row * float(i + 1) for i, row in enumerate(x)), A)
    np.testing.assert_array_equal(g.numpy(), [[1, 1, 1], [2, 2, 2]])
    v = tf.Variable([1.0, 2.0])
    with tf.GradientTape() as tape:
        a, b = v
        y = a * b * b
    np.testing.assert_array_equal(tape.gradient(y, v).numpy(), [4.0, 4.0])


def test_pad_constant_value_gets_none():
    """TF's PadV2 gradient gives the input the cropped upstream and constant_values None."""
    x, c = tf.constant(A), tf.constant(7.0)
    with tf.GradientTape() as tape:
        tape.watch([x, c])
        y = tf.pad(x, [[1, 0], [0, 2]], constant_values=c)
    gx, gc = tape.gradient(y, [x, c])
    np.testing.assert_array_equal(gx.numpy(), np.ones((2, 3)))
    assert gc is None


def test_second_order_through_mirror_pad():
    x = tf.constant([1.0, 2.0, 3.0])
    with tf.GradientTape() as outer:
        outer.watch(x)
        with tf.GradientTape() as inner:
            inner.watch(x)
            y = tf.reduce_sum(tf.pad(x, [[2, 1]], mode="REFLECT") ** 2)
        g = inner.gradient(y, x)
    # y = 2*x0^2 + 3*x1^2 ... REFLECT [3,2,1,2,3,2]: counts x0:1, x1:3, x2:2
    np.testing.assert_array_equal(g.numpy(), [2.0, 12.0, 12.0])
    np.testing.assert_array_equal(outer.gradient(g, x).numpy(), [2.0, 6.0, 4.0])
