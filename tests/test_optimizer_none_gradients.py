"""None gradients reaching an optimizer (issues 3 and 4): TF's warning or error text first, then
one explanation per variable from the diagnostics (cause word, where the variable was created,
the line that broke the path). Keras 3 optimizers, Keras's ``minimize`` and tf.compat.v1."""
import os
import sys

import pytest

import tapegrad as tf
from tapegrad import optimizers as O
from tapegrad.optimizers.optimizer import _missing_gradients_message

HERE = os.path.relpath(__file__)  # call sites are printed relative to the working directory


def _line():
    return sys._getframe(1).f_lineno


def _broken_program():
    """w reaches the loss only through .numpy(); u is never used; k is used properly."""
    w = tf.Variable(2.0, name="w"); w_line = _line()  # noqa: E702
    u = tf.Variable(3.0, name="u"); u_line = _line()  # noqa: E702
    k = tf.Variable(1.0, name="k")
    with tf.GradientTape() as tape:
        h = (w * 2.0).numpy(); h_line = _line()  # noqa: E702
        loss = k * h
    grads = tape.gradient(loss, [w, u, k])
    return (w, u, k), grads, {"w": w_line, "u": u_line, "h": h_line}


def _block(lines, name):
    """The explanation lines of variable ``name`` (from its header to the next header)."""
    start = next(i for i, s in enumerate(lines) if s.startswith(f"Variable '{name}:0' created"))
    end = next((i for i in range(start + 1, len(lines)) if lines[i].startswith("Variable '")),
               len(lines))
    return lines[start:end]


def test_all_none_error_keeps_tf_first_line_and_explains_each_variable():
    (w, u, _), grads, at = _broken_program()
    assert grads[0] is None and grads[1] is None
    with pytest.raises(ValueError) as info:
        O.SGD(0.1).apply_gradients(zip(grads[:2], [w, u]))
    lines = str(info.value).splitlines()
    assert lines[0] == "No gradients provided for any variable."
    w_block, u_block = _block(lines, "w"), _block(lines, "u")
    assert w_block[0] == (f"Variable 'w:0' created at {HERE}:{at['w']}: None - LEFT_TAPE at "
                          f"{HERE}:{at['h']}")
    assert any("numpy()" in s for s in w_block) and any("fix:" in s for s in w_block)
    assert u_block[0] == f"Variable 'u:0' created at {HERE}:{at['u']}: None - UNUSED at " \
                         f"{HERE}:{at['u']}"
    assert float(w.numpy()) == 2.0 and float(u.numpy()) == 3.0


def test_partial_none_warning_explains_only_the_missing_ones():
    (w, u, k), grads, at = _broken_program()
    opt = O.Adam(0.1)
    with pytest.warns(UserWarning) as caught:
        opt.apply_gradients(zip(grads, [w, u, k]))
    assert caught[0].filename == __file__  # points at the caller's line
    lines = str(caught[0].message).splitlines()
    assert lines[0] == ("Gradients do not exist for variables ['w:0', 'u:0'] when minimizing "
                        "the loss. If using `model.compile()`, did you forget to provide a "
                        "`loss` argument?")
    assert "LEFT_TAPE" in _block(lines, "w")[0] and "UNUSED" in _block(lines, "u")[0]
    assert not any(s.startswith("Variable 'k:0'") for s in lines)
    assert int(opt.iterations.numpy()) == 1 and float(k.numpy()) != 1.0


def test_none_passed_directly_names_the_variable_and_its_creation_line():
    a = tf.Variable(1.0); a_line = _line()  # noqa: E702
    b = tf.Variable(5.0, name="b"); b_line = _line()  # noqa: E702
    opt = O.SGD(0.1)
    with pytest.warns(UserWarning) as caught:
        opt.apply_gradients([(tf.constant(2.0), a), (None, b)])
    assert str(caught[0].message).splitlines() == [
        "Gradients do not exist for variables ['b:0'] when minimizing the loss. If using "
        "`model.compile()`, did you forget to provide a `loss` argument?",
        f"Variable 'b:0' created at {HERE}:{b_line}: None - passed to the optimizer as None (no "
        "tape.gradient call recorded why)"]
    assert float(a.numpy()) == pytest.approx(0.8) and float(b.numpy()) == 5.0
    fresh = O.SGD(0.1)
    with pytest.raises(ValueError) as info:
        fresh.apply_gradients([(None, a), (None, b)])
    lines = str(info.value).splitlines()
    assert lines[0] == "No gradients provided for any variable."
    assert lines[1].startswith(f"Variable 'Variable:0' created at {HERE}:{a_line}: None")
    assert fresh.built and int(fresh.iterations.numpy()) == 0


def test_keras_minimize_explains():
    v = tf.Variable([1.0, 2.0], name="v"); v_line = _line()  # noqa: E702
    k = tf.Variable(1.0)
    with pytest.raises(ValueError) as info:
        O.SGD(0.1).minimize(lambda: k * 2.0, [v])  # the loss never uses v
    lines = str(info.value).splitlines()
    assert lines[0] == "No gradients provided for any variable."
    assert lines[1] == f"Variable 'v:0' created at {HERE}:{v_line}: None - UNUSED at " \
                       f"{HERE}:{v_line}"


def test_v1_errors_keep_tf_first_line_and_explain():
    v = tf.Variable(1.0, name="v1v"); v_line = _line()  # noqa: E702
    opt = tf.compat.v1.train.GradientDescentOptimizer(0.1)
    m_line = _line() + 2
    with pytest.raises(ValueError) as info:
        opt.minimize(lambda: tf.constant(v.numpy()) * 2.0, var_list=[v])
    lines = str(info.value).splitlines()
    assert lines[0].startswith("No gradients provided for any variable, check your graph for ops "
                               "that do not support gradients, between variables [")
    assert lines[1] == (f"Variable 'v1v:0' created at {HERE}:{v_line}: None - LEFT_TAPE at "
                        f"{HERE}:{m_line}")
    k = tf.Variable(1.0)
    pairs = opt.compute_gradients(lambda: k * 3.0, var_list=[v])
    with pytest.raises(ValueError) as info:
        opt.apply_gradients(pairs)
    lines = str(info.value).splitlines()
    assert lines[0].startswith("No gradients provided for any variable: [")
    assert f"Variable 'v1v:0' created at {HERE}:{v_line}: None - UNUSED" in lines[1]
    assert float(v.numpy()) == 1.0


def test_missing_gradient_messages_come_from_one_function(monkeypatch):
    from tapegrad.optimizers import optimizer as mod
    calls = []

    def spy(variables, all_missing=False, **kw):
        calls.append(([v.name for v in variables], all_missing))
        return _missing_gradients_message(variables, all_missing, **kw) + "\nexplained"
    monkeypatch.setattr(mod, "_missing_gradients_message", spy)
    a, b = tf.Variable(1.0, name="a"), tf.Variable(2.0, name="b")
    with pytest.warns(UserWarning, match="explained"):
        O.SGD(0.1).apply_gradients([(None, a), (tf.constant(1.0), b)])
    with pytest.raises(ValueError, match="explained"):
        O.SGD(0.1).apply_gradients([(None, a), (None, b)])
    assert calls == [(["a:0"], False), (["a:0", "b:0"], True)]
