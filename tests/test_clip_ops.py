"""clip_by_value, clip_by_norm, global_norm and clip_by_global_norm against TF 2.21's values."""
import numpy as np
import pytest

import tapegrad as tf
from tapegrad.errors import InvalidArgumentError


def close(a, b, **kw):
    np.testing.assert_allclose(np.asarray(a), np.asarray(b), **kw)


def slices(values, indices, dense_shape):
    return tf.IndexedSlices(tf.constant(values), tf.constant(indices), tf.constant(dense_shape))


def test_clip_by_value_gradient_is_one_at_the_bounds():
    x = tf.constant([-2.0, -1.0, 0.0, 1.0, 2.0])
    lo, hi = tf.constant(-1.0), tf.constant(1.0)
    with tf.GradientTape() as tape:
        tape.watch([x, lo, hi])
        y = tf.clip_by_value(x, lo, hi)
    gx, glo, ghi = tape.gradient(y, [x, lo, hi])
    close(y, [-1.0, -1.0, 0.0, 1.0, 1.0])
    close(gx, [0.0, 1.0, 1.0, 1.0, 0.0])  # tf_semantics 3: x = -1, 1 -> 1
    assert glo.numpy() == 1.0 and ghi.numpy() == 1.0


def test_clip_by_value_edge_cases_follow_tfs_composition():
    # TF computes maximum(minimum(x, hi), lo): lo wins when lo > hi, NaN passes through
    x = tf.constant([-2.0, -1.0, 0.0, 1.0, 2.0])
    with tf.GradientTape() as tape:
        tape.watch(x)
        y = tf.clip_by_value(x, 1.0, -1.0)
    close(y, [1.0] * 5)
    close(tape.gradient(y, x), [0.0] * 5)
    nan_in = tf.constant([np.nan, 0.5])
    lo = tf.constant(0.0)
    with tf.GradientTape() as tape:
        tape.watch([nan_in, lo])
        y = tf.clip_by_value(nan_in, lo, 3.0)
    gx, glo = tape.gradient(y, [nan_in, lo])
    assert np.isnan(y.numpy()[0])
    close(gx, [0.0, 1.0])
    assert glo.numpy() == 1.0


def test_clip_by_value_dtypes_and_shapes():
    assert tf.clip_by_value(tf.constant([1, 5]), 2, 3).numpy().tolist() == [2, 3]
    assert tf.clip_by_value(tf.constant([1.0, 5.0], tf.float64), 2, 3).dtype == tf.float64
    close(tf.clip_by_value([1.0, 5.0], [0.0, 2.0], [3.0, 3.0]), [1.0, 3.0])
    with pytest.raises(TypeError, match="2.5"):
        tf.clip_by_value(tf.constant([1, 5]), 2.5, 3)
    with pytest.raises(InvalidArgumentError, match="double"):
        tf.clip_by_value(tf.constant([1.0, 5.0]), tf.constant(2.0, tf.float64), 3.0)
    with pytest.raises(ValueError, match=r"Shapes \(2,\) and \(2, 2\) are incompatible"):
        tf.clip_by_value(tf.constant([1.0, 5.0]), [[0.0], [2.0]], 3.0)
    with pytest.raises(InvalidArgumentError):
        tf.clip_by_value(tf.constant([1 + 1j]), 0.0, 3.0)


def test_clip_by_value_indexed_slices():
    out = tf.clip_by_value(slices([[1.0, 5.0]], [1], [3, 2]), 0.0, 3.0)
    assert isinstance(out, tf.IndexedSlices)
    close(out.values, [[1.0, 3.0]])
    assert out.indices.numpy().tolist() == [1]


def test_clip_by_norm_values():
    close(tf.clip_by_norm(tf.constant([3.0, 4.0]), 1.0), [0.6, 0.8])
    close(tf.clip_by_norm(tf.constant([3.0, 4.0]), 10.0), [3.0, 4.0])
    close(tf.clip_by_norm(tf.constant([[3.0, 4.0], [0.3, 0.4]]), 1.0, axes=[1]),
          [[0.6, 0.8], [0.3, 0.4]], rtol=1e-6)
    close(tf.clip_by_norm(tf.constant([0.0, 0.0]), 1.0), [0.0, 0.0])
    close(tf.clip_by_norm(tf.constant([3.0, 4.0]), -1.0), [0.0, 0.0])  # negative -> 0
    close(tf.clip_by_norm(tf.constant([3.0, 4.0]), [1.0, 2.0]), [0.6, 1.6], rtol=1e-6)
    out = tf.clip_by_norm(tf.constant([3.0, 4.0]), tf.constant(1.0, tf.float64))
    assert out.dtype == tf.float32
    with pytest.raises(InvalidArgumentError):
        tf.clip_by_norm(tf.constant([3, 4]), 1)


def test_clip_by_norm_gradients():
    v, z, c = tf.constant([3.0, 4.0]), tf.constant([0.0, 0.0]), tf.constant(1.0)
    with tf.GradientTape(persistent=True) as tape:
        tape.watch([v, z, c])
        clipped = tf.clip_by_norm(v, c)
        zero = tf.clip_by_norm(z, c)
        at_norm = tf.clip_by_norm(v, 5.0)
    gv, gc = tape.gradient(clipped, [v, c])
    close(gv, [0.032, -0.024], atol=1e-6)
    close(gc, 1.4, rtol=1e-6)
    gz, gc = tape.gradient(zero, [z, c])
    close(gz, [1.0, 1.0])  # finite at the zero vector
    assert gc.numpy() == 0.0
    close(tape.gradient(at_norm, v), [0.16, -0.12], atol=1e-6)  # tie: the norm branch


def test_clip_by_norm_indexed_slices_uses_values():
    g = slices([[3.0, 4.0]], [1], [3, 2])
    out = tf.clip_by_norm(g, 1.0)
    assert isinstance(out, tf.IndexedSlices)
    close(out.values, [[0.6, 0.8]])
    assert out.dense_shape.numpy().tolist() == [3, 2]


def test_global_norm():
    norm = tf.linalg.global_norm([tf.constant([3.0, 4.0]), None, tf.constant(12.0)])
    assert norm.numpy() == 13.0
    empty = tf.linalg.global_norm([])
    assert empty.dtype == tf.float32 and empty.numpy() == 0.0
    assert tf.linalg.global_norm([None]).numpy() == 0.0
    assert tf.linalg.global_norm([tf.constant([3.0, 4.0], tf.float64)]).dtype == tf.float64
    assert tf.linalg.global_norm([[3.0, 4.0]]).numpy() == 5.0
    # value-based, duplicate indices included (tf_semantics 5)
    close(tf.linalg.global_norm([slices([[1.0, 2.0]], [1], [3, 2])]), 2.236068, rtol=1e-6)
    with pytest.raises(TypeError, match="sequence of tensors"):
        tf.linalg.global_norm(tf.constant([3.0, 4.0]))
    with pytest.raises(InvalidArgumentError, match="Pack"):
        tf.linalg.global_norm([tf.constant([3.0]), tf.constant(1.0, tf.float64)])
    with pytest.raises(InvalidArgumentError):
        tf.linalg.global_norm([tf.constant([3, 4])])


def test_clip_by_global_norm_values():
    clipped, norm = tf.clip_by_global_norm([tf.constant([3.0, 4.0]), None, tf.constant(12.0)],
                                           1.0)
    assert norm.numpy() == 13.0
    assert clipped[1] is None
    close(clipped[0], [3 / 13, 4 / 13], rtol=1e-6)
    close(clipped[2], 12 / 13, rtol=1e-6)
    clipped, norm = tf.clip_by_global_norm((tf.constant([3.0, 4.0]),), 10.0)
    close(clipped[0], [3.0, 4.0])
    clipped, _ = tf.clip_by_global_norm([tf.constant([3.0, 4.0])], -1.0)
    close(clipped[0], [3.0, 4.0])  # TF's formula: a negative clip norm leaves values alone
    clipped, _ = tf.clip_by_global_norm([tf.constant([3.0, 4.0])], 1.0,
                                        use_norm=tf.constant(10.0))
    close(clipped[0], [0.3, 0.4], rtol=1e-6)
    clipped, norm = tf.clip_by_global_norm([], 1.0)
    assert clipped == [] and norm.numpy() == 0.0
    clipped, norm = tf.clip_by_global_norm([tf.constant([0.0, 0.0])], 1.0)
    close(clipped[0], [0.0, 0.0])


def test_clip_by_global_norm_non_finite_norm_gives_nan_everywhere():
    clipped, norm = tf.clip_by_global_norm([tf.constant([3.0, np.inf]), tf.constant(1.0)], 1.0)
    assert np.isinf(norm.numpy())
    assert np.isnan(clipped[0].numpy()).all() and np.isnan(clipped[1].numpy())
    clipped, norm = tf.clip_by_global_norm([tf.constant([3.0, np.nan])], 1.0)
    assert np.isnan(norm.numpy()) and np.isnan(clipped[0].numpy()).all()


def test_clip_by_global_norm_indexed_slices_and_errors():
    (out,), norm = tf.clip_by_global_norm([slices([[1.0, 2.0]], [1], [3, 2])], 1.0)
    assert isinstance(out, tf.IndexedSlices)
    close(norm, 2.236068, rtol=1e-6)
    close(out.values, np.array([[1.0, 2.0]]) / np.sqrt(5), rtol=1e-6)
    with pytest.raises(TypeError, match="sequence of tensors"):
        tf.clip_by_global_norm(tf.constant([3.0, 4.0]), 1.0)
    with pytest.raises(InvalidArgumentError, match="Pack"):
        tf.clip_by_global_norm([tf.constant([3.0]), tf.constant([1.0], tf.float64)], 1.0)


def test_clip_by_global_norm_gradients():
    a, c = tf.constant([3.0, 4.0]), tf.constant(1.0)
    with tf.GradientTape(persistent=True) as tape:
        tape.watch([a, c])
        (ca,), norm = tf.clip_by_global_norm([a], c)
    ga, gc = tape.gradient(ca, [a, c])
    close(ga, [0.032, -0.024], atol=1e-6)
    close(gc, 1.4, rtol=1e-6)
    close(tape.gradient(norm, a), [0.6, 0.8], rtol=1e-6)


@pytest.mark.parametrize("dtype", [np.float32, np.float64, np.float16])
def test_direct_path_outside_tapes_equals_the_op_path(dtype):
    rng = np.random.default_rng(0)
    ts = [tf.constant(rng.normal(size=s).astype(dtype)) for s in [(3, 4), (5,), ()]]
    ts.append(tf.constant(np.zeros(2, dtype)))

    def run():
        return (tf.clip_by_norm(ts[0], 0.5), tf.clip_by_norm(ts[0], 0.5, axes=[1]),
                tf.clip_by_norm(ts[3], 1.0), tf.linalg.global_norm(ts),
                *tf.clip_by_global_norm(ts + [None], 0.7)[0][:4],
                *tf.clip_by_global_norm(ts, tf.constant(0.7, dtype))[0])
    direct = run()
    with tf.GradientTape():  # a tape on the stack: the composed ops run
        composed = run()
    for d, c in zip(direct, composed):
        assert d.dtype == c.dtype
        np.testing.assert_array_equal(d.numpy(), c.numpy())
