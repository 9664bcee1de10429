"""More broken programs: the seed articles' broken examples (in code of our own) and the causes
ranked in user_pain.md that apply to tapegrad's API, each asserting the cause, op and line
(``# BREAK``) that ``tape.explain`` reports. Numbers in comments are user_pain.md's causes."""
import os

import numpy as np
import pytest

import tapegrad as tf
from tapegrad.diagnostics.explain import CAUSES
from test_explain import CASES as BASE_CASES
from test_explain import check

# -- seed articles ------------------------------------------------------------------------------


def prog_seed_product_before_tape():
    w = tf.Variable(1.0)
    x = tf.constant(2.0)
    y = w * x  # BREAK
    with tf.GradientTape() as tape:
        loss = y ** 2
    return tape, loss, w


def prog_seed_square_before_tape():
    x = tf.Variable(2.0)
    y = x ** 2  # BREAK
    with tf.GradientTape() as tape:
        z = y + 3
    return tape, z, x


def prog_seed_stop_gradient_before_tape():
    # Two causes: the read outside the tape is nearer the source than the stop_gradient.
    x = tf.Variable(2.0)
    y = tf.stop_gradient(x ** 2)  # BREAK
    with tf.GradientTape() as tape:
        z = y + 3
    return tape, z, x


def prog_seed_py_function_numpy_body():
    def relu_np(x):
        return np.where(x.numpy() > 0, x.numpy(), 0.0)

    w = tf.Variable([-1.0, 2.0, -3.0])
    with tf.GradientTape() as tape:
        y = tf.py_function(relu_np, [w], tf.float32)  # BREAK
        loss = tf.reduce_sum(y)
    tape.gradient(loss, w)  # as in TF: a scalar 0.0, not a gradient
    return tape, loss, w


def prog_seed_float_index_cast():
    a = tf.constant([[1.0, 2.0], [3.0, 4.0]])
    b = tf.Variable([0.0, 1.0])
    with tf.GradientTape() as tape:
        cols = tf.cast(b, tf.int32)  # BREAK
        idx = tf.stack([tf.range(2), cols], axis=1)
        loss = tf.reduce_sum(tf.gather_nd(a, idx))
    return tape, loss, b


# -- 1: a weight never reaches the loss --------------------------------------------------------


class TwoHeads(tf.Module):
    def __init__(self):
        super().__init__()
        self.w = tf.Variable([[0.5], [-0.5]])
        self.aux_w = tf.Variable([[1.0], [1.0]])  # BREAK

    def __call__(self, x):
        return x @ self.w


def prog_module_head_never_called():
    model = TwoHeads()
    x = tf.constant([[1.0, 2.0]])
    with tf.GradientTape() as tape:
        loss = tf.reduce_sum(model(x) ** 2)
    return tape, loss, model.aux_w


def prog_forgot_regularizer():
    w1 = tf.Variable([1.0, 2.0])
    w2 = tf.Variable([3.0])
    with tf.GradientTape() as tape:
        data_loss = tf.reduce_sum(w1 * w1)
        reg = tf.nn.l2_loss(w2)  # BREAK
        loss = data_loss
    return tape, loss, w2


# -- 2: computation leaves the framework -------------------------------------------------------


def prog_constant_of_loss_list():
    a = tf.Variable(1.0)
    b = tf.Variable(2.0)
    with tf.GradientTape() as tape:
        l1 = a * 2.0
        l2 = b * 3.0
        total = tf.reduce_sum(tf.constant([l1, l2]))  # BREAK
    return tape, total, a


def prog_np_sqrt_in_loss():
    w = tf.Variable([4.0, 9.0])
    with tf.GradientTape() as tape:
        d = w * 2.0
        loss = tf.reduce_sum(tf.constant(np.sqrt(d)))  # BREAK
    return tape, loss, w


def prog_python_branch_on_tensor():
    p_w = tf.Variable([0.2, 0.9])
    with tf.GradientTape() as tape:
        p = tf.sigmoid(p_w)
        if tf.reduce_mean(p) > 0.5:  # BREAK
            loss = tf.constant(1.0)
        else:
            loss = tf.constant(0.0)
    return tape, loss, p_w


def prog_int_of_tensor():
    steps = tf.Variable(3.7)
    with tf.GradientTape() as tape:
        n = int(steps * 2.0)  # BREAK
        loss = tf.constant(float(n)) * 0.5
    return tape, loss, steps


def prog_times_bool_mask():
    # TF's `*` with a bool tensor is a logical and: the product is bool and carries no gradient.
    w = tf.Variable([1.0, 2.0, 3.0])
    mask = tf.constant([True, False, True])
    with tf.GradientTape() as tape:
        kept = w * mask  # BREAK
        loss = tf.reduce_sum(tf.cast(kept, tf.float32))
    return tape, loss, w


def prog_accuracy_metric_as_loss():
    w = tf.Variable(np.full((3, 2), 0.1, np.float32))
    x = tf.constant([[1.0, 0.0, 2.0], [0.0, 1.0, -1.0]])
    y = tf.constant([[1.0, 0.0], [0.0, 1.0]])
    acc = tf.keras.metrics.CategoricalAccuracy()
    with tf.GradientTape() as tape:
        p = tf.nn.softmax(x @ w)
        loss = 1.0 - acc(y, p)  # BREAK
    return tape, loss, w


# -- 3: source not watched or not tracked ------------------------------------------------------


def prog_saliency_without_watch():
    w = tf.Variable([[0.2], [0.4], [-0.1]])
    image = tf.constant(np.ones((1, 3), np.float32))  # BREAK
    with tf.GradientTape() as tape:
        score = tf.reduce_sum(image @ w)
    return tape, score, image


class Frozen(tf.Module):
    def __init__(self):
        super().__init__()
        self.scale = tf.Variable(2.0, trainable=False)  # BREAK
        self.w = tf.Variable([1.0, 1.0])

    def __call__(self, x):
        return x * self.w * self.scale


def prog_module_frozen_variable():
    layer = Frozen()
    with tf.GradientTape() as tape:
        loss = tf.reduce_sum(layer(tf.constant([1.0, 2.0])))
    return tape, loss, layer.scale


def prog_frozen_embedding():
    table = tf.Variable(np.ones((4, 2), np.float32), trainable=False)  # BREAK
    with tf.GradientTape() as tape:
        rows = tf.gather(table, [0, 2])
        loss = tf.reduce_sum(rows)
    return tape, loss, table


def prog_watch_only_some():
    w1 = tf.Variable(1.0)
    w2 = tf.Variable(2.0)  # BREAK
    with tf.GradientTape(watch_accessed_variables=False) as tape:
        tape.watch(w1)
        loss = w1 * w2
    return tape, loss, w2


# -- 4: non-differentiable op on the path ------------------------------------------------------


def prog_top_k_indices():
    scores = tf.Variable([0.3, 0.7, 0.1])
    with tf.GradientTape() as tape:
        best = tf.math.top_k(scores, k=2)  # BREAK
        loss = tf.reduce_sum(tf.cast(best.indices, tf.float32))
    return tape, loss, scores


def prog_argsort_ranking():
    scores = tf.Variable([0.3, 0.7, 0.1])
    with tf.GradientTape() as tape:
        order = tf.argsort(scores)  # BREAK
        loss = tf.reduce_sum(tf.cast(order, tf.float32) * tf.constant([1.0, 2.0, 3.0]))
    return tape, loss, scores


def prog_ceil_buckets():
    t = tf.Variable([0.2, 1.4])
    with tf.GradientTape() as tape:
        buckets = tf.math.ceil(t * 3.0)  # BREAK
        loss = tf.reduce_sum(buckets)
    return tape, loss, t


def prog_sampled_actions():
    logits = tf.Variable([[0.1, 2.0, -1.0]])
    with tf.GradientTape() as tape:
        actions = tf.random.categorical(logits, 4, seed=1)  # BREAK
        loss = tf.reduce_sum(tf.cast(actions, tf.float32))
    return tape, loss, logits


def prog_sparsity_count():
    w = tf.Variable([0.0, 0.5, -0.2])
    with tf.GradientTape() as tape:
        nnz = tf.math.count_nonzero(w * 1.0)  # BREAK
        loss = tf.cast(nnz, tf.float32)
    return tape, loss, w


def prog_floordiv_steps():
    t = tf.Variable(7.5)
    with tf.GradientTape() as tape:
        whole = t // 2.0  # BREAK
        loss = whole * whole
    return tape, loss, t


def prog_custom_gradient_returns_none():
    @tf.custom_gradient
    def scaled(x, s):
        def grad(dy):
            return dy * s, None
        return x * s, grad

    x = tf.Variable(2.0)
    s = tf.Variable(3.0)
    with tf.GradientTape() as tape:
        y = scaled(x, s)  # BREAK
    assert tape.gradient(y, [x, s])[1] is None
    return tape, y, s


# -- 7, 12: a variable replaced, or created afresh each call ------------------------------------


class LazyDense:
    def __call__(self, x):
        self.w = tf.Variable(tf.ones([2, 1]))  # BREAK
        return x @ self.w


def prog_weights_created_in_call():
    layer = LazyDense()
    x = tf.constant([[1.0, 2.0]])
    layer(x)
    params = [layer.w]  # collected after the first call, as an optimizer would
    with tf.GradientTape() as tape:
        loss = tf.reduce_sum(layer(x))
    return tape, loss, params[0]


def prog_sub_instead_of_assign_sub():
    w = tf.Variable([1.0, 2.0])
    for _ in range(2):
        with tf.GradientTape() as tape:
            loss = tf.reduce_sum(w * w)
        grad = tape.gradient(loss, w)
        if grad is not None:
            w = w - 0.1 * grad  # BREAK
    return tape, loss, w


# -- 10: integer or bool dtype -----------------------------------------------------------------


def prog_int_variable_from_list():
    counts = tf.Variable([1, 2, 3])  # BREAK
    with tf.GradientTape() as tape:
        loss = tf.reduce_sum(counts * counts)
    return tape, loss, counts


def prog_bool_cast_mask():
    x = tf.Variable([0.5, -1.0, 2.0])
    with tf.GradientTape() as tape:
        keep = tf.cast(x, tf.bool)  # BREAK
        loss = tf.reduce_sum(tf.cast(keep, tf.float32) * 2.0)
    return tape, loss, x


# -- 13: a cut the user inserted ---------------------------------------------------------------


def prog_dqn_target_network():
    q_w = tf.Variable([0.5, 0.5])
    target_w = tf.Variable([0.4, 0.6])
    s = tf.constant([1.0, 2.0])
    with tf.GradientTape() as tape:
        q = tf.reduce_sum(q_w * s)
        q_next = tf.reduce_sum(target_w * s)
        td = 1.0 + 0.9 * tf.stop_gradient(q_next)  # BREAK
        loss = (td - q) ** 2
    return tape, loss, target_w


def prog_stop_gradient_on_whole_loss():
    w = tf.Variable(2.0)
    with tf.GradientTape() as tape:
        mse = (w - 1.0) ** 2
        loss = tf.stop_gradient(mse)  # BREAK
    return tape, loss, w


def prog_logged_loss_reused():
    w = tf.Variable([1.0, -1.0])
    with tf.GradientTape() as tape:
        adv = tf.reduce_sum(tf.nn.relu(w))
        logged = float(adv)  # BREAK
        loss = tf.constant(logged) * 0.1
    return tape, loss, w


# -- 18: higher order; 20: stateful updates ----------------------------------------------------


def prog_assign_add_from_source():
    x0 = tf.Variable(1.0)
    x1 = tf.Variable(2.0)
    with tf.GradientTape() as tape:
        x1.assign_add(x0)  # BREAK
        y = x1 ** 2
    return tape, y, x0


def prog_inner_gradient_after_outer_block():
    x = tf.Variable(1.5)
    with tf.GradientTape() as outer:
        with tf.GradientTape() as inner:
            y = x ** 3
    g = inner.gradient(y, x)  # BREAK
    return outer, g, x


CATALOGUE = [
    (prog_seed_product_before_tape, "read_outside_tape", "ReadVariableOp"),
    (prog_seed_square_before_tape, "read_outside_tape", "ReadVariableOp"),
    (prog_seed_stop_gradient_before_tape, "read_outside_tape", "ReadVariableOp"),
    (prog_seed_py_function_numpy_body, "non_differentiable", "EagerPyFunc"),
    (prog_seed_float_index_cast, "integer_dtype", "Cast"),
    (prog_module_head_never_called, "unused", None, TwoHeads),
    (prog_forgot_regularizer, "unconnected", "ReadVariableOp"),
    (prog_constant_of_loss_list, "left_tape", "np.asarray()"),
    (prog_np_sqrt_in_loss, "left_tape", "np.asarray()"),
    (prog_python_branch_on_tensor, "left_tape", "bool()"),
    (prog_int_of_tensor, "left_tape", "int()"),
    (prog_times_bool_mask, "integer_dtype", "Cast"),
    (prog_accuracy_metric_as_loss, "left_tape", "numpy()"),
    (prog_saliency_without_watch, "not_watched", None),
    (prog_module_frozen_variable, "not_trainable", None, Frozen),
    (prog_frozen_embedding, "not_trainable", None),
    (prog_watch_only_some, "not_watched", None),
    (prog_top_k_indices, "non_differentiable", "TopKV2"),
    (prog_argsort_ranking, "non_differentiable", "TopKV2"),
    (prog_ceil_buckets, "non_differentiable", "Ceil"),
    (prog_sampled_actions, "non_differentiable", "Multinomial"),
    (prog_sparsity_count, "non_differentiable", "NotEqual"),
    (prog_floordiv_steps, "non_differentiable", "FloorDiv"),
    (prog_custom_gradient_returns_none, "non_differentiable", "CustomGradient"),
    (prog_weights_created_in_call, "unused", None, LazyDense),
    (prog_sub_instead_of_assign_sub, "not_watched", None),
    (prog_int_variable_from_list, "integer_dtype", None),
    (prog_bool_cast_mask, "integer_dtype", "Cast"),
    (prog_dqn_target_network, "stop_gradient", "StopGradient"),
    (prog_stop_gradient_on_whole_loss, "stop_gradient", "StopGradient"),
    (prog_logged_loss_reused, "left_tape", "float()"),
    (prog_assign_add_from_source, "unconnected", "ReadVariableOp"),
]


@pytest.mark.parametrize("case", CATALOGUE, ids=[c[0].__name__[5:] for c in CATALOGUE])
def test_catalogue(case):
    check(*case)


def test_catalogue_size_and_cause_coverage():
    every = BASE_CASES + CATALOGUE
    assert len(every) >= 40
    assert len({c[0] for c in every}) == len(every), "each program once"
    per_cause = {c: sum(1 for case in every if case[1] == c) for c in CAUSES}
    numeric = ("connected", "nonfinite_forward", "nonfinite_backward", "masked_branch")
    assert all(per_cause[c] >= 2 for c in CAUSES if c not in numeric), per_cause


def test_py_function_body_detail_names_the_escape_inside_the_body():
    e = check(prog_seed_py_function_numpy_body, "non_differentiable", "EagerPyFunc")
    assert "left_tape (numpy())" in e.detail and "scalar zero, as in TF" in e.detail
    assert "tapegrad ops" in e.fix and "custom_gradient" in e.fix


def test_custom_gradient_none_is_known_only_after_the_gradient():
    @tf.custom_gradient
    def scaled(x, s):
        return x * s, lambda dy: (dy * s, None)

    x, s = tf.Variable(2.0), tf.Variable(3.0)
    with tf.GradientTape(persistent=True) as tape:
        y = scaled(x, s)
    assert tape.explain(y, s).cause == "connected"  # the grad_fn has not run yet
    assert tape.gradient(y, s) is None
    e = tape.explain(y, s)
    assert (e.cause, e.op) == ("non_differentiable", "CustomGradient")
    assert "grad_fn of the custom_gradient function `scaled` returned None for its input 1" \
        in e.detail
    assert tape.explain(y, x).cause == "connected"


# tape.gradient stamps its results with the line that asked for them.
def test_higher_order_gradient_taken_after_the_outer_block():
    check(prog_inner_gradient_after_outer_block, "read_outside_tape", None)


def prog_watch_after_use():
    x = tf.constant(3.0)  # BREAK
    with tf.GradientTape() as tape:
        y = x * x
        tape.watch(x)
    return tape, y, x


def test_watch_after_use_says_where_the_watch_was():
    e = check(prog_watch_after_use, "unused", None)
    first = prog_watch_after_use.__code__.co_firstlineno
    assert f"no op read it after tape.watch at {os.path.relpath(__file__)}:{first + 4}" in e.detail
    assert e.fix.endswith("or move tape.watch(source) above the lines that use it")


def prog_seed_gradient_wrt_intermediate():
    a = tf.constant([[1.0, 2.0], [3.0, 4.0]])
    b = tf.constant([0, 1])
    with tf.GradientTape() as tape:
        c = tf.gather_nd(a, tf.stack([tf.range(2), b], axis=1))  # BREAK
        loss = tf.reduce_sum(c)
    return tape, loss, c


# An op run inside the block but recorded by no tape still stamps its outputs' line.
def test_gradient_wrt_an_unwatched_intermediate_names_its_line():
    check(prog_seed_gradient_wrt_intermediate, "not_watched", None)


# The py_function's gradient lets explain read the body's tape before it is used up.
def test_py_function_cut_on_a_persistent_tape_after_the_gradient():
    w = tf.Variable([1.0, -2.0])
    with tf.GradientTape(persistent=True) as tape:
        y = tf.py_function(lambda a: a.numpy() * 2.0, [w], tf.float32)
        loss = tf.reduce_sum(y)
    tape.gradient(loss, w)
    assert tape.explain(loss, w).cause == "non_differentiable"


def test_py_function_cut_on_a_persistent_tape_before_the_gradient():
    w = tf.Variable([1.0, -2.0])
    with tf.GradientTape(persistent=True) as tape:
        y = tf.py_function(lambda a: a.numpy() * 2.0, [w], tf.float32)
        loss = tf.reduce_sum(y)
    assert tape.explain(loss, w).op == "EagerPyFunc"
    assert float(tape.gradient(loss, w)) == 0.0  # TF's scalar zero
    assert tape.explain(loss, w).op == "EagerPyFunc"  # the answer was kept with the record
