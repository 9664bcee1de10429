"""GradientTape behaviours, part 2 (tf_semantics.md sections 1.9-1.14): higher order,
output_gradients, invalid targets and sources, jacobians, forward mode."""
import numpy as np

from .codec import kind, snippet


# -- 1.9 higher order ------------------------------------------------------------------------------

@snippet("tape")
def second_order_constant(tf):
    a = tf.constant(3.0)
    with tf.GradientTape() as outer:
        outer.watch(a)
        with tf.GradientTape() as inner:
            inner.watch(a)
            y = a ** 3
        dy = inner.gradient(y, a)
    return [dy, outer.gradient(dy, a)]


@snippet("tape")
def second_order_variable(tf):
    v = tf.Variable(3.0)
    with tf.GradientTape() as outer:
        with tf.GradientTape() as inner:
            y = v * v * v
        dy = inner.gradient(y, v)
    return [dy, outer.gradient(dy, v)]


@snippet("tape")
def inner_gradient_after_outer_exit(tf):
    a = tf.constant(3.0)
    with tf.GradientTape() as outer:
        outer.watch(a)
        with tf.GradientTape() as inner:
            inner.watch(a)
            y = a ** 3
    dy = inner.gradient(y, a)
    return [dy, outer.gradient(dy, a)]


@snippet("tape")
def third_order(tf):
    a = tf.constant(2.0)
    with tf.GradientTape() as g3:
        g3.watch(a)
        with tf.GradientTape() as g2:
            g2.watch(a)
            with tf.GradientTape() as g1:
                g1.watch(a)
                y = a ** 4
            d1 = g1.gradient(y, a)
        d2 = g2.gradient(d1, a)
    return [d1, d2, g3.gradient(d2, a)]


@snippet("tape")
def hessian_vector_via_nested_tapes(tf):
    a = tf.constant([1.0, 2.0])
    with tf.GradientTape() as outer:
        outer.watch(a)
        with tf.GradientTape() as inner:
            inner.watch(a)
            y = tf.reduce_sum(a * a * a) + a[0] * a[1]
        grad = inner.gradient(y, a)
        gv = tf.reduce_sum(grad * tf.constant([1.0, -1.0]))
    return [grad, outer.gradient(gv, a)]


# -- 1.10 output_gradients -------------------------------------------------------------------------

@snippet("tape")
def output_gradients_scale_seed(tf):
    a = tf.constant([1.0, 2.0])
    with tf.GradientTape() as g:
        g.watch(a)
        y = a * a
    return g.gradient(y, a, output_gradients=tf.constant([10.0, 100.0]))


@snippet("tape")
def output_gradients_none_entry(tf):
    a = tf.constant([1.0, 2.0])
    with tf.GradientTape() as g:
        g.watch(a)
        y = a * a
        z = a * 3.0
    return g.gradient([y, z], a, output_gradients=[tf.constant([1.0, 1.0]), None])


@snippet("tape")
def output_gradients_python_list_is_flattened(tf):
    a = tf.constant([1.0, 2.0])
    with tf.GradientTape() as g:
        g.watch(a)
        y = a * a
    return g.gradient(y, a, output_gradients=[1.0, 2.0])


@snippet("tape", msg=False)
def output_gradients_incompatible_shape(tf):
    a = tf.constant([1.0, 2.0])
    with tf.GradientTape() as g:
        g.watch(a)
        y = a * a
    return g.gradient(y, a, output_gradients=tf.constant([1.0, 2.0, 3.0]))


@snippet("tape")
def output_gradients_broadcast_scalar(tf):
    a = tf.constant([1.0, 2.0])
    with tf.GradientTape() as g:
        g.watch(a)
        y = a * 3.0
    return g.gradient(y, a, output_gradients=tf.constant(2.0))


@snippet("tape", msg=False)
def output_gradients_dtype_mismatch(tf):
    a = tf.constant([1.0, 2.0], tf.float64)
    with tf.GradientTape() as g:
        g.watch(a)
        y = a * a
    return g.gradient(y, a, output_gradients=tf.constant([1.0, 1.0], tf.float32))


# -- 1.11 invalid targets and sources --------------------------------------------------------------

def _tape_on(tf):
    a = tf.constant(2.0)
    with tf.GradientTape() as g:
        g.watch(a)
        y = a * a
    return g, a, y


@snippet("tape")
def target_none(tf):
    g, a, y = _tape_on(tf)
    return g.gradient(None, a)


@snippet("tape")
def target_python_float(tf):
    g, a, y = _tape_on(tf)
    return g.gradient(3.0, a)


@snippet("tape")
def target_numpy_scalar(tf):
    g, a, y = _tape_on(tf)
    return g.gradient(y.numpy(), a)


@snippet("tape")
def target_numpy_array(tf):
    a = tf.constant([1.0, 2.0])
    with tf.GradientTape() as g:
        g.watch(a)
        y = a * a
    return g.gradient(np.asarray(y), a)


@snippet("tape")
def target_list_with_none(tf):
    g, a, y = _tape_on(tf)
    return g.gradient([y, None], a)


@snippet("tape")
def source_python_float(tf):
    g, a, y = _tape_on(tf)
    return g.gradient(y, 2.0)


@snippet("tape")
def source_none(tf):
    g, a, y = _tape_on(tf)
    return g.gradient(y, None)


@snippet("tape")
def source_list_with_none(tf):
    g, a, y = _tape_on(tf)
    return g.gradient(y, [a, None])


@snippet("tape")
def target_unrelated_constant(tf):
    g, a, y = _tape_on(tf)
    return g.gradient(tf.constant(5.0), a)


# -- 1.12 / 1.13 jacobians -------------------------------------------------------------------------

@snippet("tape")
def jacobian_matmul_shapes(tf):
    x = tf.constant([[1.0, 2.0], [3.0, 4.0], [5.0, 6.0]])
    w = tf.constant([[1.0], [2.0]])
    with tf.GradientTape(persistent=True) as g:
        g.watch([x, w])
        y = tf.matmul(x, w)
    jx, jw = g.jacobian(y, x), g.jacobian(y, w)
    return [jx.shape, jw.shape, jx, jw]


@snippet("tape")
def jacobian_reduction_shape(tf):
    x = tf.constant([[1.0, 2.0], [3.0, 4.0]])
    with tf.GradientTape() as g:
        g.watch(x)
        y = tf.reduce_sum(x * x, axis=0)
    return g.jacobian(y, x)


@snippet("tape")
def jacobian_scalar(tf):
    a = tf.constant(3.0)
    with tf.GradientTape() as g:
        g.watch(a)
        y = a * a
    return g.jacobian(y, a)


@snippet("tape")
def jacobian_not_summed(tf):
    a = tf.constant([1.0, 2.0])
    with tf.GradientTape() as g:
        g.watch(a)
        y = a * a
    return g.jacobian(y, a)


@snippet("tape")
def jacobian_structure_and_unconnected(tf):
    a = tf.constant([1.0, 2.0])
    u = tf.constant([7.0])
    with tf.GradientTape(persistent=True) as g:
        g.watch([a, u])
        y = a * 3.0
    return [g.jacobian(y, {"a": a, "u": u}),
            g.jacobian(y, [u], unconnected_gradients="zero")]


@snippet("tape")
def jacobian_without_pfor_needs_persistent(tf):
    a = tf.constant([1.0, 2.0])
    with tf.GradientTape() as g:
        g.watch(a)
        y = a * a
    return g.jacobian(y, a, experimental_use_pfor=False)


@snippet("tape")
def jacobian_without_pfor_persistent(tf):
    a = tf.constant([1.0, 2.0])
    with tf.GradientTape(persistent=True) as g:
        g.watch(a)
        y = a * a * a
    return g.jacobian(y, a, experimental_use_pfor=False)


@snippet("tape")
def batch_jacobian_matmul(tf):
    x = tf.constant([[1.0, 2.0], [3.0, 4.0], [5.0, 6.0]])
    w = tf.constant([[1.0], [2.0]])
    with tf.GradientTape() as g:
        g.watch(x)
        y = tf.matmul(x, w)
    return g.batch_jacobian(y, x)


@snippet("tape")
def batch_jacobian_shape(tf):
    x = tf.constant([[1.0, 2.0], [3.0, 4.0]])
    with tf.GradientTape() as g:
        g.watch(x)
        y = tf.concat([x * x, x[:, :1] * x[:, 1:]], axis=1)
    return g.batch_jacobian(y, x)


@snippet("tape")
def batch_jacobian_rank_one(tf):
    x = tf.constant([1.0, 2.0])
    with tf.GradientTape() as g:
        g.watch(x)
        y = x * x
    return g.batch_jacobian(y, x)


@snippet("tape")
def batch_jacobian_batch_mismatch(tf):
    x = tf.constant([[1.0, 2.0], [3.0, 4.0]])
    with tf.GradientTape() as g:
        g.watch(x)
        y = tf.ones([3, 1]) * tf.reduce_sum(x)
    return g.batch_jacobian(y, x)


@snippet("tape")
def batch_jacobian_unconnected_is_zeros(tf):
    x = tf.constant([[1.0, 2.0], [3.0, 4.0]])
    s = tf.constant([[1.0], [2.0]])
    with tf.GradientTape() as g:
        g.watch([x, s])
        y = x * 2.0
    return g.batch_jacobian(y, s)


@snippet("tape")
def batch_jacobian_without_pfor_needs_persistent(tf):
    x = tf.constant([[1.0, 2.0]])
    with tf.GradientTape() as g:
        g.watch(x)
        y = x * x
    return g.batch_jacobian(y, x, experimental_use_pfor=False)


@snippet("tape")
def result_kinds(tf):
    v = tf.Variable([1.0, 2.0])
    with tf.GradientTape() as g:
        y = v * v
    return [kind(y), kind(v), kind(g.gradient(y, v))]


# -- 1.14 forward mode -----------------------------------------------------------------------------

@snippet("forward_mode")
def forward_accumulator_jvp(tf):
    a = tf.constant(3.0)
    with tf.autodiff.ForwardAccumulator(primals=a, tangents=tf.constant(1.0)) as acc:
        y = a ** 3
        z = tf.constant(2.0) * 4.0
    return [acc.jvp(y), acc.jvp(z), acc.jvp(z, unconnected_gradients="zero")]


@snippet("forward_mode")
def forward_over_back(tf):
    a = tf.constant(2.0)
    with tf.GradientTape() as g:
        g.watch(a)
        with tf.autodiff.ForwardAccumulator(primals=a, tangents=tf.constant(1.0)) as acc:
            y = a ** 3
        j = acc.jvp(y)
    return [j, g.gradient(j, a)]
