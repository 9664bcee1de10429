"""A catalogue of broken programs, written the way users write them: each asserts the cause,
the op and the line that ``tape.explain`` reports (the line marked ``# BREAK``). More programs
(seed articles, the causes of user_pain.md) are in test_explain_catalogue.py; report text, path,
DOT and memory in test_explain_report.py."""
import inspect
import os
import warnings

import numpy as np
import pytest

import tapegrad as tf
from tapegrad.diagnostics.explain import CAUSES

PKG = os.path.dirname(os.path.abspath(tf.__file__)) + os.sep


def marked_line(fn, marker="# BREAK"):
    lines, start = inspect.getsourcelines(fn)
    hits = [start + i for i, text in enumerate(lines) if marker in text]
    assert len(hits) == 1, f"{fn.__name__} needs exactly one {marker} line"
    return hits[0]


def points_inside_tapegrad(text):
    """Lines of ``text`` naming a file of the tapegrad package (absolute or relative path)."""
    rel = os.path.relpath(PKG) + os.sep
    return [line for line in text.splitlines() if PKG in line or rel in line]


def check(prog, cause, op, marked=None):
    """Run a program returning (tape, target, source); assert its single explanation: cause,
    op (None where no op is involved) and the line marked ``# BREAK`` in the program (or in
    ``marked``, a class the program uses, where the line is in one of its methods)."""
    tape, target, source = prog()
    e = tape.explain(target, source)
    assert e.cause == cause, str(e)
    assert e.cause in CAUSES
    assert e.op == op, str(e)
    if cause != "connected":
        assert os.path.abspath(e.filename) == os.path.abspath(inspect.getsourcefile(prog)), str(e)
        assert e.line == marked_line(marked or prog), str(e)
        assert e.fix, "every broken path gets a fix"
        text = str(e)
        assert cause.upper() in text
        assert not points_inside_tapegrad(text), text
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


NOT_WATCHED = [
    (prog_constant_not_watched, "not_watched", None),
    (prog_watch_accessed_false, "not_watched", None),
    (prog_variable_rebound_to_tensor, "not_watched", None),
    (prog_numpy_input_converted, "not_watched", None),
]


def test_not_watched_fix_says_watch():
    # the name is the one in the frame that called explain (here check's `source`)
    assert "call tape.watch(source) inside" in check(prog_constant_not_watched, "not_watched",
                                                      None).fix


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


NOT_TRAINABLE = [
    (prog_not_trainable, "not_trainable", None),
    (prog_moving_mean, "not_trainable", None),
]


def test_not_trainable_fix():
    e = check(prog_not_trainable, "not_trainable", None)
    assert "trainable=False only turns off automatic watching" in e.fix


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


READ_OUTSIDE = [
    (prog_loss_before_tape, "read_outside_tape", "ReadVariableOp"),
    (prog_stop_recording, "read_outside_tape", "ReadVariableOp"),
    (prog_loss_after_tape, "read_outside_tape", "ReadVariableOp"),
    (prog_tensor_stop_recording, "read_outside_tape", "Exp"),
]


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


UNUSED = [
    (prog_unused_head, "unused", None),
    (prog_aux_head_not_in_loss, "unconnected", "ReadVariableOp"),
    (prog_wrong_loss, "unconnected", "ReadVariableOp"),
    (prog_watched_tensor_unused, "unused", None),
]


def test_unconnected_counts_reads():
    assert "read 1 time(s)" in str(check(prog_aux_head_not_in_loss, "unconnected",
                                         "ReadVariableOp"))


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


CUTS = [
    (prog_stop_gradient, "stop_gradient", "StopGradient"),
    (prog_detach_fix, "stop_gradient", "StopGradient"),
    (prog_argmax_accuracy, "non_differentiable", "ArgMax"),
    (prog_round_quantize, "non_differentiable", "Round"),
    (prog_comparison_mask, "non_differentiable", "Greater"),
    (prog_floor, "non_differentiable", "Floor"),
    (prog_numpy_function, "non_differentiable", "PyFunc"),
    (prog_one_hot_of_argmax, "non_differentiable", "ArgMax"),
    (prog_cast_to_int, "integer_dtype", "Cast"),
    (prog_int_variable, "integer_dtype", None),
    (prog_int_watched, "integer_dtype", None),
]


def test_argmax_fix_names_a_surrogate():
    e = check(prog_argmax_accuracy, "non_differentiable", "ArgMax")
    assert "softmax instead of argmax" in e.fix and "stop_gradient" in e.fix


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


LEFT_TAPE = [
    (prog_variable_numpy_directly, "left_tape", "numpy()"),
    (prog_float_of_variable, "left_tape", "float()"),
    # A loss made inside the block from constants only: unused, not "read outside the tape".
    (prog_watched_variable_constant_loss, "unused", None),
    (prog_numpy_then_constant, "left_tape", "numpy()"),
    (prog_np_mean_on_tensor, "left_tape", "np.asarray()"),
    (prog_float_of_loss, "left_tape", "float()"),
    (prog_item, "left_tape", ".item()"),
    (prog_predict_returns_numpy, "left_tape", "numpy()"),
]

CASES = NOT_WATCHED + NOT_TRAINABLE + READ_OUTSIDE + UNUSED + CUTS + LEFT_TAPE


@pytest.mark.parametrize("prog,cause,op", CASES, ids=[c[0].__name__[5:] for c in CASES])
def test_catalogue(prog, cause, op):
    check(prog, cause, op)


def test_left_tape_fix_names_the_escape():
    e = check(prog_numpy_then_constant, "left_tape", "numpy()")
    assert "instead of numpy()" in e.fix


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
