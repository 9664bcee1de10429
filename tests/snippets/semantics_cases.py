"""Behaviours of tf_semantics.md sections 1 to 5 that the other *_cases modules leave out
(found by going through those sections line by line): dtype corners of watch(), jacobians of
sparse gradients, forward-mode tangents, and a few op outcomes at the edges of section 3."""
import numpy as np

from .codec import Deliberate, outcome, snippet

# -- 1.4 integer / bool / complex dtypes -----------------------------------------------------------


@snippet("tape")
def watch_int_and_bool_tensors_zero_mode(tf):
    n = tf.constant([3, 4])
    b = tf.constant([True, False])
    x = tf.constant(2.0)
    with tf.GradientTape(persistent=True) as g:
        g.watch([n, b, x])
        y = tf.cast(n, tf.float32) * x + tf.cast(b, tf.float32) * x
    return [g.gradient(y, [n, b, x]),
            g.gradient(y, [n, b, x], unconnected_gradients="zero")]


@snippet("tape")
def complex_differentiates_like_float(tf):
    out = []
    for dt in (tf.complex64, tf.complex128):
        a = tf.constant(3.0, dt)
        with tf.GradientTape() as g:
            g.watch(a)
            y = a * a
        out.append(g.gradient(y, a))
    return out


@snippet("tape")
def float16_source_keeps_its_dtype_through_float32_path(tf):
    a = tf.constant([1.5, 2.0], tf.float16)
    with tf.GradientTape() as g:
        g.watch(a)
        y = tf.cast(a, tf.float32) ** 2
    return g.gradient(y, a)


# -- 1.7 / 1.8 when watch() and reset() take effect -------------------------------------------------

@snippet("tape")
def watch_on_never_entered_tape(tf):
    g = tf.GradientTape()
    return [outcome(lambda: g.watch(tf.constant(2.0))), outcome(lambda: g.watch(tf.Variable(1.0))),
            outcome(lambda: g.watch(3.0)), g.watched_variables()]


@snippet("tape")
def watch_after_release(tf):
    a = tf.constant(2.0)
    with tf.GradientTape() as g:
        g.watch(a)
        y = a * a
        first = g.gradient(y, a)
        inside = outcome(lambda: g.watch(a))
    return [first, inside, outcome(lambda: g.watch(a))]


@snippet("tape")
def watch_while_no_tape_records_is_ignored(tf):
    a = tf.constant(2.0)
    n = tf.Variable(3.0, trainable=False)
    with tf.GradientTape(persistent=True) as g:
        pass
    g.watch([a, n])  # after the block: nothing on this thread records
    after = len(g.watched_variables())
    with g:
        y = a * a + n * n
    with tf.GradientTape() as h:
        with h.stop_recording():
            h.watch([a, n])
        z = a * a + n * n
    return [after, g.gradient(y, [a, n]), h.gradient(z, [a, n]), len(h.watched_variables())]


@snippet("tape")
def watch_counts_while_another_tape_records(tf):
    a = tf.constant(2.0)
    inner = tf.GradientTape(persistent=True)
    with inner:
        pass
    with tf.GradientTape():
        inner.watch(a)
        with inner:
            y = a * a
    return inner.gradient(y, a)


@snippet("tape")
def reset_needs_a_recording_tape(tf):
    a = tf.constant(2.0)
    fresh = tf.GradientTape()
    with tf.GradientTape() as g:
        g.watch(a)
        with g.stop_recording():
            paused = outcome(g.reset)
        y = a * a
    return [outcome(fresh.reset), paused, outcome(g.reset), g.gradient(y, a)]


# -- 1.12 / 1.13 jacobians -------------------------------------------------------------------------

@snippet("tape")
def jacobian_of_gather_is_dense(tf):
    p = tf.constant([1.0, 2.0, 3.0])
    with tf.GradientTape() as g:
        g.watch(p)
        y = tf.gather(p, [2, 0, 2]) * tf.constant([1.0, 2.0, 3.0])
    return g.jacobian(y, p)


@snippet("tape")
def jacobian_of_variable_gather_rows(tf):
    v = tf.Variable([[1.0, 2.0], [3.0, 4.0]])
    with tf.GradientTape() as g:
        y = tf.reduce_sum(tf.gather(v, [1, 1]), axis=1)
    return g.jacobian(y, v)


@snippet("tape")
def batch_jacobian_elementwise(tf):
    x = tf.constant([[1.0, 2.0], [3.0, 4.0]])
    with tf.GradientTape() as g:
        g.watch(x)
        y = x * x
    return g.batch_jacobian(y, x)


@snippet("tape")
def batch_jacobian_counts_as_the_one_use(tf):
    x = tf.constant([[1.0, 2.0]])
    with tf.GradientTape() as g:
        g.watch(x)
        y = x * 3.0
    j = g.batch_jacobian(y, x)
    return [j, outcome(lambda: g.gradient(y, x))]


# -- 1.14 forward mode -----------------------------------------------------------------------------

@snippet("forward_mode", deliberate=Deliberate(
    tf=np.array([6.0, 12.0], np.float32), tapegrad=np.float32(18.0),
    why="TF pushes each tangent through each op, so a tangent broadcast against its primal "
        "makes a batch of JVPs; tapegrad computes JVPs by the double-VJP trick over the whole "
        "block, whose result always has the target's shape (the broadcast terms are summed)"))
def forward_accumulator_tangent_shape_not_checked(tf):
    a = tf.constant(3.0)
    with tf.autodiff.ForwardAccumulator(primals=a, tangents=tf.constant([1.0, 2.0])) as acc:
        y = a * a
    return acc.jvp(y).numpy()


@snippet("forward_mode")
def forward_accumulator_variable_primal(tf):
    v = tf.Variable(2.0)
    with tf.autodiff.ForwardAccumulator(primals=v, tangents=tf.constant(0.5)) as acc:
        y = v ** 3
    return acc.jvp(y)


# -- 2 variables -----------------------------------------------------------------------------------

@snippet("variable")
def two_reads_around_assign_sub_and_assign(tf):
    x = tf.Variable([1.0, 2.0])
    with tf.GradientTape() as g:
        y = x * 2.0
        x.assign_sub([0.5, 0.5])
        x.assign(x * 4.0)
        z = y * x
    return [g.gradient(z, x), x.numpy()]


@snippet("variable")
def unread_variable_read_value_outside_tape_is_constant(tf):
    # Reading what assign* returned does not watch the variable; it is recorded only once a
    # plain read (or watch) has: r * x keeps x's read only, x * r keeps both.
    x = tf.Variable(2.0)
    r = x.assign_add(1.0)
    out = []
    for build in (lambda: r * x, lambda: x * r, lambda: r * r):
        with tf.GradientTape() as g:
            y = build()
        out.append(g.gradient(y, x))
    with tf.GradientTape() as g:
        g.watch(x)
        y = r * r
    return out + [g.gradient(y, r), r.name, r.trainable]


@snippet("variable")
def assign_inside_tape_watches_when_it_reads(tf):
    out = []
    for kw in ({}, {"read_value": False}):
        x = tf.Variable(2.0)
        n = tf.Variable(2.0, trainable=False)
        with tf.GradientTape() as g:
            x.assign_sub(1.0, **kw)
            n.assign(1.0, **kw)
            y = tf.constant(3.0) * 2.0
        out.append([len(g.watched_variables()),
                    g.gradient(y, [x, n], unconnected_gradients="zero")])
    return out


@snippet("variable")
def unread_variable_made_under_stop_recording(tf):
    x = tf.Variable(2.0)
    with tf.GradientTape() as g:
        with g.stop_recording():
            r = x.assign(3.0)
        y = r * 2.0 + r.assign_add(1.0) * 1.0
    return [len(g.watched_variables()), g.gradient(y, x)]


# -- 3 edges of the outcome table ------------------------------------------------------------------

def _grad(tf, values, build):
    x = tf.constant(values)
    with tf.GradientTape() as g:
        g.watch(x)
        y = build(x)
    return [y, g.gradient(y, x)]


@snippet("outcome")
def op_pow_half_at_zero_is_inf(tf):
    return _grad(tf, [0.0, 4.0], lambda x: x ** 0.5)


@snippet("outcome")
def op_where_sqrt_of_negative_gets_zero(tf):
    # The untaken branch is NaN at negatives and its upstream is 0: sqrt's rule gives 0 there.
    return _grad(tf, [1.5, -2.5, 3.7, 0.0], lambda x: tf.where(x > 0, tf.sqrt(x), 0.0))


@snippet("outcome")
def op_where_log_of_zero_gets_nan(tf):
    # log's rule multiplies (0 * inf): the guard does not help, unlike sqrt.
    return _grad(tf, [2.0, 0.0], lambda x: tf.where(x > 0, tf.math.log(x), 0.0))


@snippet("outcome")
def op_abs_and_relu_at_zero_vector(tf):
    return _grad(tf, [0.0, -0.0, 1.0], lambda x: tf.abs(x) * 2.0 + tf.nn.relu(x))


@snippet("outcome")
def op_cast_float64_gradient_dtype(tf):
    out = _grad(tf, [1.0, 2.0], lambda x: tf.cast(x, tf.float64) * 3.0)
    return [out[1], out[1].dtype]


@snippet("outcome")
def op_unique_on_path_raises_only_when_reached(tf):
    x = tf.constant([1.0, 2.0, 1.0])
    with tf.GradientTape(persistent=True) as g:
        g.watch(x)
        u = tf.unique(x).y
        side = x * 3.0
        both = tf.reduce_sum(u) + tf.reduce_sum(side)
    return [g.gradient(side, x), outcome(lambda: g.gradient(both, x))]


@snippet("outcome")
def reshape_infers_unknown_dim_of_empty_tensors(tf):
    def text(thunk):
        try:
            return list(thunk().shape)
        except Exception as e:  # noqa: BLE001 - TF's text without its kernel prefix and suffix
            return [type(e).__name__, str(e).split("}} ")[-1].split(" [Op:")[0]]
    empty, six = tf.zeros([3, 0]), tf.zeros([6])
    return [text(lambda: tf.reshape(empty, [-1, 0])), text(lambda: tf.reshape(empty, [-1, 2, 0])),
            text(lambda: tf.reshape(empty, [0, -1])), text(lambda: tf.reshape(tf.zeros([0]), [-1])),
            text(lambda: tf.reshape(six, [-1, 4])), text(lambda: tf.reshape(six, [4, 2]))]


@snippet("outcome")
def gather_gradient_of_params_with_an_empty_dim(tf):
    p = tf.zeros([3, 0])
    with tf.GradientTape() as g:
        g.watch(p)
        y = tf.gather(p, [2, 0, 2])
    grad = g.gradient(y, p)
    return [grad, tf.convert_to_tensor(grad)]


@snippet("outcome")
def indexed_slices_value_norms(tf):
    # The norms of an IndexedSlices use its values: duplicates are not summed first.
    dup = tf.IndexedSlices(tf.constant([[1.0, 2.0], [3.0, 4.0]]), tf.constant([1, 1]),
                           tf.constant([3, 2]))
    clipped, norm = tf.clip_by_global_norm([dup, tf.constant([2.0])], 1.0)
    return [tf.norm(dup), tf.norm(tf.convert_to_tensor(dup)), tf.clip_by_norm(dup, 1.0), clipped,
            norm]
