"""Second round of differential fuzzing against TF 2.21 (indexing and shape ops, tape
behaviours, Keras losses and optimizers): each difference found, pinned after the fix."""
from .codec import outcome, snippet


@snippet("outcome", msg=False)
def roll_shift_and_axis_shapes_must_match(tf):
    # TF compares the shapes: a scalar shift with a one-element axis list fails, as does rank 2.
    x = tf.constant([[1.0, 2.0, 3.0], [4.0, 5.0, 6.0]])
    return [outcome(lambda: tf.roll(x, shift=1, axis=[0])),
            outcome(lambda: tf.roll(x, shift=[1], axis=0)),
            outcome(lambda: tf.roll(x, shift=[[1]], axis=[[0]])),
            tf.roll(x, shift=[1], axis=[1]), tf.roll(x, shift=-1, axis=0)]


@snippet("outcome", msg=False)
def split_checks_axis_range_single_size_and_empty_sizes(tf):
    x = tf.constant([[1.0, 2.0, 3.0], [4.0, 5.0, 6.0]])
    return [outcome(lambda: tf.split(tf.constant(1.0), 2, axis=0)),
            outcome(lambda: tf.split(x, 2, axis=2)),
            outcome(lambda: tf.split(x, [1, 2], axis=-3)),
            outcome(lambda: tf.split(x, [-1], axis=1)),
            outcome(lambda: tf.split(x, [], axis=0)),
            outcome(lambda: tf.split(x, tf.constant([], tf.int32), axis=0)),
            tf.split(x, [3], axis=1), tf.split(x, [-1, 1], axis=-1)]


@snippet("outcome", msg=False)
def strided_slice_shrink_axis_with_negative_stride_raises(tf):
    x = tf.reshape(tf.range(12.0), [3, 4])
    return [outcome(lambda: tf.strided_slice(x, [1], [0], [-1], shrink_axis_mask=1)),
            outcome(lambda: tf.strided_slice(x, [-1, 0], [0, 4], [-2, 1], begin_mask=1,
                                             shrink_axis_mask=1)),
            tf.strided_slice(x, [1], [0], [2], shrink_axis_mask=1),
            tf.strided_slice(x, [0, 3], [3, 0], [1, -1], shrink_axis_mask=1)]


@snippet("outcome")
def gather_negative_batch_dims_default_axis_and_scalar_index_gradient(tf):
    # With axis omitted TF passes batch_dims itself as the axis: -1 is params' last axis.
    x = tf.reshape(tf.range(6.0), [2, 1, 3])
    i = tf.constant([[0, 2, 1], [1, 1, 0]])
    v = tf.constant([1.0, 2.0, 3.0, 4.0])
    m = tf.reshape(tf.range(8.0), [1, 2, 4])
    with tf.GradientTape(persistent=True) as g:
        g.watch([x, v, m])
        y = tf.gather(x, i, batch_dims=-1)
        s = tf.gather(v, 2, axis=-1) * 3.0   # a scalar result through the dense rule
        t = tf.gather(m, 0, axis=-3)
    return [y, g.gradient(y, x), s, g.gradient(s, v), g.gradient(t, m)]


@snippet("outcome", msg=False)
def pad_paddings_must_be_a_two_column_matrix(tf):
    import numpy as np
    s = tf.constant(2.0)
    return [outcome(lambda: tf.pad(s, [])), outcome(lambda: tf.pad(s, [], mode="REFLECT")),
            outcome(lambda: tf.pad(s, tf.constant([], tf.int32))),
            outcome(lambda: tf.pad(tf.constant([1.0]), [[1]])),
            tf.pad(s, np.zeros((0, 2), np.int32)), tf.pad(s, tf.zeros([0, 2], tf.int32))]


@snippet("outcome", msg=False)
def scatter_into_empty_output_and_bool_arithmetic_scatters_raise(tf):
    z = tf.zeros([3, 0])
    b = tf.constant([True, False])
    none = tf.zeros([0, 1], tf.int32)
    return [outcome(lambda: tf.tensor_scatter_nd_update(z, [[1]], tf.zeros([1, 0]))),
            outcome(lambda: tf.tensor_scatter_nd_max(z, [[1]], tf.zeros([1, 0]))),
            outcome(lambda: tf.scatter_nd([[1]], tf.zeros([1, 0]), [3, 0])),
            tf.tensor_scatter_nd_update(z, none, tf.zeros([0, 0])),
            outcome(lambda: tf.tensor_scatter_nd_add(b, [[0]], [True])),
            outcome(lambda: tf.tensor_scatter_nd_sub(b, none, tf.zeros([0], tf.bool))),
            outcome(lambda: tf.tensor_scatter_nd_min(b, [[0]], [True])),
            outcome(lambda: tf.tensor_scatter_nd_max(b, [[0]], [True])),
            tf.tensor_scatter_nd_update(b, [[1]], [True]), tf.scatter_nd([[0]], [True], [2])]


@snippet("outcome", msg=False)
def gather_nd_from_empty_params_raises(tf):
    z = tf.zeros([3, 0])
    return [outcome(lambda: tf.gather_nd(z, [[1]])), outcome(lambda: tf.gather_nd(z, [[1, 0]])),
            outcome(lambda: tf.gather_nd(tf.Variable(tf.zeros([1, 0, 1])), [[0]])),
            tf.gather_nd(z, tf.zeros([0, 1], tf.int32)), tf.gather(z, [1])]
