"""check_numerics: the op where a NaN/Inf is born, forward and backward, at the user's line."""
import inspect
import os

import numpy as np
import pytest

import tapegrad as tf

HERE = os.path.abspath(__file__)


@pytest.fixture
def numerics():
    tf.debugging.enable_check_numerics()
    yield
    tf.debugging.disable_check_numerics()


def marked_line(fn, marker="# NAN"):
    lines, start = inspect.getsourcelines(fn)
    return next(start + i for i, t in enumerate(lines) if marker in t)


def run(prog, cause, op):
    with pytest.raises(tf.errors.InvalidArgumentError) as info:
        prog()
    e = info.value.explanation
    assert e.cause == cause, str(e)
    assert e.op == op, str(e)
    assert os.path.abspath(e.filename) == HERE and e.line == marked_line(prog), str(e)
    text = str(info.value)
    assert "Detected Infinity or NaN" in text and cause.upper() in text
    assert "site-packages" not in text and "tapegrad" + os.sep not in text
    return info.value


def prog_log_zero():
    x = tf.constant([1.0, 0.0])
    return tf.math.log(x)  # NAN


def prog_divide_by_zero():
    a = tf.constant([1.0, 2.0])
    b = tf.constant([1.0, 0.0])
    return a / b  # NAN


def prog_exp_overflow():
    logits = tf.constant([10.0, 1000.0])
    return tf.math.exp(logits)  # NAN


def prog_sqrt_of_square_at_zero():
    x = tf.Variable([0.0, 3.0])
    with tf.GradientTape() as tape:
        d = tf.sqrt(x * x)  # NAN
    return tape.gradient(d, x)


def prog_masked_branch_pow():
    x = tf.Variable([0.0, 4.0])
    with tf.GradientTape() as tape:
        y = tf.where(x > 0, x ** 0.5, tf.zeros_like(x))  # NAN
    return tape.gradient(y, x)


def prog_norm_of_zero_vector():
    a = tf.Variable([1.0, 2.0])
    b = tf.constant([1.0, 2.0])
    with tf.GradientTape() as tape:
        d = tf.norm(a - b)  # NAN
    return tape.gradient(d, a)


def test_forward_origin(numerics):
    err = run(prog_log_zero, "nonfinite_forward", "Log")
    assert "# of -Inf elements: 1" in str(err)
    assert "[1]=0.0" in str(err)  # a sample of the offending input
    run(prog_divide_by_zero, "nonfinite_forward", "RealDiv")
    run(prog_exp_overflow, "nonfinite_forward", "Exp")


def test_propagation_is_not_blamed(numerics):
    x = tf.constant([np.inf, 1.0])
    y = x * 2.0  # inputs already non-finite: not the origin, so no error
    assert np.isinf(y.numpy()[0])


def test_backward_origin(numerics):
    err = run(prog_sqrt_of_square_at_zero, "nonfinite_backward", "Sqrt")
    assert "gradient" in str(err)


def test_masked_branch(numerics):
    err = run(prog_masked_branch_pow, "masked_branch", "Pow")
    assert "tf.where(mask" in err.explanation.fix
    assert "0 * inf" in str(err)


def test_norm_at_zero(numerics):
    run(prog_norm_of_zero_vector, "nonfinite_backward", "Sqrt")


def test_off_means_tf_values():
    x = tf.Variable([0.0, 4.0])
    with tf.GradientTape() as tape:
        y = tf.where(x > 0, x ** 0.5, tf.zeros_like(x))
    g = tape.gradient(y, x).numpy()
    assert np.isnan(g[0]) and g[1] == pytest.approx(0.25)
    with tf.GradientTape() as tape:
        y = tf.where(x > 0, tf.sqrt(x), tf.zeros_like(x))
    np.testing.assert_allclose(tape.gradient(y, x).numpy(), [0.0, 0.25])  # TF's SqrtGrad


def test_check_numerics_op():
    x = tf.constant([1.0, np.nan])
    with pytest.raises(tf.errors.InvalidArgumentError, match="boom : Tensor had NaN values"):
        tf.debugging.check_numerics(x, "boom")
    with pytest.raises(tf.errors.InvalidArgumentError, match="Tensor had Inf values"):
        tf.debugging.assert_all_finite(tf.constant([np.inf]), "aaf")
    with pytest.raises(tf.errors.InvalidArgumentError, match="not in the list of allowed values"):
        tf.debugging.check_numerics(tf.constant([1, 2]), "ints")
    v = tf.Variable([0.0, 1.0])
    with tf.GradientTape() as tape:
        c = tf.debugging.check_numerics(v * 1.0, "fwd")
        y = tf.reduce_sum(tf.math.log(c))
    with pytest.raises(tf.errors.InvalidArgumentError,
                       match=r"detected in gradient. b'fwd' : Tensor had Inf values"):
        tape.gradient(y, v)


def test_gradient_report_statuses():
    w_ok = tf.Variable([1.0, 2.0])
    w_sign = tf.Variable([1.0, -2.0])
    w_dead = tf.Variable([-1.0, -2.0])
    w_nan = tf.Variable([0.0, 1.0])
    w_none = tf.Variable(1.0)
    with tf.GradientTape() as tape:
        loss = (tf.reduce_sum(w_ok * w_ok) + tf.reduce_sum(tf.math.sign(w_sign))
                + tf.reduce_sum(tf.nn.relu(w_dead)) + tf.reduce_sum(tf.sqrt(w_nan * w_nan)))
    rep = tf.debugging.gradient_report(tape, loss, [w_ok, w_sign, w_dead, w_nan, w_none])
    assert [r.status for r in rep] == ["ok", "structural_zero", "numeric_zero", "nonfinite",
                                       "disconnected"]
    assert rep[0].norm == pytest.approx(np.sqrt(4 + 16))
    assert rep[1].op == "Sign" and rep[2].zero_fraction == 1.0
    assert rep[4].cause == "unused"
    text = str(rep)
    assert "structural_zero" in text and "w_sign" in text
    assert "tapegrad" + os.sep not in text


def test_backward_origin_through_an_array_twin(numerics):
    # Sqrt's rule runs as an array twin on the first-order path; the check still names it.
    x = tf.Variable([0.0, 4.0])
    with tf.GradientTape() as tape:
        y = tf.reduce_sum(tf.sqrt(x))
    with pytest.raises(tf.errors.InvalidArgumentError) as err:
        tape.gradient(y, x)
    exp = err.value.explanation
    assert (exp.cause, exp.op) == ("nonfinite_backward", "Sqrt")
    assert exp.line == inspect.currentframe().f_lineno - 5  # the tf.sqrt line
