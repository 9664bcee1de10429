"""Indexing ops and IndexedSlices: values vs NumPy, TF's error types and texts, and the gradient
outcomes of tf_semantics.md sections 3 and 5 (every expected value below was printed by TF 2.21)."""
import numpy as np
import pytest

import tapegrad as tf
from tapegrad.errors import InvalidArgumentError

X = np.arange(12.0, dtype=np.float32).reshape(3, 4)
P = [[1.0, 2.0], [3.0, 4.0], [5.0, 6.0]]


def grad_of(f, *xs):
    xs = [tf.constant(x) for x in xs]
    with tf.GradientTape() as t:
        t.watch(xs)
        y = f(*xs)
    g = t.gradient(y, xs)
    return g[0] if len(g) == 1 else g


# -- __getitem__ ---------------------------------------------------------------------------------

@pytest.mark.parametrize("key", [
    1, -1, (0, 1), (1, -1), slice(1, 5), slice(None, None, -1), slice(2, -10, -1),
    slice(-10, 10), slice(3, 1), (Ellipsis, None, slice(None, None, -2)), (), Ellipsis, None,
    (1, None, Ellipsis, None, -1), (slice(None), 2), (slice(None, None, 2), slice(3, 0, -2)),
])
def test_getitem_matches_numpy(key):
    got = tf.constant(X)[key]
    np.testing.assert_array_equal(got.numpy(), X[key])
    assert got.dtype == tf.float32


def test_getitem_list_key_is_a_tuple_and_tensor_ints_work():
    x = tf.constant(X)
    assert float(x[[0, 2]]) == 2.0  # TF reads a list as a tuple: x[0, 2]
    np.testing.assert_array_equal(x[tf.constant(1)].numpy(), X[1])
    np.testing.assert_array_equal(x[tf.constant(1, tf.int64)].numpy(), X[1])
    np.testing.assert_array_equal(x[np.int64(2)].numpy(), X[2])
    np.testing.assert_array_equal(x[np.array(1)].numpy(), X[1])
    np.testing.assert_array_equal(x[1:tf.constant(3)].numpy(), X[1:3])
    np.testing.assert_array_equal(x[::tf.constant(-1)].numpy(), X[::-1])
    np.testing.assert_array_equal(x[tf.Variable(1)].numpy(), X[1])
    s = tf.constant(5.0)
    assert s[None].shape == (1,) and s[...].shape == () and s[..., None].shape == (1,)


def test_getitem_bool_mask():
    x = tf.constant(X)
    m = [True, False, True]
    np.testing.assert_array_equal(x[tf.constant(m)].numpy(), X[[0, 2]])
    np.testing.assert_array_equal(x[np.array(m)].numpy(), X[[0, 2]])
    np.testing.assert_array_equal(x[x > 4.0].numpy(), X[X > 4])


@pytest.mark.parametrize("key", [
    [tf.constant([0, 2])], [tf.constant([1])], [np.array([0, 1])], [1.0], [tf.constant(1.0)],
    ["a"], [(slice(None), [0, 1])], [tf.constant(1, tf.int8)], [slice(None, None, 2.0)],
])
def test_getitem_rejects_other_keys_with_typeerror(key):
    with pytest.raises(TypeError, match=r"Only integers, slices \(`:`\), ellipsis \(`...`\), "
                                        r"tf.newaxis \(`None`\) and scalar tf.int32/tf.int64 "
                                        r"tensors are valid indices, got"):
        tf.constant(X)[key[0]]


@pytest.mark.parametrize("key,msg", [
    (5, "slice index 5 of dimension 0 out of bounds."),
    (-4, "slice index -1 of dimension 0 out of bounds."),
    ((slice(None), 4), "slice index 4 of dimension 1 out of bounds."),
    ((Ellipsis, Ellipsis), "Multiple ellipses in slice spec not allowed"),
    ((1, 2, 3), "Index out of range using input dim 2; input has only 2 dims"),
    (slice(None, None, 0), "strides[0] must be non-zero"),
    ([True, False, True], "Value for attr 'Index' of bool"),
])
def test_getitem_errors(key, msg):
    with pytest.raises(InvalidArgumentError) as e:
        tf.constant(X)[key]
    assert msg in str(e.value)
    assert "StridedSlice" in str(e.value)


def test_getitem_scalar_errors():
    with pytest.raises(InvalidArgumentError, match="Attempting to slice scalar input."):
        tf.constant(5.0)[0]
    with pytest.raises(ValueError, match="mask cannot be scalar."):
        tf.constant(X)[True]
    with pytest.raises(TypeError, match="does not support item assignment"):
        tf.constant(X)[0] = 1.0


def test_getitem_gradient_scatters_into_zeros():
    g = grad_of(lambda x: x[1:, ::-2] * [[1.0, 2.0], [3.0, 4.0]], X)
    want = np.zeros((3, 4), np.float32)
    want[1:, ::-2] = [[1, 2], [3, 4]]
    np.testing.assert_array_equal(g.numpy(), want)
    assert g.dtype == tf.float32
    g2 = grad_of(lambda x: x[None, 0, ..., None] * 2.0, X)
    np.testing.assert_array_equal(g2.numpy(), np.r_[np.full((1, 4), 2.0), np.zeros((2, 4))])


def test_getitem_second_order():
    x = tf.constant([1.0, 2.0, 3.0])
    with tf.GradientTape() as t2:
        t2.watch(x)
        with tf.GradientTape() as t1:
            t1.watch(x)
            y = x[1] ** 3
        g = t1.gradient(y, x)
    np.testing.assert_allclose(g.numpy(), [0, 12, 0])
    np.testing.assert_allclose(t2.gradient(g, x).numpy(), [0, 12, 0])


# -- Variables -----------------------------------------------------------------------------------

def test_variable_slice_gradient_is_dense():
    v = tf.Variable(P)
    with tf.GradientTape() as t:
        y = v[1]
    g = t.gradient(y, v)
    assert type(g) is tf.Tensor
    np.testing.assert_array_equal(g.numpy(), [[0, 0], [1, 1], [0, 0]])


def test_variable_sliced_assign():
    v = tf.Variable(P)
    before = v[0]
    r = v[0].assign([7.0, 8.0])
    assert "UnreadVariable" in repr(r)
    np.testing.assert_array_equal(v.numpy(), [[7, 8], [3, 4], [5, 6]])
    np.testing.assert_array_equal(before.numpy(), [1, 2])  # earlier reads keep their value
    v[1:, 1].assign([9.0, 9.0])
    v[0].assign(3.0)  # broadcast
    np.testing.assert_array_equal(v.numpy(), [[3, 3], [3, 9], [5, 9]])
    with pytest.raises(InvalidArgumentError,
                       match=r"Cannot broadcast input shape \[3\] into final shape \[2\]"):
        v[0].assign([1.0, 2.0, 3.0])
    vi = tf.Variable([1, 2, 3])
    with pytest.raises(TypeError, match="Cannot convert 2.5 to EagerTensor of dtype int32"):
        vi[0].assign(2.5)
    vi[tf.constant(1)].assign(7)
    tf.strided_slice(vi, [2], [3], var=vi).assign([9])
    np.testing.assert_array_equal(vi.numpy(), [1, 7, 9])
    assert not hasattr(tf.constant([1.0, 2.0])[0], "assign")
    with pytest.raises(TypeError, match="'ResourceVariable' object does not support item"):
        v[0] = 3.0


# -- slice / strided_slice -----------------------------------------------------------------------

def test_slice_values_and_errors():
    x = tf.constant(X)
    np.testing.assert_array_equal(tf.slice(x, [1, 1], [-1, 2]).numpy(), [[5, 6], [9, 10]])
    assert tf.slice(x, [3, 0], [0, 2]).shape == (0, 2)
    for begin, size, msg in [([1, 1], [3, 2], "Expected size[0] in [0, 2], but got 3"),
                             ([-1, 0], [1, 2], "Expected begin[0] in [0, 3], but got -1"),
                             ([1, 1], [-2, 2], "Expected size[0] in [0, 2], but got -2"),
                             ([1], [1], "Expected begin and size arguments to be 1-D tensors "
                                        "of size 2, but got shapes [1] and [1] instead.")]:
        with pytest.raises(InvalidArgumentError) as e:
            tf.slice(x, begin, size)
        assert msg in str(e.value)
    g = grad_of(lambda x: tf.slice(x, [1, 1], [-1, 2]), X)
    np.testing.assert_array_equal(g.numpy(), [[0, 0, 0, 0], [0, 1, 1, 0], [0, 1, 1, 0]])


@pytest.mark.parametrize("args,kw,want", [
    (([0, 1], [2, 3]), {}, X[0:2, 1:3]),
    (([0, 1], [2, 3], [1, -1]), {}, X[0:2, 1:3:-1]),
    (([0, 3], [2, 0], [1, -1]), {"end_mask": 2}, X[0:2, 3::-1]),
    (([1, 0], [2, 0]), {"shrink_axis_mask": 1}, X[1, 0:0]),
    (([0, 0], [0, 0]), {"new_axis_mask": 1, "begin_mask": 2, "end_mask": 2}, X[None, :]),
    (([0, 2], [0, 3]), {"ellipsis_mask": 1}, X[..., 2:3]),
    (([1], [2]), {"shrink_axis_mask": 3}, X[1]),
    (([0, 0, 1], [0, 0, 2]), {"ellipsis_mask": 1, "new_axis_mask": 2}, X[..., None, 1:2]),
    (([1], [2]), {"shrink_axis_mask": 1, "new_axis_mask": 1}, X[None]),
    (([1], [2]), {"shrink_axis_mask": 1, "ellipsis_mask": 1}, X[...]),
    (([-1], [3]), {"shrink_axis_mask": 1}, X[-1]),
])
def test_strided_slice_masks(args, kw, want):
    got = tf.strided_slice(tf.constant(X), *args, **kw)
    assert got.shape == want.shape
    np.testing.assert_array_equal(got.numpy(), want)


def test_strided_slice_errors():
    x = tf.constant(X)
    cases = [(([5], [6]), {"shrink_axis_mask": 1}, "slice index 5 of dimension 0 out of bounds."),
             (([1], [2], [0]), {}, "strides[0] must be non-zero"),
             (([1, 2], [2]), {}, "Expected begin, end, and strides to be 1D equal size tensors, "
                                 "but got shapes [2], [1], and [2] instead."),
             (([0, 0], [0, 0]), {"ellipsis_mask": 3}, "Multiple ellipses"),
             (([1.0], [2.0]), {}, "Value for attr 'Index' of float is not in the list")]
    for args, kw, msg in cases:
        with pytest.raises(InvalidArgumentError) as e:
            tf.strided_slice(x, *args, **kw)
        assert msg in str(e.value)


# -- gather --------------------------------------------------------------------------------------

def test_gather_gradient_is_indexed_slices():
    g = grad_of(lambda p: tf.gather(p, [2, 0, 2]), P)
    assert isinstance(g, tf.IndexedSlices)
    np.testing.assert_array_equal(g.values.numpy(), [[1, 1]] * 3)
    np.testing.assert_array_equal(g.indices.numpy(), [2, 0, 2])
    np.testing.assert_array_equal(g.dense_shape.numpy(), [3, 2])
    assert g.dense_shape.dtype == tf.int32
    np.testing.assert_array_equal(tf.convert_to_tensor(g).numpy(), [[1, 1], [0, 0], [2, 2]])


def test_gather_gradient_shapes_of_indices():
    g = grad_of(lambda p: tf.gather(p, [[2, 0], [2, 1]]), P)
    assert g.values.shape == (4, 2) and g.indices.numpy().tolist() == [2, 0, 2, 1]
    g = grad_of(lambda p: tf.gather(p, 1), P)
    assert g.values.shape == (1, 2) and g.indices.numpy().tolist() == [1]
    g = grad_of(lambda p: tf.gather(p, tf.constant([1, 0], tf.int64)), P)
    assert g.indices.dtype == tf.int64 and g.dense_shape.dtype == tf.int32


def test_gather_other_axes_give_dense():
    g = grad_of(lambda p: tf.gather(p, [1, 0, 1], axis=1), P)
    assert type(g) is tf.Tensor
    np.testing.assert_array_equal(g.numpy(), [[1, 2]] * 3)
    g = grad_of(lambda p: tf.gather(p, [1, 0], axis=-2), P)  # not a literal 0: dense, as TF
    assert type(g) is tf.Tensor
    np.testing.assert_array_equal(g.numpy(), [[1, 1], [1, 1], [0, 0]])
    g = grad_of(lambda p: tf.gather(p, [[1], [0], [1]], axis=1, batch_dims=1), P)
    np.testing.assert_array_equal(g.numpy(), [[0, 1], [1, 0], [0, 1]])


def test_gather_values_with_batch_dims():
    q = np.arange(24.0).reshape(2, 3, 4)
    i = [[2, 0], [1, 1]]
    got = tf.gather(tf.constant(q), i, axis=1, batch_dims=1).numpy()
    np.testing.assert_array_equal(got, np.stack([q[0][[2, 0]], q[1][[1, 1]]]))
    got = tf.gather(tf.constant(q), [[2, 0, 1], [1, 1, 3]], axis=2, batch_dims=1).numpy()
    np.testing.assert_array_equal(got, np.stack([q[0][:, [2, 0, 1]], q[1][:, [1, 1, 3]]]))
    np.testing.assert_array_equal(tf.gather(tf.constant(q), [3, 0], axis=-1).numpy(),
                                  q[..., [3, 0]])
    got = tf.gather(tf.constant(P), [[0], [1], [0]], batch_dims=-1).numpy()
    np.testing.assert_array_equal(got, [[1], [4], [5]])


def test_gather_on_variable_and_indices_never_get_gradients():
    v = tf.Variable(P)
    with tf.GradientTape() as t:
        y = tf.gather(v, [2, 0, 2])
    g = t.gradient(y, v)
    assert isinstance(g, tf.IndexedSlices)
    np.testing.assert_array_equal(tf.convert_to_tensor(g).numpy(), [[1, 1], [0, 0], [2, 2]])
    f = tf.constant([0.0, 1.0])
    with tf.GradientTape() as t:
        t.watch(f)
        y = tf.gather(tf.constant(P), tf.cast(f, tf.int32))
    assert t.gradient(y, f) is None
    with tf.GradientTape() as t:
        y = tf.reduce_sum(tf.gather(v, [0]))
    assert isinstance(t.gradient(y, v, unconnected_gradients="zero"), tf.IndexedSlices)


def test_two_gathers_concatenate_in_forward_order():
    v = tf.Variable(P)
    with tf.GradientTape() as t:
        y = (tf.reduce_sum(tf.gather(v, [0])) + tf.reduce_sum(tf.gather(v, [1]) * 2.0)
             + tf.reduce_sum(tf.gather(v, [2, 0]) * 3.0))
    g = t.gradient(y, v)
    assert isinstance(g, tf.IndexedSlices)
    assert g.indices.numpy().tolist() == [0, 1, 2, 0]
    np.testing.assert_array_equal(g.values.numpy(), [[1, 1], [2, 2], [3, 3], [3, 3]])
    with tf.GradientTape() as t:  # int32 with int64 indices: widened to int64, as TF
        y = tf.reduce_sum(tf.gather(v, [0])) + tf.reduce_sum(tf.gather(v, tf.constant([2],
                                                                                   tf.int64)))
    g = t.gradient(y, v)
    assert g.indices.dtype == tf.int64 and g.indices.numpy().tolist() == [0, 2]
    with tf.GradientTape() as t:  # sparse + dense -> dense
        y = tf.reduce_sum(tf.gather(v, [0])) + tf.reduce_sum(v * 2.0)
    g = t.gradient(y, v)
    assert type(g) is tf.Tensor
    np.testing.assert_array_equal(g.numpy(), [[3, 3], [2, 2], [2, 2]])


def test_indexed_slices_flow_into_other_rules():
    x = np.array(P, np.float32)
    g = grad_of(lambda x: tf.gather(tf.exp(x) * 1.0, [1, 1]), x)
    np.testing.assert_allclose(g.numpy(), [[0, 0], 2 * np.exp(x[1]), [0, 0]], rtol=1e-6)
    g = grad_of(lambda x: tf.gather(tf.gather(x, [0, 2]), [1]), x)  # the outer one densified
    assert isinstance(g, tf.IndexedSlices) and g.indices.numpy().tolist() == [0, 2]
    np.testing.assert_array_equal(g.values.numpy(), [[0, 0], [1, 1]])


@pytest.mark.parametrize("idx,msg", [([3], "indices[0] = 3 is not in [0, 3)"),
                                     ([-1], "indices[0] = -1 is not in [0, 3)"),
                                     ([[0, 5]], "indices[0,1] = 5 is not in [0, 3)")])
def test_gather_out_of_range(idx, msg):
    with pytest.raises(InvalidArgumentError) as e:
        tf.gather(tf.constant(P), idx)
    assert msg in str(e.value) and "GatherV2" in str(e.value)


def test_gather_bad_arguments():
    p = tf.constant(P)
    with pytest.raises(InvalidArgumentError, match="Shape must be at least rank 3 but is rank 2"):
        tf.gather(p, [0], axis=2)
    with pytest.raises(InvalidArgumentError, match="Value for attr 'Tindices' of float"):
        tf.gather(p, [0.0])
    with pytest.raises(InvalidArgumentError,
                       match=r"params.shape\[0\]: 3 should be equal to indices.shape\[0\]: 2"):
        tf.gather(p, [[0], [1]], batch_dims=1)
    np.testing.assert_array_equal(tf.gather(p, tf.constant([1], tf.int16)).numpy(), [[3, 4]])


# -- gather_nd -----------------------------------------------------------------------------------

def test_gather_nd_is_differentiable_wrt_params():
    # The seed article claims gather_nd has no gradient; TF 2.21 gives one.
    g = grad_of(lambda p: tf.gather_nd(p, [[1], [0]]), P)
    assert isinstance(g, tf.IndexedSlices)
    assert g.indices.numpy().tolist() == [1, 0]
    np.testing.assert_array_equal(g.values.numpy(), [[1, 1], [1, 1]])
    g = grad_of(lambda p: tf.gather_nd(p, [[0, 0], [1, 1], [0, 0]]), P)
    assert type(g) is tf.Tensor
    np.testing.assert_array_equal(g.numpy(), [[2, 0], [0, 1], [0, 0]])
    g = grad_of(lambda p: tf.gather_nd(p, [[[1]]]), P)
    assert type(g) is tf.Tensor
    np.testing.assert_array_equal(g.numpy(), [[0, 0], [1, 1], [0, 0]])
    g = grad_of(lambda p: tf.gather_nd(p, [[1], [0], [0]], batch_dims=1), P)
    np.testing.assert_array_equal(g.numpy(), [[0, 1], [1, 0], [1, 0]])
    v = tf.Variable(P)
    with tf.GradientTape() as t:
        y = tf.gather_nd(v, [[1], [0]])
    assert isinstance(t.gradient(y, v), tf.IndexedSlices)


def test_gather_nd_values_and_errors():
    q = np.arange(24.0).reshape(2, 3, 4)
    np.testing.assert_array_equal(tf.gather_nd(tf.constant(q), [[1, 2], [0, 0]]).numpy(),
                                  [q[1, 2], q[0, 0]])
    np.testing.assert_array_equal(tf.gather_nd(tf.constant(q), [[[1, 2, 3]]]).numpy(), [[23]])
    np.testing.assert_array_equal(
        tf.gather_nd(tf.constant(q), [[[1, 2]], [[0, 0]]], batch_dims=1).numpy(),
        [[q[0, 1, 2]], [q[1, 0, 0]]])
    assert tf.gather_nd(tf.constant(P), np.zeros((0, 1), np.int32)).shape == (0, 2)
    p = tf.constant(P)
    for idx, msg in [([[3]], "indices[0] = [3] does not index into param shape [3,2]"),
                     ([[-1]], "indices[0] = [-1] does not index into param shape [3,2]"),
                     ([[1, 1], [0, 2]], "indices[1] = [0, 2] does not index into param shape"),
                     ([[0, 0, 0]], "index innermost dimension length must be <= params rank; "
                                   "saw: 3 vs. 2"),
                     ([], "Value for attr 'Tindices' of float")]:
        with pytest.raises(InvalidArgumentError) as e:
            tf.gather_nd(p, idx)
        assert msg in str(e.value)
    np.testing.assert_array_equal(
        tf.gather_nd(p, [[5], [1]], bad_indices_policy="IGNORE").numpy(), [[0, 0], [3, 4]])


# -- scatters ------------------------------------------------------------------------------------

def test_scatter_nd_values_and_gradient():
    np.testing.assert_array_equal(tf.scatter_nd([[1], [1]], [1.0, 2.0], [3]).numpy(), [0, 3, 0])
    np.testing.assert_array_equal(tf.scatter_nd([[0, 1]], [5.0], [2, 2]).numpy(),
                                  [[0, 5], [0, 0]])
    np.testing.assert_array_equal(tf.scatter_nd([[0]], [[5.0, 6.0]], [2, 2]).numpy(),
                                  [[5, 6], [0, 0]])
    r = tf.scatter_nd([[1]], [1], tf.constant([3], tf.int64))
    assert r.dtype == tf.int32 and r.numpy().tolist() == [0, 1, 0]
    m = tf.constant([1.0, 2.0, 3.0, 4.0])
    g = grad_of(lambda u: tf.scatter_nd([[1], [1]], u, [4]) * m, [1.0, 2.0])
    np.testing.assert_array_equal(g.numpy(), [2, 2])
    np.testing.assert_array_equal(
        tf.scatter_nd([[5], [1]], [1.0, 2.0], [3], bad_indices_policy="IGNORE").numpy(), [0, 2, 0])


@pytest.mark.parametrize("call,msg", [
    (lambda: tf.scatter_nd([[3]], [1.0], [3]), "indices[0] = [3] does not index into shape [3]"),
    (lambda: tf.scatter_nd([[-1]], [1.0], [3]), "indices[0] = [-1] does not index into shape"),
    (lambda: tf.scatter_nd([[1]], [1.0, 2.0], [3]),
     "Dimensions [0,1) of indices[shape=[1,1]] must match dimensions [0,1) of updates[shape=[2]]"),
    (lambda: tf.scatter_nd([[1]], [7.0], [3, 2]),
     "Dimensions [1,2) of input[shape=[3,2]] must match dimensions [1,1) of updates[shape=[1]]"),
    (lambda: tf.scatter_nd([1], 7.0, [3]), "Updates shape must have rank at least one. Found:[]"),
    (lambda: tf.tensor_scatter_nd_update([1.0, 2.0, 3.0], [[5]], [1.0]),
     "indices[0] = [5] does not index into shape [3]"),
    (lambda: tf.tensor_scatter_nd_update(tf.constant(P), [[1]], [7.0, 8.0]),
     "Outer dimensions of indices and update must match. Indices shape: [1,1], updates "
     "shape:[2]"),
    (lambda: tf.tensor_scatter_nd_update(tf.constant(P), [[0, 1, 1]], [7.0]),
     "Inner dimensions of output shape must match inner dimensions of updates shape. "
     "Output: [3,2] updates: [1]"),
    (lambda: tf.tensor_scatter_nd_update([1.0], [[0]], tf.constant([7.0], tf.float64)),
     "cannot compute TensorScatterUpdate as input #2(zero-based) was expected to be a float "
     "tensor but is a double tensor"),
    (lambda: tf.tensor_scatter_nd_update([1.0], [[0.0]], [7.0]),
     "Value for attr 'Tindices' of float is not in the list of allowed values: int16, int32, "
     "int64, uint16"),
])
def test_scatter_errors(call, msg):
    with pytest.raises(InvalidArgumentError) as e:
        call()
    assert msg in str(e.value)


def test_tensor_scatter_values():
    t = [1.0, 2.0, 3.0]
    cases = [(tf.tensor_scatter_nd_update, [[1], [1]], [7.0, 8.0], [1, 8, 3]),
             (tf.tensor_scatter_nd_update, [[1]], [7], [1, 7, 3]),
             (tf.tensor_scatter_nd_add, [[1], [1]], [7.0, 8.0], [1, 17, 3]),
             (tf.tensor_scatter_nd_sub, [[1], [1]], [7.0, 8.0], [1, -13, 3]),
             (tf.tensor_scatter_nd_max, [[1], [1]], [7.0, 8.0], [1, 8, 3]),
             (tf.tensor_scatter_nd_min, [[1], [2]], [0.0, 9.0], [1, 0, 3])]
    for fn, idx, upd, want in cases:
        r = fn(t, idx, upd)
        assert r.dtype == tf.float32
        np.testing.assert_array_equal(r.numpy(), want)
    r = tf.tensor_scatter_nd_add(tf.constant([1, 2]), [[1]], [7])
    assert r.dtype == tf.int32 and r.numpy().tolist() == [1, 9]
    r = tf.tensor_scatter_nd_update(tf.constant([True, False]), [[1]], [True])
    assert r.numpy().tolist() == [True, True]
    r = tf.tensor_scatter_nd_add([1.0, 2.0], [[5]], [1.0], bad_indices_policy="IGNORE")
    assert r.numpy().tolist() == [1.0, 2.0]


T0, U0, MULT = [1.0, 2.0, 3.0, 4.0], [10.0, 20.0], tf.constant([1.0, 2.0, 3.0, 4.0])


@pytest.mark.parametrize("fn,idx,upd,dt,du", [
    (tf.tensor_scatter_nd_update, [[1], [3]], U0, [1, 0, 3, 0], [2, 4]),
    (tf.tensor_scatter_nd_update, [[1], [1]], U0, [1, 0, 3, 4], [2, 2]),  # both duplicates
    (tf.tensor_scatter_nd_add, [[1], [1]], U0, [1, 2, 3, 4], [2, 2]),
    (tf.tensor_scatter_nd_sub, [[1], [1]], U0, [1, 2, 3, 4], [-2, -2]),
    (tf.tensor_scatter_nd_max, [[1], [3]], [2.0, 0.5], [1, 1, 3, 4], [1, 0]),  # tie shares
    (tf.tensor_scatter_nd_max, [[1], [3]], [2.0, 4.0], [1, 1, 3, 2], [1, 2]),
    (tf.tensor_scatter_nd_max, [[1], [1]], [5.0, 5.0], [1, 0, 3, 4], [1, 1]),
    (tf.tensor_scatter_nd_min, [[1], [3]], [2.0, 0.5], [1, 1, 3, 0], [1, 4]),
    (tf.tensor_scatter_nd_min, [[1], [3]], [2.0, 4.0], [1, 1, 3, 2], [1, 2]),
])
def test_tensor_scatter_gradients(fn, idx, upd, dt, du):
    gt, gu = grad_of(lambda t, u: fn(t, idx, u) * MULT, T0, upd)
    np.testing.assert_array_equal(gt.numpy(), dt)
    np.testing.assert_array_equal(gu.numpy(), du)


# -- boolean_mask --------------------------------------------------------------------------------

def test_boolean_mask():
    x = [1.5, -2.5, 3.7, 0.0]
    g = grad_of(lambda x: tf.boolean_mask(x, x > 0) * 2, x)
    assert type(g) is tf.Tensor
    np.testing.assert_array_equal(g.numpy(), [2, 0, 2, 0])
    x2 = tf.constant(X)
    np.testing.assert_array_equal(tf.boolean_mask(x2, [[True] * 4] * 3).numpy(), X.reshape(-1))
    np.testing.assert_array_equal(tf.boolean_mask(x2, [1, 0, 1]).numpy(), X[[0, 2]])
    m = [True, False, True, True]
    np.testing.assert_array_equal(tf.boolean_mask(x2, m, axis=1).numpy(), X[:, np.array(m)])
    g = grad_of(lambda x: tf.boolean_mask(x, m, axis=1), X)
    np.testing.assert_array_equal(g.numpy(), [[1, 0, 1, 1]] * 3)
    for mask, kw, msg in [([True, False], {}, r"Shapes \(3,\) and \(2,\) are incompatible"),
                          (True, {}, "mask cannot be scalar."),
                          (m, {"axis": -1}, r"Shapes \(\) and \(4,\) are incompatible")]:
        with pytest.raises(ValueError, match=msg):
            tf.boolean_mask(x2, mask, **kw)


# -- IndexedSlices -------------------------------------------------------------------------------

def _slices(dense_shape=(3, 2)):
    shape = None if dense_shape is None else tf.constant(list(dense_shape))
    return tf.IndexedSlices(tf.constant([[1.0, 2.0]]), tf.constant([1]), shape)


def test_indexed_slices_densify():
    np.testing.assert_array_equal(tf.convert_to_tensor(_slices()).numpy(), [[0, 0], [1, 2], [0, 0]])
    dup = tf.IndexedSlices(tf.constant([[1.0, 2.0], [3.0, 4.0]]), tf.constant([1, 1]),
                           tf.constant([3, 2]))
    np.testing.assert_array_equal(tf.convert_to_tensor(dup).numpy(), [[0, 0], [4, 6], [0, 0]])
    with pytest.raises(ValueError) as e:
        tf.convert_to_tensor(_slices(None))
    assert str(e.value).startswith("Tensor conversion requested for IndexedSlices for argument "
                                   "`value` without dense_shape: IndexedSlices(indices=tf.Tensor(")
    with pytest.raises(ValueError, match="Incompatible tensor conversion requested to `dtype` "
                                         "float64 for IndexedSlices"):
        tf.convert_to_tensor(_slices(), dtype=tf.float64)


def test_indexed_slices_arithmetic():
    g, d = _slices(), tf.ones([3, 2])
    want = [[1, 1], [2, 3], [1, 1]]
    for r in (g + d, d + g, tf.add(g, d)):
        assert type(r) is tf.Tensor
        np.testing.assert_array_equal(r.numpy(), want)
    n = -g
    assert isinstance(n, tf.IndexedSlices)
    np.testing.assert_array_equal(n.values.numpy(), [[-1, -2]])
    with pytest.raises(TypeError, match=r"unsupported operand type\(s\) for \*: 'IndexedSlices' "
                                        r"and 'float'"):
        g * 2.0
    with pytest.raises(TypeError, match="'IndexedSlices' and 'IndexedSlices'"):
        g + g
    with pytest.raises(TypeError, match="'IndexedSlices' and 'float'"):
        g + 1.0
    with pytest.raises(TypeError, match="'float' and 'IndexedSlices'"):
        1.0 + g
    with pytest.raises(AttributeError, match="'IndexedSlices' object has no attribute 'numpy'"):
        g.numpy()
    assert g.shape == (3, 2) and g.dtype == tf.float32


# -- autopacking ---------------------------------------------------------------------------------

def test_convert_to_tensor_packs_tensors():
    c = tf.constant
    r = tf.convert_to_tensor([c(1.0), 2])
    assert r.dtype == tf.float32 and r.numpy().tolist() == [1, 2]
    assert tf.convert_to_tensor([1, c(2.0)]).dtype == tf.float32
    assert tf.convert_to_tensor((c(1.0), c(2.0))).numpy().tolist() == [1, 2]
    assert tf.convert_to_tensor([tf.Variable(1.0), 2.0]).numpy().tolist() == [1, 2]
    r = tf.convert_to_tensor([[c(1.0), 2.0], [3.0, 4.0]])
    assert r.numpy().tolist() == [[1, 2], [3, 4]]
    r = tf.convert_to_tensor([c(1.0), 2], dtype=tf.float64)
    assert r.dtype == tf.float64 and r.numpy().tolist() == [1, 2]
    with pytest.raises(InvalidArgumentError, match=r"Shapes of all inputs must match: "
                                                   r"values\[0\].shape = \[\] != values\[1\]"
                                                   r".shape = \[1\]"):
        tf.convert_to_tensor([c(1.0), c([2.0])])
    with pytest.raises(InvalidArgumentError, match="was expected to be a float tensor but is a "
                                                   "double tensor"):
        tf.convert_to_tensor([c(1.0), c(2.0, tf.float64)])
    with pytest.raises(TypeError, match="Cannot convert 2.5 to EagerTensor of dtype int32"):
        tf.convert_to_tensor([c(1), 2.5])
    g = grad_of(lambda x: tf.convert_to_tensor([x[0] * 2, x[1] * 3, 5.0]), [1.0, 2.0])
    np.testing.assert_array_equal(g.numpy(), [2, 3])
