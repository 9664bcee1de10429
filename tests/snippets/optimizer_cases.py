"""Optimizer and tf.compat.v1 patterns (seed 001, the compat parts of seed 000, tf_semantics.md
sections 2 and 6). They depend on tapegrad.optimizers / tapegrad.compat.v1 and start passing when
those land."""
import warnings

import numpy as np

from .codec import Deliberate, outcome, snippet


def _quadratic_grads(tf, x):
    with tf.GradientTape() as g:
        loss = x ** 2
    return g.gradient(loss, [x])


@snippet("optimizer")
def s000_compat_v1_assign_result_as_source(tf):
    v = tf.Variable(1.0)
    with tf.GradientTape() as g:
        updated = tf.compat.v1.assign(v, v + 1.0)
        loss = v * 2.0
    return [g.gradient(loss, updated), v.numpy()]


@snippet("optimizer")
def s001_v1_gradient_descent_applies_eagerly(tf):
    x = tf.Variable(1.0, name="x")
    opt = tf.compat.v1.train.GradientDescentOptimizer(learning_rate=0.1)
    grads = _quadratic_grads(tf, x)
    result = opt.apply_gradients(zip(grads, [x]))
    return [grads, result, x.numpy()]


@snippet("optimizer")
def s001_v1_session_on_empty_graph(tf):
    init = tf.compat.v1.global_variables_initializer()
    with tf.compat.v1.Session() as sess:
        sess.run(init)
    return [init, "no error"]


@snippet("optimizer", msg=False)
def s001_v1_train_module_has_no_apply_gradients(tf):
    x = tf.Variable(0.0)
    grads = _quadratic_grads(tf, x)
    return tf.compat.v1.train.apply_gradients(zip(grads, [x]))


@snippet("optimizer")
def s001_manual_update_with_assign_sub(tf):
    x = tf.Variable(1.0)
    seen = []
    for _ in range(3):
        (grad,) = _quadratic_grads(tf, x)
        x.assign_sub(grad * 0.1)
        seen.append(float(x.numpy()))
    return seen


@snippet("optimizer")
def s001_manual_update_at_minimum_is_silent(tf):
    x = tf.Variable(0.0)
    (grad,) = _quadratic_grads(tf, x)
    x.assign_sub(grad * 0.1)
    return [grad, x.numpy()]


@snippet("optimizer")
def keras_sgd_apply_gradients(tf):
    x = tf.Variable(1.0)
    opt = tf.keras.optimizers.SGD(learning_rate=0.1)
    it = opt.apply_gradients(zip(_quadratic_grads(tf, x), [x]))
    return [x.numpy(), int(it.numpy()), it.dtype]


@snippet("optimizer", msg=False)
def keras_apply_gradients_rejects_global_step(tf):
    x = tf.Variable(1.0)
    opt = tf.keras.optimizers.SGD(learning_rate=0.1)
    step = tf.Variable(0, dtype=tf.int64)
    return opt.apply_gradients(zip(_quadratic_grads(tf, x), [x]), global_step=step)


@snippet("optimizer")
def keras_all_gradients_none(tf):
    x = tf.Variable(1.0)
    opt = tf.keras.optimizers.SGD(learning_rate=0.1)
    return opt.apply_gradients([(None, x)])


@snippet("optimizer")
def keras_partial_none_warns_and_skips(tf):
    a = tf.Variable(1.0)
    b = tf.Variable(5.0)
    opt = tf.keras.optimizers.SGD(learning_rate=0.1)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        opt.apply_gradients([(tf.constant(2.0), a), (None, b)])
    texts = [str(w.message) for w in caught]
    return [a.numpy(), b.numpy(), any("Gradients do not exist for variables" in t
                                      for t in texts)]


@snippet("optimizer", deliberate=Deliberate(
    tf=AttributeError("'SGD' object has no attribute 'minimize'"),
    tapegrad=[None, np.float32(0.8)],
    why="Keras 3 dropped Optimizer.minimize; TF programs still call it, so tapegrad keeps "
        "minimize(loss, var_list, tape=None) (issue 4)"))
def keras_optimizer_has_no_minimize(tf):
    x = tf.Variable(1.0)
    opt = tf.keras.optimizers.SGD(learning_rate=0.1)
    result = opt.minimize(lambda: x * x, [x])
    return [result, x.numpy()]


@snippet("optimizer")
def keras_adam_three_steps(tf):
    x = tf.Variable([1.0, -2.0, 3.0])
    a = tf.constant([1.0, 2.0, 0.5])
    b = tf.constant([0.1, -0.3, 0.2])
    opt = tf.keras.optimizers.Adam(learning_rate=0.1)
    out = []
    for _ in range(3):
        with tf.GradientTape() as g:
            loss = tf.reduce_sum(0.5 * a * x * x + b * x)
        opt.apply_gradients(zip(g.gradient(loss, [x]), [x]))
        out.append(x.numpy())
    return out


@snippet("optimizer")
def v1_minimize_needs_callable(tf):
    x = tf.Variable(1.0)
    opt = tf.compat.v1.train.GradientDescentOptimizer(0.1)
    return opt.minimize(x * x, var_list=[x])


@snippet("optimizer")
def v1_minimize_callable_and_global_step(tf):
    # The global step is process-wide (one per default graph): start from a fresh graph so the
    # outcome does not depend on which programs ran before in the same process.
    tf.compat.v1.reset_default_graph()
    x = tf.Variable(1.0)
    step = tf.compat.v1.train.get_or_create_global_step()
    opt = tf.compat.v1.train.GradientDescentOptimizer(0.1)
    r1 = opt.minimize(lambda: x * x, global_step=step)
    r2 = opt.minimize(lambda: x * x, global_step=step)
    return [r1, r2, x.numpy(), int(step.numpy())]


@snippet("optimizer")
def v1_compute_gradients(tf):
    v = tf.Variable(1.0)
    opt = tf.compat.v1.train.GradientDescentOptimizer(0.1)
    pairs = opt.compute_gradients(lambda: 3.0 * v * v, var_list=[v])
    return [[g, var is v] for g, var in pairs]


@snippet("optimizer", msg=False)
def v1_all_gradients_none(tf):
    v = tf.Variable([1.0, 2.0])
    opt = tf.compat.v1.train.GradientDescentOptimizer(0.1)
    return opt.apply_gradients([(None, v)])


@snippet("optimizer")
def v1_partial_none_skipped_silently(tf):
    a = tf.Variable(1.0)
    b = tf.Variable(5.0)
    opt = tf.compat.v1.train.GradientDescentOptimizer(0.5)
    r = opt.apply_gradients([(tf.constant(2.0), a), (None, b)])
    return [r, a.numpy(), b.numpy()]


@snippet("optimizer")
def nan_gradient_reaches_optimizer(tf):
    x = tf.Variable(0.0)
    opt = tf.keras.optimizers.SGD(learning_rate=0.1)
    with tf.GradientTape() as g:
        loss = tf.sqrt(x) * tf.sqrt(x) + x / x
    grads = g.gradient(loss, [x])
    opt.apply_gradients(zip(grads, [x]))
    return [grads, outcome(lambda: x.numpy())]
