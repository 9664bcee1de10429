"""A catalogue of broken programs, written the way users write them: each asserts the cause,
the op and the line that ``tape.explain`` reports (the line marked ``# BREAK``)."""
import inspect
import os
import warnings

import numpy as np
import pytest

import tapegrad as tf
from tapegrad.diagnostics.explain import CAUSES

HERE = os.path.abspath(__file__)


def marked_line(fn, marker="# BREAK"):
    lines, start = inspect.getsourcelines(fn)
    hits = [start + i for i, text in enumerate(lines) if marker in text]
    assert len(hits) == 1, f"{fn.__name__} needs exactly one {marker} line"
    return hits[0]


def check(prog, cause, op=None):
    """Run a program returning (tape, target, source); assert its single explanation."""
    tape, target, source = prog()
    e = tape.explain(target, source)
    assert e.cause == cause, str(e)
    assert e.cause in CAUSES
    if op is not None:
        assert e.op == op, str(e)
    if cause != "connected":
        assert os.path.abspath(e.filename) == HERE, str(e)
        assert e.line == marked_line(prog), str(e)
        assert e.fix, "every broken path gets a fix"
        text = str(e)
        assert "tapegrad" + os.sep not in text.replace("tapegrad" + os.sep + "tests", "")
        assert cause.upper() in text
    return e


# -- not_watched --------------------------------------------------------------------------------

def prog_constant_not_watched():
    x = tf.constant(3.0)  # BREAK
    with tf.GradientTape() as tape:
        y = x * x
    return tape, y, x


def prog_watch_accessed_false():
    v = tf.Variable(2.0)  # BREAK
    with tf.GradientTape(watch_accessed_variables=False) as tape:
        y = v * v
    return tape, y, v


def prog_variable_rebound_to_tensor():
    w = tf.Variable(1.0)
    for step in range(2):
        with tf.GradientTape() as tape:
            loss = (w - 3.0) ** 2
        g = tape.gradient(loss, w)
        if step == 0:
            w = w - 0.1 * g  # BREAK
    return tape, loss, w


def prog_numpy_input_converted():
    data = np.array([1.0, 2.0], np.float32)
    with tf.GradientTape() as tape:
        x = tf.convert_to_tensor(data)  # BREAK
        y = tf.reduce_sum(x * x)
    return tape, y, x


def test_not_watched():
    e = check(prog_constant_not_watched, "not_watched")
    assert "tape.watch(" in e.fix
    check(prog_watch_accessed_false, "not_watched")
    check(prog_variable_rebound_to_tensor, "not_watched")
    check(prog_numpy_input_converted, "not_watched")


# -- not_trainable ------------------------------------------------------------------------------

def prog_not_trainable():
    scale = tf.Variable(2.0, trainable=False)  # BREAK
    x = tf.constant([1.0, 2.0])
    with tf.GradientTape() as tape:
        y = tf.reduce_sum(x * scale)
    return tape, y, scale


def prog_moving_mean():
    w = tf.Variable([[0.5, -0.5]])
    moving_mean = tf.Variable([0.0, 0.0], trainable=False)  # BREAK
    x = tf.constant([[1.0], [2.0]])
    with tf.GradientTape() as tape:
        h = x * w - moving_mean
        loss = tf.reduce_sum(h * h)
    return tape, loss, moving_mean


def test_not_trainable():
    e = check(prog_not_trainable, "not_trainable")
    assert "trainable=False only turns off automatic watching" in e.fix
    check(prog_moving_mean, "not_trainable")


# -- read_outside_tape --------------------------------------------------------------------------

def prog_loss_before_tape():
    w = tf.Variable(2.0)
    loss = w * 3.0  # BREAK
    with tf.GradientTape() as tape:
        pass
    return tape, loss, w


def prog_stop_recording():
    v = tf.Variable(2.0)
    with tf.GradientTape() as tape:
        with tape.stop_recording():
            y = v * v  # BREAK
    return tape, y, v


def prog_loss_after_tape():
    w = tf.Variable(1.5)
    x = tf.constant(2.0)
    with tf.GradientTape() as tape:
        pred = x * 1.0
    loss = (pred - w) ** 2  # BREAK
    return tape, loss, w


def prog_tensor_stop_recording():
    x = tf.constant(1.0)
    with tf.GradientTape() as tape:
        tape.watch(x)
        with tape.stop_recording():
            y = tf.math.exp(x)  # BREAK
    return tape, y, x


def test_read_outside_tape():
    check(prog_loss_before_tape, "read_outside_tape")
    check(prog_stop_recording, "read_outside_tape")
    check(prog_loss_after_tape, "read_outside_tape")
    check(prog_tensor_stop_recording, "read_outside_tape", op="Exp")


# -- unused / unconnected -----------------------------------------------------------------------

def prog_unused_head():
    w = tf.Variable(1.0)
    aux_w = tf.Variable(0.5)  # BREAK
    with tf.GradientTape() as tape:
        loss = w * w
    return tape, loss, aux_w


def prog_aux_head_not_in_loss():
    w = tf.Variable([1.0, 2.0])
    aux = tf.Variable([0.3, 0.1])
    x = tf.constant([1.0, -1.0])
    with tf.GradientTape() as tape:
        h = x * w
        aux_out = h * aux  # BREAK
        loss = tf.reduce_sum(h * h)
    return tape, loss, aux


def prog_wrong_loss():
    a = tf.Variable(1.0)
    b = tf.Variable(2.0)
    with tf.GradientTape() as tape:
        loss_a = a * 3.0
        loss_b = b * 4.0  # BREAK
    return tape, loss_a, b


def prog_watched_tensor_unused():
    x = tf.constant(2.0)
    y = tf.constant(3.0)  # BREAK
    with tf.GradientTape() as tape:
        tape.watch([x, y])
        z = x * x
    return tape, z, y


def test_unused_and_unconnected():
    check(prog_unused_head, "unused")
    e = check(prog_aux_head_not_in_loss, "unconnected", op="ReadVariableOp")
    assert "read 1 time(s)" in str(e)
    check(prog_wrong_loss, "unconnected")
    check(prog_watched_tensor_unused, "unused")


# -- cuts: stop_gradient, non_differentiable, integer_dtype ------------------------------------

def prog_stop_gradient():
    w = tf.Variable(2.0)
    with tf.GradientTape() as tape:
        h = tf.stop_gradient(w * 3.0)  # BREAK
        loss = h * h
    return tape, loss, w


def prog_detach_fix():
    w = tf.Variable([1.0, 2.0])
    with tf.GradientTape() as tape:
        pred = w * 2.0
        frozen = tf.stop_gradient(pred)  # BREAK
        loss = tf.reduce_mean(frozen * frozen)
    return tape, loss, w


def prog_argmax_accuracy():
    logits = tf.Variable([[2.0, 1.0], [0.5, 1.5]])
    labels = tf.constant([0, 1], tf.int64)
    with tf.GradientTape() as tape:
        pred = tf.argmax(logits, axis=1)  # BREAK
        acc = tf.reduce_mean(tf.cast(tf.equal(pred, labels), tf.float32))
    return tape, acc, logits


def prog_round_quantize():
    w = tf.Variable([0.4, 1.6])
    with tf.GradientTape() as tape:
        q = tf.math.round(w * 4.0)  # BREAK
        loss = tf.reduce_sum(q * q)
    return tape, loss, w


def prog_comparison_mask():
    x = tf.Variable([0.5, -1.0])
    with tf.GradientTape() as tape:
        mask = tf.cast(x > 0.0, tf.float32)  # BREAK
        loss = tf.reduce_sum(mask)
    return tape, loss, x


def prog_floor():
    t = tf.Variable(2.7)
    with tf.GradientTape() as tape:
        k = tf.math.floor(t)  # BREAK
        loss = k * 2.0
    return tape, loss, t


def prog_numpy_function():
    w = tf.Variable([1.0, 2.0])
    with tf.GradientTape() as tape:
        y = tf.numpy_function(lambda a: a * 2.0, [w], tf.float32)  # BREAK
        loss = tf.reduce_sum(y)
    return tape, loss, w


def prog_one_hot_of_argmax():
    logits = tf.Variable([[0.1, 0.9], [0.8, 0.2]])
    with tf.GradientTape() as tape:
        chosen = tf.argmax(logits, axis=-1)  # BREAK
        onehot = tf.one_hot(chosen, 2)
        loss = tf.reduce_sum(onehot * 3.0)
    return tape, loss, logits


def prog_cast_to_int():
    w = tf.Variable([1.2, 3.4])
    with tf.GradientTape() as tape:
        n = tf.cast(w * 10.0, tf.int32)  # BREAK
        loss = tf.reduce_sum(tf.cast(n, tf.float32))
    return tape, loss, w


def prog_int_variable():
    steps = tf.Variable(3)  # BREAK
    with tf.GradientTape() as tape:
        y = steps * steps
    return tape, y, steps


def prog_int_watched():
    x = tf.constant([1, 2])  # BREAK
    with tf.GradientTape() as tape:
        tape.watch(x)
        y = x * 2
    return tape, y, x


def test_cuts():
    check(prog_stop_gradient, "stop_gradient", op="StopGradient")
    check(prog_detach_fix, "stop_gradient", op="StopGradient")
    e = check(prog_argmax_accuracy, "non_differentiable", op="ArgMax")
    assert "argmax" in e.fix
    check(prog_round_quantize, "non_differentiable", op="Round")
    check(prog_comparison_mask, "non_differentiable", op="Greater")
    check(prog_floor, "non_differentiable", op="Floor")
    check(prog_numpy_function, "non_differentiable")
    check(prog_one_hot_of_argmax, "non_differentiable", op="ArgMax")
    check(prog_cast_to_int, "integer_dtype", op="Cast")
    check(prog_int_variable, "integer_dtype")
    check(prog_int_watched, "integer_dtype")


def test_cut_lists_other_causes():
    w = tf.Variable(1.0)
    with tf.GradientTape() as tape:
        a = tf.stop_gradient(w * 2.0)
        b = tf.math.round(w)
        loss = a + b
    e = tape.explain(loss, w)
    assert e.cause == "stop_gradient"
    assert [c for c, _, _ in e.others] == ["non_differentiable"]
    assert "also: non_differentiable" in str(e)


# -- left_tape ----------------------------------------------------------------------------------

def prog_numpy_then_constant():
    w = tf.Variable([0.5, 1.5])
    y_true = np.array([1.0, 1.0], np.float32)
    with tf.GradientTape() as tape:
        p = w * 2.0
        loss = tf.constant(np.mean((p.numpy() - y_true) ** 2))  # BREAK
    return tape, loss, w


def prog_np_mean_on_tensor():
    w = tf.Variable([1.0, 3.0])
    with tf.GradientTape() as tape:
        p = w * w
        m = np.mean(p)  # BREAK
        loss = tf.constant(m) * 2.0
    return tape, loss, w


def prog_float_of_loss():
    w = tf.Variable(2.0)
    with tf.GradientTape() as tape:
        part = w * 3.0
        total = tf.constant(float(part)) + 1.0  # BREAK
    return tape, total, w


def prog_item():
    w = tf.Variable([2.0])
    with tf.GradientTape() as tape:
        s = tf.reduce_sum(w * w)
        loss = tf.constant(s.numpy().item() * 0.5) if False else tf.constant(s.item())  # BREAK
    return tape, loss, w


def prog_predict_returns_numpy():
    w = tf.Variable([[1.0], [2.0]])

    def predict(x):
        return (x @ w).numpy()  # BREAK

    x = tf.constant([[1.0, 1.0]])
    with tf.GradientTape() as tape:
        out = tf.constant(predict(x))
        loss = tf.reduce_sum(out)
    return tape, loss, w


def prog_variable_numpy_directly():
    w = tf.Variable([1.0, 2.0])
    with tf.GradientTape() as tape:
        scaled = w.numpy() * 3.0  # BREAK
        loss = tf.reduce_sum(tf.constant(scaled))
    return tape, loss, w


def prog_float_of_variable():
    lr = tf.Variable(0.5)
    with tf.GradientTape() as tape:
        loss = tf.square(tf.constant(float(lr)) - 1.0)  # BREAK
    return tape, loss, lr


def prog_watched_variable_constant_loss():
    v = tf.Variable(2.0)  # BREAK
    with tf.GradientTape() as tape:
        tape.watch(v)
        loss = tf.constant(3.0) * 2.0
    return tape, loss, v


def test_left_tape():
    check(prog_variable_numpy_directly, "left_tape", op="numpy()")
    check(prog_float_of_variable, "left_tape", op="float()")
    # A loss made inside the block from constants only: unused, not "read outside the tape".
    check(prog_watched_variable_constant_loss, "unused")
    e = check(prog_numpy_then_constant, "left_tape", op="numpy()")
    assert "numpy()" in e.fix
    check(prog_np_mean_on_tensor, "left_tape", op="np.asarray()")
    check(prog_float_of_loss, "left_tape", op="float()")
    check(prog_item, "left_tape", op=".item()")
    check(prog_predict_returns_numpy, "left_tape", op="numpy()")


# -- healthy programs say connected -------------------------------------------------------------

def test_healthy_mlp_is_connected():
    rng = np.random.default_rng(0)
    w1 = tf.Variable(rng.normal(size=(4, 8)).astype(np.float32))
    b1 = tf.Variable(np.zeros(8, np.float32))
    w2 = tf.Variable(rng.normal(size=(8, 3)).astype(np.float32))
    x = tf.constant(rng.normal(size=(5, 4)).astype(np.float32))
    labels = tf.constant([0, 1, 2, 1, 0])
    with tf.GradientTape() as tape:
        h = tf.nn.relu(x @ w1 + b1)
        logits = h @ w2
        loss = tf.reduce_mean(tf.nn.sparse_softmax_cross_entropy_with_logits(labels, logits))
    grads = tape.gradient(loss, [w1, b1, w2])
    assert all(g is not None for g in grads)
    exps = tape.explain(loss, [w1, b1, w2])  # after the non-persistent tape was used
    assert [e.cause for e in exps] == ["connected"] * 3
    assert exps[0].path and exps[0].path[-1].op == "ReadVariableOp"


def test_explain_structure_follows_sources():
    a, b = tf.Variable(1.0), tf.Variable(2.0)
    with tf.GradientTape() as tape:
        y = a * 2.0
    out = tape.explain(y, {"a": a, "rest": [b]})
    assert out["a"].cause == "connected" and out["rest"][0].cause == "unused"


# -- unconnected_gradients = "explain" / "raise" ------------------------------------------------

def test_unconnected_explain_warns_once_per_site():
    v = tf.Variable(1.0, trainable=False)
    caught = []
    for _ in range(3):
        with tf.GradientTape() as tape:
            y = v * 2.0
        with warnings.catch_warnings(record=True) as w:
            warnings.simplefilter("always")
            g = tape.gradient(y, v, unconnected_gradients="explain")
        caught.extend(w)
        assert g is None
    msgs = [str(w.message) for w in caught]
    assert len(msgs) == 1 and "NOT_TRAINABLE" in msgs[0]


def test_unconnected_raise():
    x = tf.constant(2.0)
    w = tf.Variable(1.0)
    with tf.GradientTape() as tape:
        y = w * x
    with pytest.raises(tf.errors.DisconnectedGradientError) as info:
        tape.gradient(y, [w, x], unconnected_gradients="raise")
    assert isinstance(info.value, ValueError)
    assert [e.cause for e in info.value.explanations] == ["not_watched"]


def test_path_text_and_dot():
    w = tf.Variable(1.0)
    with tf.GradientTape(persistent=True) as tape:
        a = w * 2.0
        b = tf.cast(tf.cast(a, tf.int32), tf.float32)
        loss = b + 1.0
    text = tape.path(loss, w)
    assert text.splitlines()[0].split()[0] in ("AddV2", "X")
    assert any(line.startswith("X Cast") for line in text.splitlines())
    dot = tape.explain(loss, w).to_dot()
    assert dot.startswith("digraph") and 'color=red' in dot
