"""What explain says beyond the cause: healthy programs are connected, no text points inside
tapegrad, the other causes that apply, the path as text and DOT, and explanations after a
non-persistent tape has let go of its arrays."""
import gc
import os
import sys
import warnings
import weakref

import numpy as np
import pytest

import tapegrad as tf
from tapegrad import optimizers as O
from tapegrad._core.callsite import site_line
from test_explain import points_inside_tapegrad

HERE = os.path.relpath(__file__)  # sites are printed relative to the working directory


def _line():
    return sys._getframe(1).f_lineno


# -- healthy programs say connected for every source -------------------------------------------


def test_custom_gradient_and_py_function_with_tapegrad_ops_are_connected():
    @tf.custom_gradient
    def clip_grad(x):
        return tf.identity(x), lambda dy: tf.clip_by_value(dy, -1.0, 1.0)

    w = tf.Variable([1.0, -2.0])
    b = tf.Variable(0.5)
    with tf.GradientTape() as tape:
        h = clip_grad(w * 3.0)
        p = tf.py_function(lambda a: tf.nn.relu(a) * 2.0, [h], tf.float32)
        loss = tf.reduce_sum(p) + b
    gw, gb = tape.gradient(loss, [w, b])
    np.testing.assert_allclose(gw.numpy(), [3.0, 0.0])  # clipped 2 -> 1, times 3; relu'(-6) = 0
    assert float(gb) == 1.0
    exps = tape.explain(loss, [w, b])
    assert [e.cause for e in exps] == ["connected", "connected"]
    assert [s.op for s in exps[0].path] == ["AddV2", "Sum", "EagerPyFunc", "CustomGradient",
                                            "Mul", "ReadVariableOp"]


def test_persistent_tape_with_several_gradients_is_connected():
    w = tf.Variable([1.0, 2.0])
    b = tf.Variable(0.5)
    with tf.GradientTape(persistent=True) as tape:
        loss = tf.reduce_sum(w * w) + b
        other = tf.reduce_sum(w * b)
    assert tape.gradient(loss, [w, b])[1] is not None
    assert tape.gradient(other, [w, b])[0] is not None
    for target in (loss, other):
        assert [e.cause for e in tape.explain(target, [w, b])] == ["connected"] * 2


def test_jacobian_then_explain_is_connected():
    x = tf.Variable([1.0, 2.0])
    with tf.GradientTape() as tape:
        y = x * x
    np.testing.assert_allclose(tape.jacobian(y, x).numpy(), [[2.0, 0.0], [0.0, 4.0]])
    assert tape.explain(y, x).cause == "connected"


def test_seed_programs_that_work_are_connected():
    x = tf.Variable(0.0)  # trainable by default: the article's "not trainable" claim is wrong
    y = tf.Variable(1.0, trainable=True)
    with tf.GradientTape(persistent=True) as tape:
        z = x * y
    assert [e.cause for e in tape.explain(z, [x, y])] == ["connected"] * 2
    v = tf.Variable(2.0)
    with tf.GradientTape() as tape:
        v.assign_add(1.0)  # the value read afterwards is on the tape
        z = v * v
    assert float(tape.gradient(z, v)) == 6.0 and tape.explain(z, v).cause == "connected"
    w = tf.Variable([1.0, 2.0, 3.0, 4.0, 5.0])
    with tf.GradientTape() as tape:
        masked = tf.tensor_scatter_nd_update(w, [[3], [4]], [0.0, 0.0])
        loss = tf.reduce_sum(masked ** 2)
    np.testing.assert_allclose(tape.gradient(loss, w).numpy(), [2.0, 4.0, 6.0, 0.0, 0.0])
    assert tape.explain(loss, w).cause == "connected"
    a = tf.Variable(2.0)
    with tf.GradientTape() as tape:
        out = a * 2 if a > 1 else a  # Python control flow on a value: fine
    assert tape.explain(out, a).cause == "connected"


# -- no report text points inside tapegrad -----------------------------------------------------


def _program_through_tapegrad_code():
    """Breaks whose op runs inside tapegrad's own code (a metric, count_nonzero)."""
    w = tf.Variable(np.full((3, 2), 0.1, np.float32), name="kernel"); w_at = _line()  # noqa: E702
    u = tf.Variable(1.0, name="bias"); u_at = _line()  # noqa: E702
    x = tf.constant([[1.0, 0.0, 2.0], [0.0, 1.0, -1.0]])
    y = tf.constant([[1.0, 0.0], [0.0, 1.0]])
    acc = tf.keras.metrics.CategoricalAccuracy()
    with tf.GradientTape(persistent=True) as tape:
        p = tf.nn.softmax(x @ w)
        loss = 1.0 - acc(y, p); loss_at = _line()  # noqa: E702
        nnz = tf.cast(tf.math.count_nonzero(x @ w), tf.float32); nnz_at = _line()  # noqa: E702
    return tape, (loss, nnz), (w, u), dict(w=w_at, u=u_at, loss=loss_at, nnz=nnz_at)


def _assert_user_text(text):
    assert text.strip()
    assert not points_inside_tapegrad(text), text
    assert HERE in text  # it points at this file instead


def test_explanation_text_path_and_dot_stay_in_user_code():
    tape, (loss, nnz), (w, u), at = _program_through_tapegrad_code()
    e_loss, e_unused = tape.explain(loss, [w, u])
    assert (e_loss.cause, e_loss.op, e_loss.line) == ("left_tape", "numpy()", at["loss"])
    assert (e_unused.cause, e_unused.line) == ("unused", at["u"])
    e_nnz = tape.explain(nnz, w)
    assert (e_nnz.cause, e_nnz.op, e_nnz.line) == ("non_differentiable", "NotEqual", at["nnz"])
    assert all(s.line == at["nnz"] for s in e_nnz.path)  # count_nonzero's own ops too
    for e in (e_loss, e_unused, e_nnz):
        _assert_user_text(str(e))
        _assert_user_text(e.to_dot())
    _assert_user_text(tape.path(nnz, w))
    _assert_user_text(str(tf.debugging.gradient_report(tape, nnz, [w, u])))


def test_warnings_and_errors_stay_in_user_code():
    tape, (loss, _), (w, u), at = _program_through_tapegrad_code()
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        grads = tape.gradient(loss, [w, u], unconnected_gradients="explain"); g_at = _line()  # noqa: E702,E501
    assert grads == [None, None]
    assert [(os.path.abspath(c.filename), c.lineno) for c in caught] == \
        [(os.path.abspath(__file__), g_at)] * 2
    for c in caught:
        _assert_user_text(str(c.message))
    with pytest.raises(tf.errors.DisconnectedGradientError) as info:
        tape.gradient(loss, [w, u], unconnected_gradients="raise")
    text = str(info.value)
    assert text.splitlines()[0] == "2 source(s) have no gradient:"
    assert f"LEFT_TAPE at {HERE}:{at['loss']}" in text and f"UNUSED at {HERE}:{at['u']}" in text
    _assert_user_text(text)
    with pytest.raises(ValueError) as info:
        O.SGD(0.1).apply_gradients(zip(grads, [w, u]))
    text = str(info.value)
    assert text.splitlines()[0] == "No gradients provided for any variable."
    assert f"Variable 'kernel:0' created at {HERE}:{at['w']}: None - LEFT_TAPE" in text
    _assert_user_text(text)
    k = tf.Variable(1.0)
    with tf.GradientTape() as tape2:
        part = k * 2.0
    g = tape2.gradient(part, [k, u])
    with pytest.warns(UserWarning) as caught:
        O.Adam(0.1).apply_gradients(zip(g, [k, u]))
    _assert_user_text(str(caught[0].message))
    assert f"Variable 'bias:0' created at {HERE}:{at['u']}: None - UNUSED" in \
        str(caught[0].message)


# -- several causes: the one nearest the source on the most direct path wins -------------------


def _others(e):
    return [(cause, op, site_line(site)) for cause, op, site in e.others]


def test_shorter_path_wins_and_the_longer_one_is_listed():
    w = tf.Variable(1.0)
    with tf.GradientTape() as tape:
        a = tf.stop_gradient(w * 2.0); sg_at = _line()  # noqa: E702
        b = tf.math.round(w); round_at = _line()  # noqa: E702
        loss = a + b
    e = tape.explain(loss, w)
    assert (e.cause, e.op, e.line) == ("non_differentiable", "Round", round_at)
    assert _others(e) == [("stop_gradient", "StopGradient", sg_at)]
    assert f"  also: stop_gradient in StopGradient at {HERE}:{sg_at}" in str(e).splitlines()


def test_nearest_the_source_wins_on_one_chain():
    w = tf.Variable([0.4, 1.6])
    with tf.GradientTape() as tape:
        q = tf.math.round(w * 4.0); round_at = _line()  # noqa: E702
        frozen = tf.stop_gradient(q); sg_at = _line()  # noqa: E702
        hits = tf.equal(frozen, tf.constant([2.0, 6.0])); eq_at = _line()  # noqa: E702
        loss = tf.reduce_sum(tf.cast(hits, tf.float32))
    e = tape.explain(loss, w)
    assert (e.cause, e.op, e.line) == ("non_differentiable", "Round", round_at)
    # Removing Round alone would not help: the later cuts on float values are listed; the
    # bool -> float Cast is not (nothing flows into it anyway).
    assert _others(e) == [("stop_gradient", "StopGradient", sg_at),
                          ("non_differentiable", "Equal", eq_at)]


def test_cut_on_the_tape_wins_over_an_escape():
    w = tf.Variable([1.0, 2.0])
    with tf.GradientTape() as tape:
        kept = tf.stop_gradient(w * 2.0); sg_at = _line()  # noqa: E702
        logged = tf.constant(w.numpy() * 3.0); np_at = _line()  # noqa: E702
        loss = tf.reduce_sum(kept + logged)
    e = tape.explain(loss, w)
    assert (e.cause, e.op, e.line) == ("stop_gradient", "StopGradient", sg_at)
    assert _others(e) == [("left_tape", "numpy()", np_at)]


# -- tape.path and Explanation.to_dot ----------------------------------------------------------


def _cast_program():
    w = tf.Variable(1.0)
    with tf.GradientTape(persistent=True) as tape:
        a = w * 2.0
        b = tf.cast(tf.cast(a, tf.int32), tf.float32)
        loss = b + 1.0
    return tape, loss, w


def test_path_text_marks_the_break():
    tape, loss, w = _cast_program()
    first = _cast_program.__code__.co_firstlineno
    a_at, b_at, loss_at = first + 3, first + 4, first + 5
    assert tape.path(loss, w).splitlines() == [
        f"  AddV2            {HERE}:{loss_at}  loss = b + 1.0",
        f"  Cast             {HERE}:{b_at}  b = tf.cast(tf.cast(a, tf.int32), tf.float32)",
        f"X Cast             {HERE}:{b_at}  b = tf.cast(tf.cast(a, tf.int32), tf.float32)",
        f"  Mul              {HERE}:{a_at}  a = w * 2.0",
        f"  ReadVariableOp   {HERE}:{a_at}  a = w * 2.0",
    ]
    assert tape.explain(loss, w).cause == "integer_dtype"


def test_dot_marks_the_broken_edge():
    tape, loss, w = _cast_program()
    first = _cast_program.__code__.co_firstlineno
    a_at, b_at, loss_at = first + 3, first + 4, first + 5
    created = f"{HERE}:{first + 1}"
    assert tape.explain(loss, w).to_dot().splitlines() == [
        "digraph gradient_path {",
        "  rankdir=LR;",
        "  target [shape=box];",
        f'  op0 [label="AddV2\\n{HERE}:{loss_at}"];',
        "  op0 -> target;",
        f'  op1 [label="Cast\\n{HERE}:{b_at}"];',
        "  op1 -> op0;",
        f'  op2 [label="Cast\\n{HERE}:{b_at}"];',
        '  op2 -> op1 [style=dashed, color=red, label="broken"];',
        f'  op3 [label="Mul\\n{HERE}:{a_at}"];',
        "  op3 -> op2;",
        f'  op4 [label="ReadVariableOp\\n{HERE}:{a_at}"];',
        "  op4 -> op3;",
        f"  source [shape=box, label=\"w (Variable 'Variable:0' created at {created})\"];",
        "  source -> op4;",
        "}",
    ]


def test_dot_without_a_recorded_path_cuts_the_source_edge():
    v = tf.Variable(1.0, trainable=False)
    with tf.GradientTape() as tape:
        y = v * 2.0
    dot = tape.explain(y, v).to_dot().splitlines()
    assert dot[-2] == '  source -> target [style=dashed, color=red, label="no path"];'
    assert tape.path(y, v).startswith("no recorded op links the target to v (")


def test_left_tape_path_starts_at_the_escape():
    w = tf.Variable([1.0, 2.0])
    with tf.GradientTape() as tape:
        p = tf.nn.relu(w * 2.0); p_at = _line()  # noqa: E702
        loss = tf.constant(np.sum(p.numpy())); np_at = _line()  # noqa: E702
    e = tape.explain(loss, w)
    assert [(s.op, s.line, s.broken) for s in e.path] == [
        ("numpy()", np_at, True), ("Relu", p_at, False), ("Mul", p_at, False),
        ("ReadVariableOp", p_at, False)]
    assert '[style=dashed, color=red, label="broken"]' in e.to_dot()


# -- facts without arrays after a non-persistent release ---------------------------------------


def test_released_tape_keeps_no_arrays_and_still_explains():
    inner = []

    @tf.custom_gradient
    def scaled_exp(x):
        h = x * 3.0  # kept alive by the grad_fn closure until the tape lets go of it
        inner.append(weakref.ref(h._value))
        return tf.exp(h), lambda dy: dy * 3.0 * tf.exp(h)

    w = tf.Variable(np.full(50_000, 0.01, np.float32))
    frozen = tf.Variable(2.0, trainable=False); frozen_at = _line()  # noqa: E702
    with tf.GradientTape() as tape:
        big = tf.sin(w * 2.0)
        head = tf.stop_gradient(big * frozen)
        loss = tf.reduce_sum(scaled_exp(big)) + tf.reduce_sum(head)
    refs = [weakref.ref(big), weakref.ref(big._value), weakref.ref(head), inner[0]]
    del big, head
    assert tape.gradient(loss, w) is not None
    gc.collect()
    assert [r() is None for r in refs] == [True] * 4
    assert tape._records == []
    e_w, e_frozen = tape.explain(loss, [w, frozen])
    assert e_w.cause == "connected" and "CustomGradient" in [s.op for s in e_w.path]
    assert (e_frozen.cause, e_frozen.line) == ("not_trainable", frozen_at)
    tape2 = tf.GradientTape()
    with tape2:
        h2 = tf.stop_gradient(w * 2.0); h2_at = _line()  # noqa: E702
        out = tf.reduce_sum(h2)
    ref2 = weakref.ref(h2._value)
    del h2
    assert tape2.gradient(out, w) is None
    gc.collect()
    assert ref2() is None
    e = tape2.explain(out, w)
    assert (e.cause, e.op, e.line) == ("stop_gradient", "StopGradient", h2_at)


def test_dot_escapes_quotes_in_names():
    x = tf.constant(1.0)
    with tf.GradientTape() as tape:
        y = x * 2.0
    e = tape.explain(y, x)
    e.source_name = 'the "input" tensor'
    assert '  source [shape=box, label="the \\"input\\" tensor"];' in e.to_dot().splitlines()
