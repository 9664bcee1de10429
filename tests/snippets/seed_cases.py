"""The patterns of the seed articles (tf_semantics.md section 7), as our own short programs.

Each snippet reproduces what one article's example tries, with the outcome TF 2.21 really
gives (often not what the article claims). Optimizer and tf.compat.v1 patterns (seed 001 and
parts of 000) live in optimizer_cases.py; outcome_cases.py holds the per-op table they lean on.
tapegrad/cli/pitfalls.py runs the same patterns as whole TF programs through ``doctor``.

Every code block, as written and as corrected (by the article, or by the fix section 7 names):

| seed | block | snippets |
|---|---|---|
| 000 | Ex 1 `tf.assign` | s000_tf_assign_does_not_exist; with compat.v1: s000_compat_v1_assign_result_as_source (optimizer_cases) |
| 000 | Corrected Ex 1 | s000_new_tensor_instead_of_assign |
| 000 | Ex 2 gather_nd, grad w.r.t. output | s000_gather_nd_wrt_output_of_unwatched; watched: s000_gather_nd_with_watched_params |
| 000 | Corrected Ex 2 float index | s000_float_index_cast_does_not_help, s000_float_index_double_cast_as_written |
| 000 | Ex 3 py_function + NumPy | s000_py_function_numpy_body_wrt_output, s000_py_function_numpy_body_wrt_watched_input, s000_py_function_numpy_on_tensor_as_written |
| 000 | Corrected Ex 3 relu | s000_relu_on_unwatched_constant; watched: s000_relu_on_watched_constant |
| 001 | Ex 1 Session program | s001_session_program_as_written; s001_v1_gradient_descent_applies_eagerly, s001_v1_session_on_empty_graph (optimizer_cases) |
| 001 | Ex 2 train.apply_gradients | s001_module_apply_gradients_caught_as_written; s001_v1_train_module_has_no_apply_gradients (optimizer_cases) |
| 001 | Ex 3 hand-written update | s001_function_update_returns_none; s001_manual_update_with_assign_sub, s001_manual_update_at_minimum_is_silent (optimizer_cases) |
| 001 | C1.4 global_step | keras_apply_gradients_rejects_global_step, v1_minimize_callable_and_global_step (optimizer_cases) |
| 002 | Ex 1 product before tape | s002_product_computed_before_tape; corrected: s002_product_computed_inside_tape |
| 002 | Ex 2 NumPy target | s002_numpy_target_after_tape; corrected: s002_sqrt_inside_tape |
| 002 | Ex 3 tensor_scatter_nd_update | s002_tensor_scatter_update_is_differentiable, s002_scatter_update_random_init_as_written; w.r.t. updates: tensor_scatter_nd_update_both_inputs (outcome_cases) |
| 002 | prose: `w[3] = 0`, constant loss, int dtypes, all-None | s002_variable_item_assignment, s002_loss_independent_of_parameter, s002_integer_parameter; keras_all_gradients_none, keras_partial_none_warns_and_skips (optimizer_cases) |
| 003 | Ex 1 square before tape | s003_square_before_tape_then_numpy; corrected: s003_square_inside_tape |
| 003 | Ex 2 stop_gradient | s003_stop_gradient_before_tape, s003_stop_gradient_inside_tape |
| 003 | Ex 3 Python `if` | s003_python_branch_on_variable |
| 003 | prose: tensors, trainable=False | s003_plain_tensor_with_watch, s003_non_trainable_with_watch |
| 004 | Ex 1 two gradient calls | s004_default_variable_is_trainable_second_call_fails; corrected: s004_persistent_tape_gives_both, s004_one_call_with_a_list |
| 004 | Ex 2 assign_add in tape | s004_assign_add_inside_tape, s004_assign_add_as_written |
| 004 | Ex 3 log of zero | s004_log_abs_difference_at_equality, s004_nan_gradient_is_not_none |
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


@snippet("seed")
def s000_float_index_double_cast_as_written(tf):
    # The "corrected" block casts the float ids to int, stacks, and casts the stack again.
    a = tf.constant([[1.0, 2.0], [3.0, 4.0]])
    fidx = tf.constant([0.0, 1.0])
    with tf.GradientTape() as g:
        where = tf.stack([tf.range(tf.shape(fidx)[0]), tf.cast(fidx, tf.int32)], axis=1)
        picked = tf.gather_nd(a, tf.cast(where, dtype=tf.int32))
        loss = tf.reduce_sum(picked)
    return [picked, g.gradient(loss, a)]


@snippet("seed")
def s000_py_function_numpy_on_tensor_as_written(tf):
    # NumPy called straight on the tensor argument; its float64 result is declared float32.
    def clamp(a):
        return np.where(a > 0, a, 0.0)
    x = tf.constant([-1.0, 2.0, -3.0])
    with tf.GradientTape() as g:
        y = tf.py_function(clamp, [x], tf.float32)
        loss = tf.reduce_sum(y)
    wrt_output = g.gradient(loss, y)
    with tf.GradientTape() as g:
        g.watch(x)
        y = tf.py_function(clamp, [x], tf.float32)
        loss = tf.reduce_sum(y)
    return [y, wrt_output, g.gradient(loss, x)]


# -- seed 001: "'op' has no attribute 'apply_gradients'" (the rest is in optimizer_cases.py) --------

@snippet("seed")
def s001_session_program_as_written(tf):
    x = tf.Variable(0.0)
    opt = tf.compat.v1.train.GradientDescentOptimizer(learning_rate=0.1)
    with tf.GradientTape() as g:
        loss = x ** 2
    grads = g.gradient(loss, [x])
    step = opt.apply_gradients(zip(grads, [x]))
    init = tf.compat.v1.global_variables_initializer()

    def session():
        with tf.compat.v1.Session() as sess:
            sess.run(init)
            return sess.run([step, loss])
    return [grads, step, init, x.numpy(), outcome(session)]


@snippet("seed")
def s001_module_apply_gradients_caught_as_written(tf):
    x = tf.Variable(0.0)
    with tf.GradientTape() as g:
        loss = x ** 2
    grads = g.gradient(loss, [x])
    try:
        tf.compat.v1.train.apply_gradients(zip(grads, [x]))
    except AttributeError as e:  # the article's except clause does catch it
        return [type(e).__name__, str(e).endswith("has no attribute 'apply_gradients'")]
    return "not raised"


@snippet("seed")
def s001_function_update_returns_none(tf):
    def update(grads, variables):
        for grad, var in zip(grads, variables):
            var.assign_sub(grad * 0.1)
    x = tf.Variable(0.0)
    with tf.GradientTape() as g:
        loss = x ** 2
    grads = g.gradient(loss, [x])
    return [update(grads, [x]), grads, x.numpy()]


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


@snippet("seed")
def s002_sqrt_inside_tape(tf):
    w = tf.Variable(1.5)
    with tf.GradientTape() as g:
        loss = (w * 2.0) ** 2
        scaled = tf.sqrt(loss)
    return [scaled, g.gradient(scaled, w)]


@snippet("seed")
def s002_scatter_update_random_init_as_written(tf):
    # Unseeded random start, as in the article: check the relation, not the values.
    w = tf.Variable(tf.random.normal(shape=(5,)))
    with tf.GradientTape() as g:
        head = w[:3]
        zeroed = tf.tensor_scatter_nd_update(w, [[3], [4]], [0.0, 0.0])
        loss = tf.reduce_sum(zeroed ** 2)
    grad = g.gradient(loss, w)
    return [head.shape, grad.shape, grad.dtype,
            bool(np.allclose(grad.numpy()[:3], 2.0 * w.numpy()[:3])), grad[3:]]


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
def s004_persistent_tape_gives_both(tf):
    a = tf.Variable(0.0)
    b = tf.Variable(1.0, trainable=True)
    with tf.GradientTape(persistent=True) as g:
        z = a * b
    return [g.gradient(z, a), g.gradient(z, b)]


@snippet("seed")
def s004_one_call_with_a_list(tf):
    a = tf.Variable(0.0)
    b = tf.Variable(1.0, trainable=True)
    with tf.GradientTape() as g:
        z = a * b
    return g.gradient(z, [a, b])


@snippet("seed")
def s004_assign_add_as_written(tf):
    x = tf.Variable(2.0, trainable=True)
    with tf.GradientTape() as g:
        y = x * x
        x.assign_add(1.0)
        z = x * x
    return [g.gradient(z, x), y, x.numpy()]


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
