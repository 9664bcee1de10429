"""Behaviour of sort, argsort, top_k and unique (ops/sort_ops.py): values and dtypes, TF's tie
order and exception types, and the gradient outcomes of tf_semantics.md section 3 (values route
back through the permutation, indices give zeros, Unique raises LookupError).

Reference numbers marked "TF" were produced by TensorFlow 2.21 on the same inputs.
"""
import numpy as np
import pytest

import tapegrad as tf

IAE = tf.errors.InvalidArgumentError
XV = [1.5, -2.5, 3.7, 0.0]  # tf_semantics section 3's input
RNG = np.random.default_rng(11)


def grad(f, x=XV):
    t = tf.constant(x)
    with tf.GradientTape() as tape:
        tape.watch(t)
        y = f(t)
    return tape.gradient(y, t)


def eq(t, ref, dtype=None):
    v = t.numpy()
    np.testing.assert_array_equal(v, np.asarray(ref, dtype=np.asarray(v).dtype))
    if dtype is not None:
        assert t.dtype == dtype, t.dtype


# -- forward -------------------------------------------------------------------------------------

@pytest.mark.parametrize("dtype", [tf.float32, tf.float64, tf.float16, tf.int32, tf.int64,
                                   tf.uint8, tf.int8])
@pytest.mark.parametrize("axis", [-1, 0, 1])
def test_sort_and_argsort_match_numpy(dtype, axis):
    a = RNG.integers(0, 50, size=(4, 6)).astype(dtype.as_numpy_dtype)
    x = tf.constant(a)
    eq(tf.sort(x, axis=axis), np.sort(a, axis=axis), dtype)
    eq(tf.sort(x, axis=axis, direction="DESCENDING"), -np.sort(-a.astype(np.float64), axis=axis))
    idx = tf.argsort(x, axis=axis)
    assert idx.dtype == tf.int32
    eq(idx, np.argsort(a, axis=axis, kind="stable"))


def test_ties_keep_lower_index_first_in_both_directions():
    """TF 2.21: argsort([1,0,1,0,1]) -> [1,3,0,2,4]; DESCENDING -> [0,2,4,1,3]."""
    v = [1.0, 0, 1, 0, 1]
    eq(tf.argsort(v), [1, 3, 0, 2, 4])
    eq(tf.argsort(v, stable=True), [1, 3, 0, 2, 4])
    eq(tf.argsort(v, direction="DESCENDING"), [0, 2, 4, 1, 3])
    r = tf.math.top_k([1.0, 3, 2, 3], 2)
    eq(r.values, [3, 3])
    eq(r.indices, [1, 3], tf.int32)


def test_extreme_integers_sort_correctly():
    """Negating would overflow the minimum int32 and unsigned values; TF sorts them right."""
    x = tf.constant([-2**31, 5, 0], tf.int32)
    eq(tf.sort(x), [-2**31, 0, 5])
    eq(tf.argsort(x), [0, 2, 1])
    eq(tf.sort(x, direction="DESCENDING"), [5, 0, -2**31])
    u = tf.constant([0, 255, 7], tf.uint8)
    eq(tf.sort(u, direction="DESCENDING"), [255, 7, 0], tf.uint8)


def test_nan_sorts_last_ascending_and_top_k_takes_it_first():
    eq(tf.sort([3.0, np.nan, 1, -np.inf]), [-np.inf, 1, 3, np.nan])  # TF: the same
    r = tf.math.top_k([1.0, np.nan, 2], 2)  # TF: [nan, 2], indices [1, 2]
    np.testing.assert_array_equal(r.values.numpy(), [np.nan, 2.0])
    eq(r.indices, [1, 2])


def test_top_k_result_and_options():
    r = tf.math.top_k([[1.0, 3, 2], [6, 5, 4]], 2)
    assert type(r).__name__ == "TopKV2" and r._fields == ("values", "indices")
    values, indices = r
    eq(values, [[3, 2], [6, 5]], tf.float32)
    eq(indices, [[1, 2], [0, 1]], tf.int32)
    eq(tf.math.top_k([1, 3, 2], 2).values, [3, 2], tf.int32)
    assert tf.math.top_k([1.0, 3, 2], 2, index_type=tf.int64).indices.dtype == tf.int64
    unsorted = tf.math.top_k([1.0, 3, 2, 5], 3, sorted=False)
    assert sorted(unsorted.values.numpy().tolist()) == [2.0, 3.0, 5.0]
    empty = tf.math.top_k([1.0, 3], 0)
    assert empty.values.shape == (0,) and empty.indices.dtype == tf.int32
    eq(tf.math.top_k([4.0, 1, 9]).values, [9.0])  # k defaults to 1


def test_unique():
    r = tf.unique([1.5, -2.0, 1.5, 3, -2])
    assert type(r).__name__ == "Unique" and r._fields == ("y", "idx")
    eq(r.y, [1.5, -2.0, 3.0], tf.float32)
    eq(r.idx, [0, 1, 0, 2, 1], tf.int32)
    r = tf.unique([1, 2, 1], out_idx=tf.int64)
    eq(r.y, [1, 2], tf.int32)
    eq(r.idx, [0, 1, 0], tf.int64)
    r = tf.unique([np.nan, np.nan, 1.0])  # TF: NaNs never compare equal
    assert r.y.shape == (3,)
    eq(r.idx, [0, 1, 2])
    r = tf.unique([0.0, -0.0])  # TF: one entry, the first one seen
    eq(r.idx, [0, 0])
    assert r.y.shape == (1,) and not np.signbit(r.y.numpy()[0])
    eq(tf.unique([True, False, True]).y, [True, False], tf.bool)
    e = tf.unique(tf.zeros([0]))
    assert e.y.shape == (0,) and e.idx.shape == (0,)
    a = RNG.integers(0, 6, 40)
    y, idx = tf.unique(a)
    np.testing.assert_array_equal(y.numpy()[idx.numpy()], a)
    np.testing.assert_array_equal(y.numpy(), list(dict.fromkeys(a.tolist())))


@pytest.mark.parametrize("call,exc,match", [
    (lambda: tf.sort([3.0, 1], direction="UP"), ValueError, "direction"),
    (lambda: tf.argsort([3.0, 1], direction="x"), ValueError, "direction"),
    (lambda: tf.sort(tf.constant(3.0)), IAE, "slice index -1 of dimension 0 out of bounds"),
    (lambda: tf.argsort(tf.constant(3.0)), IAE, "slice index -1 of dimension 0 out of bounds"),
    (lambda: tf.sort([3.0, 1], axis=1), IAE, "slice index 1 of dimension 0 out of bounds"),
    (lambda: tf.sort([True, False]), IAE, "bool"),
    (lambda: tf.sort(tf.constant([3 + 1j, 1])), IAE, "complex128"),
    (lambda: tf.math.top_k([1.0, 3], 3), IAE, "at least k columns. Had 2, needed 3"),
    (lambda: tf.math.top_k([1.0, 3], -1), IAE, "k >= 0"),
    (lambda: tf.math.top_k(tf.constant(1.0), 1), IAE, ">= 1-D"),
    (lambda: tf.math.top_k([True, False], 1), IAE, "bool"),
    (lambda: tf.unique([1, 2, 1], out_idx=tf.float32), IAE, "out_idx"),
    (lambda: tf.unique([[1, 2]]), IAE, "1D vector"),
    (lambda: tf.unique(1), IAE, "1D vector"),
])
def test_errors(call, exc, match):
    with pytest.raises(exc, match=match):
        call()


# -- gradients (tf_semantics section 3, x = [1.5, -2.5, 3.7, 0.0]) -------------------------------

def test_sort_routes_back_through_the_permutation():
    g = grad(lambda x: tf.sort(x) * tf.constant([1.0, 2, 3, 4]))
    eq(g, [3, 1, 4, 2])  # TF
    g = grad(lambda x: tf.sort(x, direction="DESCENDING") * tf.constant([1.0, 2, 3, 4]))
    eq(g, [2, 4, 1, 3])  # TF


def test_sort_gradient_along_axis0():
    a = [[1.0, 2, 3], [4, 5, 6]]
    g = grad(lambda x: tf.sort(x, axis=0, direction="DESCENDING")
             * tf.constant([[1.0, 2, 3], [4, 5, 6]]), a)
    eq(g, [[4, 5, 6], [1, 2, 3]])  # TF


def test_top_k_values_route_back_and_indices_give_zeros():
    eq(grad(lambda x: tf.math.top_k(x, 2).values * tf.constant([1.0, 2])), [2, 0, 1, 0])  # TF
    g = grad(lambda x: tf.math.top_k(x, 2).values * tf.constant([[1.0, 2], [3, 4]]),
             [[1.0, 2, 3], [4, 5, 6]])
    eq(g, [[0, 2, 1], [0, 4, 3]])  # TF
    g = grad(lambda x: tf.math.top_k(x, 2).indices)
    assert g is not None
    eq(g, [0, 0, 0, 0], tf.float32)  # TF: zeros, not None
    assert grad(lambda x: tf.cast(tf.math.top_k(x, 2).indices, tf.float32)) is None  # TF


def test_argsort_gives_zeros_not_none():
    g = grad(lambda x: tf.argsort(x))
    assert g is not None
    eq(g, [0, 0, 0, 0], tf.float32)  # TF gives -0.: equal to 0
    assert grad(lambda x: tf.cast(tf.argsort(x), tf.float32)) is None  # TF: the cast cuts it


def test_unique_has_no_gradient_entry():
    with pytest.raises(LookupError, match="gradient registry has no entry for: Unique"):
        grad(lambda x: tf.unique(x).y)
    with pytest.raises(LookupError, match="Unique"):
        grad(lambda x: tf.unique(x).idx)  # an int target is seeded too, as in TF
    assert grad(lambda x: tf.cast(tf.unique(x).idx, tf.float32)) is None  # TF
    # TF: only differentiating *through* Unique raises; a side branch is fine.
    eq(grad(lambda x: [x * 2.0, tf.unique(x)][0]), [2, 2, 2, 2])


def test_sort_second_derivative():
    x = tf.constant([0.5, -1.0, 2.0])
    with tf.GradientTape() as outer:
        outer.watch(x)
        with tf.GradientTape() as inner:
            inner.watch(x)
            y = tf.reduce_sum(tf.sort(x) ** 3 * tf.constant([1.0, 2, 3]))
        g = inner.gradient(y, x)
    # sorted: [-1, .5, 2] weights 1, 2, 3 -> dy/dx_i = 3 w x_i^2 ; d2 = 6 w x_i
    np.testing.assert_allclose(g.numpy(), [3 * 2 * 0.25, 3 * 1 * 1.0, 3 * 3 * 4.0])
    np.testing.assert_allclose(outer.gradient(g, x).numpy(), [6 * 2 * 0.5, 6 * 1 * -1.0,
                                                               6 * 3 * 2.0])
