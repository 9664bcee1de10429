"""GradientTape behaviours, part 1 (tf_semantics.md sections 1.1-1.8): watching, targets and
sources, unconnected sources, dtypes, persistence, stop_recording/reset, watch() arguments."""
import numpy as np

from .codec import outcome, snippet


# -- 1.1 what is recorded / watched ----------------------------------------------------------------

@snippet("tape")
def constant_not_watched(tf):
    a = tf.constant(3.0)
    with tf.GradientTape() as g:
        b = a * a
    return g.gradient(b, a)


@snippet("tape")
def constant_watched(tf):
    a = tf.constant(3.0)
    with tf.GradientTape() as g:
        g.watch(a)
        b = a * a
    return g.gradient(b, a)


@snippet("tape")
def computed_before_tape_is_invisible(tf):
    a = tf.constant(2.0)
    b = a * 5.0
    with tf.GradientTape() as g:
        g.watch(a)
        c = b + 1.0
    return g.gradient(c, a)


@snippet("tape")
def variable_auto_watched(tf):
    v = tf.Variable([1.0, -2.0])
    with tf.GradientTape() as g:
        loss = tf.reduce_sum(v * v * v)
    return g.gradient(loss, v)


@snippet("tape")
def variable_created_inside_tape(tf):
    with tf.GradientTape() as g:
        v = tf.Variable(2.0)
        y = v * v
    return [g.gradient(y, v), len(g.watched_variables())]


@snippet("tape")
def non_trainable_not_auto_watched(tf):
    v = tf.Variable(3.0)
    n = tf.Variable(4.0, trainable=False)
    with tf.GradientTape() as g:
        y = v * n
    watched = g.watched_variables()
    return [g.gradient(y, [v, n]), len(watched), watched[0] is v]


@snippet("tape")
def non_trainable_explicit_watch(tf):
    v = tf.Variable(3.0)
    n = tf.Variable(4.0, trainable=False)
    with tf.GradientTape() as g:
        g.watch(n)
        y = v * n
    return g.gradient(y, [v, n])


@snippet("tape")
def watch_accessed_variables_false(tf):
    v = tf.Variable(2.0)
    u = tf.Variable(3.0)
    with tf.GradientTape(watch_accessed_variables=False) as g:
        g.watch(u)
        y = v * u
    watched = g.watched_variables()
    return [g.gradient(y, [v, u]), len(watched), watched[0] is u]


@snippet("tape")
def watched_variables_order_and_after_release(tf):
    a = tf.Variable(1.0)
    b = tf.Variable(2.0)
    with tf.GradientTape() as g:
        y = b * a
    before = [w is b for w in g.watched_variables()]
    g.gradient(y, [a, b])
    after = g.watched_variables()
    return [before, len(after), after[0] is a, after[1] is b]


@snippet("tape")
def int_variable_watched_but_no_gradient(tf):
    v = tf.Variable(3)
    with tf.GradientTape() as g:
        y = v * v
    watched = g.watched_variables()
    return [g.gradient(y, v), len(watched), watched[0].dtype]


@snippet("tape")
def two_tapes_record_together(tf):
    a = tf.constant(3.0)
    with tf.GradientTape() as g1, tf.GradientTape() as g2:
        g1.watch(a)
        g2.watch(a)
        y = a * a
    return [g1.gradient(y, a), g2.gradient(y, a)]


@snippet("tape")
def reenter_finished_tape_appends(tf):
    a = tf.constant(3.0)
    g = tf.GradientTape()
    with g:
        g.watch(a)
        y = a * a
    with g:
        z = a * y
    return g.gradient(z, a)


@snippet("tape")
def reenter_active_tape(tf):
    g = tf.GradientTape()
    with g:
        with g:
            pass
    return "no error"


# -- 1.2 targets and sources -----------------------------------------------------------------------

@snippet("tape")
def nonscalar_target_is_summed(tf):
    a = tf.constant([1.0, 2.0])
    with tf.GradientTape() as g:
        g.watch(a)
        y = a * a
    return g.gradient(y, a)


@snippet("tape")
def list_of_targets_summed(tf):
    a = tf.constant([1.0, 2.0])
    with tf.GradientTape() as g:
        g.watch(a)
        ts = [a * 2.0, tf.reduce_sum(a) * 3.0, a[0]]
    return g.gradient(ts, a)


@snippet("tape")
def nested_targets_and_sources(tf):
    a = tf.constant(2.0)
    w = tf.constant([1.0, 3.0])
    with tf.GradientTape() as g:
        g.watch([a, w])
        out = {"a": a * a, "b": {"p": a * w, "q": [w * w]}}
    return g.gradient(out, {"x": a, "w": [w, (w,)]})


@snippet("tape")
def intermediate_as_source(tf):
    a = tf.constant(2.0)
    with tf.GradientTape(persistent=True) as g:
        g.watch(a)
        y = a * a
        z = y * 3.0
    return [g.gradient(z, y), g.gradient([y, z], [a, y])]


@snippet("tape")
def empty_sources(tf):
    a = tf.constant(1.0)
    with tf.GradientTape() as g:
        g.watch(a)
        y = a * 2.0
    return g.gradient(y, [])


@snippet("tape")
def tuple_sources_stay_tuple(tf):
    a = tf.constant(1.5)
    with tf.GradientTape() as g:
        g.watch(a)
        y = a * a
    return g.gradient(y, (a,))


@snippet("tape")
def target_is_source_tensor(tf):
    a = tf.constant([1.0, 4.0])
    with tf.GradientTape() as g:
        g.watch(a)
    return g.gradient(a, a)


@snippet("tape")
def target_is_unread_variable(tf):
    v = tf.Variable(5.0)
    with tf.GradientTape() as g:
        y = v
    return g.gradient(y, v)


@snippet("tape")
def gradient_dtype_follows_source(tf):
    a = tf.constant(1.5, tf.float64)
    with tf.GradientTape() as g:
        g.watch(a)
        y = tf.cast(a, tf.float32) * 2.0
    return g.gradient(y, a)


@snippet("tape")
def zero_times_x_is_connected(tf):
    a = tf.constant(3.0)
    with tf.GradientTape() as g:
        g.watch(a)
        y = 1.0 + 0.0 * a
    return g.gradient(y, a)


@snippet("tape")
def complex_conjugate_convention(tf):
    a = tf.constant(3.0 + 1.0j)
    b = tf.constant(3.0 + 4.0j)
    with tf.GradientTape(persistent=True) as g:
        g.watch([a, b])
        y = a * a
        m = tf.abs(b)
    return [g.gradient(y, a), g.gradient(m, b)]


@snippet("tape")
def source_listed_twice(tf):
    a = tf.constant(2.0)
    with tf.GradientTape() as g:
        g.watch(a)
        y = a * a * a
    return g.gradient(y, [a, a])


# -- 1.3 unconnected sources -----------------------------------------------------------------------

@snippet("tape")
def unconnected_default_none(tf):
    a = tf.constant(1.0)
    w = tf.constant([1.0, 2.0])
    with tf.GradientTape() as g:
        g.watch([a, w])
        y = a * 2.0
    return g.gradient(y, [a, w])


@snippet("tape")
def unconnected_zero_string(tf):
    a = tf.constant(1.0)
    w = tf.constant([1.0, 2.0])
    with tf.GradientTape() as g:
        g.watch([a, w])
        y = a * 2.0
    return g.gradient(y, [a, w], unconnected_gradients="zero")


@snippet("tape")
def unconnected_zero_enum(tf):
    w = tf.constant([[1.0], [2.0]], tf.float64)
    a = tf.constant(1.0)
    with tf.GradientTape() as g:
        g.watch([a, w])
        y = a * a
    return g.gradient(y, w, unconnected_gradients=tf.UnconnectedGradients.ZERO)


@snippet("tape")
def unconnected_zero_int_source(tf):
    a = tf.constant(1.0)
    n = tf.constant(4)
    with tf.GradientTape() as g:
        g.watch(a)
        y = a * 2.0
    return g.gradient(y, n, unconnected_gradients="zero")


@snippet("tape")
def unconnected_bogus_value(tf):
    a = tf.constant(1.0)
    with tf.GradientTape() as g:
        g.watch(a)
        y = a * 2.0
    return g.gradient(y, a, unconnected_gradients="bogus")


@snippet("tape")
def unconnected_enum_values(tf):
    return sorted(m.value for m in tf.UnconnectedGradients)


@snippet("tape")
def through_no_gradient_ops_zero(tf):
    a = tf.constant([1.2, -0.4, 2.6])
    with tf.GradientTape() as g:
        g.watch(a)
        y = tf.cast(tf.argmax(a), tf.float32) + tf.reduce_sum(tf.round(a))
    return g.gradient(y, a, unconnected_gradients="zero")


# -- 1.4 integer and bool dtypes -------------------------------------------------------------------

@snippet("tape")
def watch_int_tensor_gives_none(tf):
    n = tf.constant(3)
    with tf.GradientTape() as g:
        g.watch(n)
        y = n * n
    return g.gradient(y, n)


@snippet("tape")
def int_target_gives_none(tf):
    a = tf.constant(3.0)
    with tf.GradientTape() as g:
        g.watch(a)
        y = tf.cast(a * a, tf.int32)
    return g.gradient(y, a)


@snippet("tape")
def int_to_float_cast_has_no_path(tf):
    n = tf.constant(3)
    with tf.GradientTape() as g:
        g.watch(n)
        y = tf.cast(n, tf.float32) * 2.0
    return g.gradient(y, n)


@snippet("tape")
def float16_and_float64_differentiate(tf):
    out = []
    for dt in (tf.float16, tf.float64):
        a = tf.constant(3.0, dt)
        with tf.GradientTape() as g:
            g.watch(a)
            y = a * a
        out.append(g.gradient(y, a))
    return out


@snippet("tape")
def bool_watched_target_is_source(tf):
    b = tf.constant(True)
    with tf.GradientTape() as g:
        g.watch(b)
    return g.gradient(b, b)


# -- 1.5 / 1.6 persistence and calls inside the block ----------------------------------------------

@snippet("tape")
def second_gradient_non_persistent(tf):
    a = tf.constant(2.0)
    with tf.GradientTape() as g:
        g.watch(a)
        y = a * a
    g.gradient(y, a)
    return g.gradient(y, a)


@snippet("tape")
def gradient_after_jacobian(tf):
    a = tf.constant([1.0, 2.0])
    with tf.GradientTape() as g:
        g.watch(a)
        y = a * a
    j = g.jacobian(y, a)
    return [j, outcome(lambda: g.gradient(y, a))]


@snippet("tape")
def gradient_on_never_entered_tape(tf):
    a = tf.constant(2.0)
    g = tf.GradientTape()
    return g.gradient(a * a, a)


@snippet("tape")
def persistent_many_calls(tf):
    a = tf.constant(3.0)
    with tf.GradientTape(persistent=True) as g:
        g.watch(a)
        y = a * a
        z = y * a
    return [g.gradient(y, a), g.gradient(z, a), g.gradient(z, y),
            g.jacobian(z, a)]


@snippet("tape")
def gradient_inside_block_non_persistent(tf):
    a = tf.constant(3.0)
    with tf.GradientTape() as g:
        g.watch(a)
        y = a * a
        first = g.gradient(y, a)
        z = y * a
    return [first, outcome(lambda: g.gradient(z, a))]


@snippet("tape")
def gradient_inside_block_persistent_is_recorded(tf):
    v = tf.Variable(3.0)
    with tf.GradientTape(persistent=True) as g:
        y = v * v
        first = g.gradient(y, v)
    return [first, g.gradient(first, v)]


# -- 1.7 stop_recording and reset ------------------------------------------------------------------

@snippet("tape")
def stop_recording_hides_ops(tf):
    a = tf.constant(4.0)
    with tf.GradientTape() as g:
        g.watch(a)
        with g.stop_recording():
            y = a ** 2
        z = a ** 3
    return g.gradient([y, z], a)


@snippet("tape")
def stop_recording_never_entered(tf):
    g = tf.GradientTape()
    with g.stop_recording():
        pass
    return "no error"


@snippet("tape")
def stop_recording_after_exit(tf):
    a = tf.constant(1.0)
    with tf.GradientTape() as g:
        g.watch(a)
    with g.stop_recording():
        pass
    return "no error"


@snippet("tape")
def reset_drops_watch_of_constant(tf):
    a = tf.constant(4.0)
    with tf.GradientTape() as g:
        g.watch(a)
        y = a ** 2
        g.reset()
        z = a ** 3
        total = y + z
    return g.gradient(total, a)


@snippet("tape")
def reset_variable_rewatched_on_read(tf):
    v = tf.Variable(4.0)
    with tf.GradientTape() as g:
        y = v ** 2
        g.reset()
        z = v ** 3
        total = y + z
    return g.gradient(total, v)


@snippet("tape")
def stop_recording_outer_inside_inner(tf):
    a = tf.constant(3.0)
    with tf.GradientTape() as outer:
        outer.watch(a)
        with tf.GradientTape() as inner:
            inner.watch(a)
            y = a * a
        with outer.stop_recording():
            ignored = a * 10.0
        dy = inner.gradient(y, a)
    return [dy, outer.gradient(dy, a), ignored]


# -- 1.8 watch() arguments -------------------------------------------------------------------------

@snippet("tape")
def watch_python_float(tf):
    with tf.GradientTape() as g:
        g.watch(3.0)
    return "no error"


@snippet("tape")
def watch_numpy_array(tf):
    with tf.GradientTape() as g:
        g.watch(np.ones(2, np.float32))
    return "no error"


@snippet("tape")
def watch_list_with_none(tf):
    a = tf.constant(1.0)
    with tf.GradientTape() as g:
        g.watch([a, None])
    return "no error"


@snippet("tape")
def watch_nested_structure(tf):
    a = tf.constant(1.0)
    b = tf.constant([2.0, 3.0])
    with tf.GradientTape() as g:
        g.watch({"first": a, "rest": [(b,)]})
        y = a * tf.reduce_sum(b)
    return g.gradient(y, {"a": a, "b": b})
