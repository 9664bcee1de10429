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
    # (An empty Python list also raises, but TF's message varies with the process's history.)
    x = tf.constant([[1.0, 2.0, 3.0], [4.0, 5.0, 6.0]])
    return [outcome(lambda: tf.split(tf.constant(1.0), 2, axis=0)),
            outcome(lambda: tf.split(x, 2, axis=2)),
            outcome(lambda: tf.split(x, [1, 2], axis=-3)),
            outcome(lambda: tf.split(x, [-1], axis=1)),
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


@snippet("outcome", rtol=1e-6, atol=1e-7)
def keras_losses_compute_in_float32_and_align_weight_rank(tf):
    # Keras casts inputs to the loss dtype (floatx); weights one rank short gain a trailing 1.
    yt = tf.constant([[0.5], [1.5], [-1.0]], tf.float64)
    yp = tf.constant([[1.0], [1.0], [0.25]], tf.float64)
    sw = tf.constant([1.0, 0.0, 2.0])
    with tf.GradientTape() as g:
        g.watch(yp)
        mse = tf.keras.losses.MeanSquaredError()(yt, yp)
    bce = tf.keras.losses.BinaryCrossentropy(axis=1)(
        tf.constant([[[1.0]], [[0.0]]]), tf.constant([[[0.8]], [[0.3]]]),
        sample_weight=tf.constant([2.0, 0.5]))
    return [mse, g.gradient(mse, yp), tf.keras.losses.Huber()(yt[:, 0], yp[:, 0], sample_weight=sw),
            bce, tf.keras.losses.MeanAbsoluteError(dtype="float64")(yt, yp)]


@snippet("outcome", msg=False, rtol=1e-6, atol=1e-7)  # Keras lists the reductions from a set
def keras_loss_reductions_mean_with_sample_weight_and_scalars(tf):
    yt = tf.constant([[1.0, 2.0], [3.0, 4.0]])
    yp = tf.constant([[1.5, 2.0], [2.0, 5.0]])
    sw = tf.constant([0.5, 2.0])
    mws = tf.keras.losses.MeanSquaredError(reduction="mean_with_sample_weight")
    return [mws(yt, yp, sample_weight=sw), mws(yt, yp),
            mws(yt, yp, sample_weight=tf.zeros([2])),
            tf.keras.losses.MeanSquaredError(reduction="sum")(yt[0], yp[0]),
            outcome(lambda: tf.keras.losses.Huber(reduction="average"))]


@snippet("outcome", rtol=1e-6, atol=1e-7)
def keras_sparse_crossentropy_ignore_class_axis_and_label_smoothing_classes(tf):
    logits = tf.constant([[2.0, 0.5, -1.0], [0.1, 0.2, 0.3], [1.0, -1.0, 0.0]])
    labels = tf.constant([0, 2, 1])
    ign = tf.keras.losses.SparseCategoricalCrossentropy(from_logits=True, ignore_class=2)
    none = tf.keras.losses.SparseCategoricalCrossentropy(from_logits=True, ignore_class=2,
                                                         reduction="none")
    with tf.GradientTape() as g:
        g.watch(logits)
        loss = ign(labels, logits, sample_weight=tf.constant([1.0, 3.0, 0.5]))
    cce = tf.keras.losses.CategoricalCrossentropy(label_smoothing=0.1, axis=0)
    return [loss, g.gradient(loss, logits), none(labels, logits), ign(labels, logits),
            outcome(lambda: tf.keras.losses.SparseCategoricalCrossentropy(axis=0)(
                labels, tf.nn.softmax(logits))),
            tf.keras.losses.SparseCategoricalCrossentropy(axis=1)(labels, tf.nn.softmax(logits)),
            cce(tf.constant([[1.0, 0.0], [0.0, 1.0], [0.0, 0.0]]),
                tf.constant([[0.7, 0.2], [0.2, 0.5], [0.1, 0.3]])),
            outcome(lambda: cce(tf.constant([1.0, 0.0]), tf.constant([0.6, 0.4])))]
