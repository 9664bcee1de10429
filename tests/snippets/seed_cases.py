"""The patterns of the seed articles (tf_semantics.md section 7), as our own short programs.

Each snippet reproduces what one article's example tries, with the outcome TF 2.21 really
gives (often not what the article claims). Optimizer and tf.compat.v1 patterns (seed 001 and
parts of 000) live in optimizer_cases.py.
"""
import numpy as np

from .codec import outcome, snippet

# -- seed 000: "'Operation' object has no attribute 'compute_gradients'" ---------------------------


@snippet("seed", msg=False)
def s000_tf_assign_does_not_exist(tf):
    v = tf.Variable(1.0)
    with tf.GradientTape():
        tf.assign(v, v + 1.0)
    return "no error"


@snippet("seed")
def s000_new_tensor_instead_of_assign(tf):
    v = tf.Variable(1.0)
    with tf.GradientTape() as g:
        bumped = v + 1.0
        loss = bumped * 2.0
    return [g.gradient(loss, v), bumped]


def _diag_gather(tf, a, idx):
    rows = tf.range(tf.shape(idx)[0])
    return tf.gather_nd(a, tf.stack([rows, idx], axis=1))


@snippet("seed")
def s000_gather_nd_wrt_output_of_unwatched(tf):
    a = tf.constant([[1.0, 2.0], [3.0, 4.0]])
    idx = tf.constant([0, 1])
    with tf.GradientTape() as g:
        picked = _diag_gather(tf, a, idx)
        loss = tf.reduce_sum(picked)
    return [picked, g.gradient(loss, picked)]


@snippet("seed")
def s000_gather_nd_with_watched_params(tf):
    a = tf.constant([[1.0, 2.0], [3.0, 4.0]])
    idx = tf.constant([0, 1])
    with tf.GradientTape() as g:
        g.watch(a)
        picked = _diag_gather(tf, a, idx)
        loss = tf.reduce_sum(picked)
    return g.gradient(loss, [picked, a])


@snippet("seed")
def s000_float_index_cast_does_not_help(tf):
    a = tf.constant([[1.0, 2.0], [3.0, 4.0]])
    fidx = tf.constant([0.0, 1.0])
    with tf.GradientTape() as g:
        picked = _diag_gather(tf, a, tf.cast(fidx, tf.int32))
        loss = tf.reduce_sum(picked)
    return g.gradient(loss, a)


@snippet("seed")
def s000_py_function_numpy_body_wrt_output(tf):
    x = tf.constant([-1.0, 2.0, -3.0])
    with tf.GradientTape() as g:
        y = tf.py_function(lambda a: np.where(a.numpy() > 0, a.numpy(), 0.0).astype(np.float32),
                           [x], tf.float32)
        loss = tf.reduce_sum(y)
    return [y, g.gradient(loss, y)]


@snippet("seed")
def s000_py_function_numpy_body_wrt_watched_input(tf):
    x = tf.constant([-1.0, 2.0, -3.0])
    with tf.GradientTape() as g:
        g.watch(x)
        y = tf.py_function(lambda a: np.where(a.numpy() > 0, a.numpy(), 0.0).astype(np.float32),
                           [x], tf.float32)
        loss = tf.reduce_sum(y)
    return g.gradient(loss, x)


@snippet("seed")
def s000_relu_on_unwatched_constant(tf):
    x = tf.constant([-1.0, 2.0, -3.0])
    with tf.GradientTape() as g:
        loss = tf.reduce_sum(tf.nn.relu(x))
    return g.gradient(loss, x)


@snippet("seed")
def s000_relu_on_watched_constant(tf):
    x = tf.constant([-1.0, 2.0, -3.0])
    with tf.GradientTape() as g:
        g.watch(x)
        loss = tf.reduce_sum(tf.nn.relu(x))
    return g.gradient(loss, x)


# -- seed 002: "No gradients provided" -------------------------------------------------------------

@snippet("seed")
def s002_product_computed_before_tape(tf):
    w = tf.Variable(1.5)
    x = tf.constant(2.0)
    y = w * x
    with tf.GradientTape() as g:
        loss = y ** 2
    return g.gradient(loss, w)


@snippet("seed")
def s002_product_computed_inside_tape(tf):
    w = tf.Variable(1.5)
    x = tf.constant(2.0)
    with tf.GradientTape() as g:
        loss = (w * x) ** 2
    return g.gradient(loss, w)


@snippet("seed")
def s002_numpy_target_after_tape(tf):
    w = tf.Variable(1.5)
    with tf.GradientTape() as g:
        loss = (w * 2.0) ** 2
    scaled = np.sqrt(loss.numpy())
    return g.gradient(scaled, w)


@snippet("seed")
def s002_tensor_scatter_update_is_differentiable(tf):
    w = tf.Variable([0.3, -0.7, 1.1, 2.0, -2.0])
    with tf.GradientTape() as g:
        head = w[:3]
        zeroed = tf.tensor_scatter_nd_update(w, [[3], [4]], [0.0, 0.0])
        loss = tf.reduce_sum(zeroed ** 2)
    return [head, g.gradient(loss, w)]


@snippet("seed")
def s002_variable_item_assignment(tf):
    w = tf.Variable([1.0, 2.0, 3.0, 4.0])
    w[3] = 0.0
    return w


@snippet("seed")
def s002_loss_independent_of_parameter(tf):
    w = tf.Variable([1.0, 2.0])
    with tf.GradientTape(persistent=True) as g:
        loss = tf.constant(4.0) * 2.0
    return [g.gradient(loss, w), g.gradient(loss, w, unconnected_gradients="zero")]


@snippet("seed")
def s002_integer_parameter(tf):
    w = tf.Variable(3)
    with tf.GradientTape() as g:
        loss = w * w
    return g.gradient(loss, w)


# -- seed 003: variables vs tensors, stop_gradient, control flow -----------------------------------

@snippet("seed")
def s003_square_before_tape_then_numpy(tf):
    x = tf.Variable(2.0)
    y = x ** 2
    with tf.GradientTape() as g:
        z = y + 3.0
    dz = g.gradient(z, x)
    return [dz, outcome(lambda: dz.numpy())]


@snippet("seed")
def s003_square_inside_tape(tf):
    x = tf.Variable(2.0)
    with tf.GradientTape() as g:
        z = x ** 2 + 3.0
    return g.gradient(z, x)


@snippet("seed")
def s003_stop_gradient_before_tape(tf):
    x = tf.Variable(2.0)
    y = tf.stop_gradient(x ** 2)
    with tf.GradientTape() as g:
        z = y + 3.0
    return g.gradient(z, x)


@snippet("seed")
def s003_stop_gradient_inside_tape(tf):
    x = tf.Variable(2.0)
    with tf.GradientTape() as g:
        z = tf.stop_gradient(x ** 2) + x * 3.0
    return g.gradient(z, x)


@snippet("seed")
def s003_python_branch_on_variable(tf):
    def double_if_large(a):
        return a * 2.0 if a > 1.0 else a
    out = []
    for start in (2.0, 0.5):
        x = tf.Variable(start)
        with tf.GradientTape() as g:
            y = double_if_large(x)
        out.append(g.gradient(y, x))
    return out


@snippet("seed")
def s003_plain_tensor_with_watch(tf):
    x = tf.constant(2.0)
    with tf.GradientTape() as g:
        g.watch(x)
        z = x ** 2 + 3.0
    return g.gradient(z, x)


@snippet("seed")
def s003_non_trainable_with_watch(tf):
    x = tf.Variable(2.0, trainable=False)
    with tf.GradientTape() as g:
        g.watch(x)
        z = x ** 3
    return g.gradient(z, x)


# -- seed 004: trainable defaults, assign inside the tape, NaN -------------------------------------

@snippet("seed")
def s004_default_variable_is_trainable_second_call_fails(tf):
    a = tf.Variable(0.0)
    b = tf.Variable(1.0, trainable=True)
    with tf.GradientTape() as g:
        z = a * b
    first = g.gradient(z, a)
    return [first, outcome(lambda: g.gradient(z, b))]


@snippet("seed")
def s004_assign_add_inside_tape(tf):
    x = tf.Variable(5.0)
    with tf.GradientTape() as g:
        y = x * x
        x.assign_add(2.0)
        z = x * x
    return [g.gradient(z, x), y, z]


@snippet("seed")
def s004_log_abs_difference_at_equality(tf):
    x = tf.Variable(1.0)
    target = tf.constant(1.0)
    with tf.GradientTape() as g:
        loss = tf.reduce_sum(tf.math.log(tf.abs(target - x)))
    return [loss, g.gradient(loss, x)]


@snippet("seed")
def s004_nan_gradient_is_not_none(tf):
    x = tf.Variable([0.0, 4.0])
    with tf.GradientTape() as g:
        loss = tf.reduce_sum(tf.sqrt(x) * 0.0 + x / x)
    return g.gradient(loss, x)
