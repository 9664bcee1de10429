"""Differences found by differential fuzzing against TF 2.21 (random small programs), pinned
after the fix: infinities in gradients, Python-side dtype checks that raise TypeError/ValueError
before any kernel, and which check comes first."""
from .codec import outcome, snippet


@snippet("outcome")
def where_unselected_branch_stays_zero_under_inf_upstream(tf):
    # sqrt'(0) is inf; the branch where() did not pick must still get 0, not inf * 0 = nan.
    x = tf.constant([0.0, 4.0])
    y = tf.constant([0.0, 1.0])
    c = tf.constant([False, True])
    with tf.GradientTape() as g:
        g.watch([x, y])
        z = tf.sqrt(tf.where(c, x, y))
    return g.gradient(z, [x, y])


@snippet("outcome")
def pow_exponent_gradient_at_infinite_base(tf):
    # d/dy x**y uses log(x) only where x > 0, else 0: at x = -inf that 0 must not become nan.
    x = tf.constant([-float("inf"), 2.0, 0.0])
    y = tf.constant([-1.5, 2.0, 3.0])
    with tf.GradientTape() as g:
        g.watch([x, y])
        z = tf.pow(x, y)
    return [z, g.gradient(z, y)]


@snippet("outcome")
def truediv_dtype_checks_raise_type_error(tf):
    f32 = tf.constant([1.0, 2.0])
    f64 = tf.constant([1.0, 2.0], tf.float64)
    i32 = tf.constant([1, 2])
    b = tf.constant([True, False])
    return [outcome(lambda: tf.math.divide(f64, f32)), outcome(lambda: tf.math.truediv(i32, f32)),
            outcome(lambda: f32 / b), outcome(lambda: b / b), outcome(lambda: b / f32)]


@snippet("outcome")
def norm_of_bool_raises_type_error(tf):
    b = tf.constant([True, False])
    return [outcome(lambda: tf.norm(b)), outcome(lambda: tf.norm(b, axis=0)),
            outcome(lambda: tf.linalg.norm([True]))]


@snippet("outcome", msg=False)
def reduce_variance_checks_axis_and_bool_in_mean_first(tf):
    # The mean is taken before the integer check: a bad axis or bool input fails there.
    i32 = tf.constant([[1, 2], [3, 4]])
    return [outcome(lambda: tf.math.reduce_variance(i32, axis=2)),
            outcome(lambda: tf.math.reduce_std(i32, axis=[0, 0])),
            outcome(lambda: tf.math.reduce_variance(tf.constant([True]))),
            outcome(lambda: tf.math.reduce_std(i32, axis=0)),
            tf.math.reduce_variance(tf.constant([[1.0, 2.0], [4.0, 8.0]]), axis=[0, -1])]


@snippet("outcome", msg=False)
def reduce_all_any_dtype_checked_before_axis(tf):
    f32 = tf.constant([1.0, 2.0])
    return [outcome(lambda: tf.reduce_all(f32, axis=3)),
            outcome(lambda: tf.reduce_any(tf.constant([1, 0]), axis=-1)),
            outcome(lambda: tf.reduce_all([1, 0])),
            tf.reduce_any([True, False], axis=[0])]


@snippet("outcome")
def reduce_all_any_list_axis_on_non_bool_raises_value_error(tf):
    f32 = tf.constant([1.0, 2.0])
    return [outcome(lambda: tf.reduce_all(f32, axis=[0])),
            outcome(lambda: tf.reduce_any(f32, axis=[-1]))]


@snippet("outcome")
def gather_gradient_through_clip_check_numerics_cast(tf):
    # gather's IndexedSlices gradient reaches each rule: clip and check_numerics densify it,
    # Cast keeps it sparse (the result's kind is compared too).
    x = tf.constant([[1.0, 2.0], [3.0, 4.0]])
    wraps = [lambda v: tf.clip_by_value(v, 1.5, 3.5),
             lambda v: tf.debugging.check_numerics(v, "m"),
             lambda v: tf.cast(v, tf.float64)]
    out = []
    for wrap in wraps:
        with tf.GradientTape() as g:
            g.watch(x)
            y = tf.gather(wrap(x), [0, 0])
        out.append(g.gradient(y, x))
    return out


@snippet("outcome")
def numpy_values_cast_as_numpy_casts(tf):
    # NumPy arrays and scalars take the requested dtype as NumPy's astype would (truncation,
    # wrap-around, the real part); Python values must convert without loss.
    import numpy as np
    cases = [(np.array([1.0, 0.0]), tf.bool), (np.array([1.5, -2.7]), tf.int32),
             (np.float64(1.5), tf.int32), (np.array([300]), tf.uint8),
             (np.array([1 + 2j]), tf.float32), (np.int64(5), tf.bool),
             ([1.0, 0.0], tf.bool), ([1.5], tf.int32), (1.5, tf.int32)]
    return [outcome(lambda v=v, d=d: tf.convert_to_tensor(v, dtype=d)) for v, d in cases] + \
        [outcome(lambda: tf.reduce_all(np.array([1.0, 0.0])))]


@snippet("outcome")
def multiply_operator_with_a_bool_tensor_is_logical_and(tf):
    # `*` (not tf.multiply) with a bool tensor on either side gives a bool logical and; the
    # other side counts as True where it truncates to a nonzero integer.
    import numpy as np
    b = tf.constant([True, True, True, True, True, False])
    f = tf.constant([2.7, -1.2, -0.9, 0.5, float("nan"), 3.0])
    v = tf.Variable([2.0, 0.0, 1.0, 0.0, 1.0, 1.0])
    return [outcome(lambda: b * f), outcome(lambda: f * b), outcome(lambda: v * b),
            outcome(lambda: b * 2), outcome(lambda: 2 * b), outcome(lambda: True * b),
            outcome(lambda: b * [1.0, 0.0, 1.0, 0.0, 1.0, 1.0]),
            outcome(lambda: [1.0, 0.0, 1.0, 0.0, 1.0, 1.0] * b),
            outcome(lambda: np.array([0.5, 1.0, 2.0, 0.0, 1.0, 1.0]) * b),
            outcome(lambda: f * True)]
