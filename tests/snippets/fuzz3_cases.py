"""Third round of differential fuzzing against TF 2.21 (GradientTape behaviours on random small
programs): each difference found, pinned after the fix."""
from .codec import outcome, snippet


@snippet("outcome")
def target_that_is_the_source_gives_its_seed_unwatched(tf):
    # TF matches target and source by identity before looking at what the tape watched.
    x = tf.constant([1.0, 2.0])
    i = tf.constant(3)
    v = tf.Variable([1.0, 2.0])
    u = tf.Variable(3.0, trainable=False)
    with tf.GradientTape(persistent=True, watch_accessed_variables=False) as t:
        y = x * 2.0
    return [t.gradient([x, x], [x]), t.gradient(v, [v, x]), t.gradient(u, u),
            t.gradient(i, i), t.gradient(x, x, output_gradients=tf.constant([3.0, 4.0])),
            t.gradient([x, y], x, unconnected_gradients="zero"), t.jacobian(x, x)]


@snippet("outcome", msg=False)
def batch_jacobian_checks_shapes_before_persistence(tf):
    # A scalar target fails on indexing its first dimension (IndexError); rank and first-dim
    # checks come before the persistent=True requirement of experimental_use_pfor=False.
    x = tf.constant([1.0, 2.0])
    res = []
    for make in (lambda: x * x, lambda: tf.reduce_sum(x * x)):
        with tf.GradientTape() as t:
            t.watch(x)
            y = make()
        res.append(outcome(lambda: t.batch_jacobian(y, x, experimental_use_pfor=False)))
    with tf.GradientTape() as t:
        t.watch(x)
        y = tf.reshape(x * 2.0, [1, 2])
    res.append(outcome(lambda: t.batch_jacobian(y, tf.reshape(x, [2, 1]),
                                                experimental_use_pfor=False)))
    with tf.GradientTape() as t:
        t.watch(x)
        y = x * 2.0
    res += [t.gradient(y, x), outcome(lambda: t.jacobian(y, x, experimental_use_pfor=False)),
            outcome(lambda: t.batch_jacobian(y, x, experimental_use_pfor=False))]
    return res


@snippet("outcome", msg=False)
def jacobian_rows_take_the_target_dtype_without_pfor(tf):
    # Without pfor TF stacks rows in an array of the target's dtype: a gradient of another
    # dtype fails to be written; batch_jacobian with no path gives zeros of the target's dtype.
    x = tf.constant([[1.0, 2.0]], tf.float64)
    with tf.GradientTape(persistent=True) as t:
        t.watch(x)
        y = tf.cast(x * 2.0, tf.float32)
        s = tf.stop_gradient(y)
    res = []
    for pfor in (True, False):
        res += [outcome(lambda: t.batch_jacobian(y, x, experimental_use_pfor=pfor)),
                outcome(lambda: t.batch_jacobian(s, x, experimental_use_pfor=pfor)),
                outcome(lambda: t.jacobian(y, x, experimental_use_pfor=pfor)),
                outcome(lambda: t.jacobian(s, x, experimental_use_pfor=pfor)),
                outcome(lambda: t.jacobian(s, x, experimental_use_pfor=pfor,
                                           unconnected_gradients="zero"))]
    return res
