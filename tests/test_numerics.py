"""check_numerics: the op where a NaN/Inf is born, forward and backward, at the user's line."""
import inspect
import os

import numpy as np
import pytest

import tapegrad as tf
from test_explain import points_inside_tapegrad

HERE = os.path.abspath(__file__)


@pytest.fixture
def numerics():
    tf.debugging.enable_check_numerics()
    yield
    tf.debugging.disable_check_numerics()


def marked_line(fn, marker="# NAN"):
    lines, start = inspect.getsourcelines(fn)
    return next(start + i for i, t in enumerate(lines) if marker in t)


def run(prog, cause, op, marked=None):
    with pytest.raises(tf.errors.InvalidArgumentError) as info:
        prog()
    e = info.value.explanation
    assert e.cause == cause, str(e)
    assert e.op == op, str(e)
    assert os.path.abspath(e.filename) == HERE and e.line == marked_line(marked or prog), str(e)
    text = str(info.value)
    assert "Detected Infinity or NaN" in text and cause.upper() in text
    assert "site-packages" not in text and not points_inside_tapegrad(text), text
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


def prog_log_of_softmax():
    z = tf.Variable([[0.0, 200.0]])
    with tf.GradientTape() as tape:
        p = tf.nn.softmax(z)
        loss = -tf.reduce_sum(tf.math.log(p))  # NAN
    return tape.gradient(loss, z)


def prog_softmax_by_hand_overflows():
    z = tf.Variable([1.0, 100.0])
    with tf.GradientTape() as tape:
        e = tf.exp(z * 10.0)  # NAN
        p = e / tf.reduce_sum(e)
    return tape.gradient(p, z)


def prog_sqrt_of_negative_variance():
    x = tf.constant([1.0, 2.0, 3.0])
    var = tf.reduce_mean(x * x) - tf.reduce_mean(x) ** 2 - 1.0
    return tf.sqrt(var)  # NAN


def custom_loss(y_true, y_pred):
    return tf.reduce_sum(tf.math.log(tf.abs(y_true - y_pred)))  # NAN


def prog_seed_log_abs_loss():
    x = tf.Variable(1.0)
    y_true = tf.constant(1.0)
    with tf.GradientTape() as tape:
        loss = custom_loss(y_true, x)
    return tape.gradient(loss, x)


def prog_entropy_of_one_hot():
    p = tf.Variable([0.0, 1.0])
    with tf.GradientTape() as tape:
        ent = -tf.reduce_sum(p * tf.math.log(p))  # NAN
    return tape.gradient(ent, p)


def prog_bce_by_hand_saturates():
    z = tf.Variable([50.0, -50.0])
    with tf.GradientTape() as tape:
        p = tf.sigmoid(z)
        loss = -tf.reduce_sum(tf.math.log(1.0 - p))  # NAN
    return tape.gradient(loss, z)


def prog_learning_rate_too_high():
    rng = np.random.default_rng(0)
    x = tf.constant(rng.normal(size=(32, 4)).astype(np.float32) * 100)
    y = tf.constant(rng.normal(size=(32, 1)).astype(np.float32))
    w = tf.Variable(tf.zeros([4, 1]))
    opt = tf.keras.optimizers.SGD(learning_rate=5.0)
    for _ in range(20):
        with tf.GradientTape() as tape:
            loss = tf.reduce_mean(tf.square(x @ w - y))  # NAN
        opt.apply_gradients(zip(tape.gradient(loss, [w]), [w]))


def prog_pow_half_at_zero():
    x = tf.Variable([0.0, 4.0])
    with tf.GradientTape() as tape:
        y = tf.reduce_sum(x ** 0.5)  # NAN
    return tape.gradient(y, x)


def prog_acos_at_one():
    cos_sim = tf.Variable([1.0, 0.5])
    with tf.GradientTape() as tape:
        angle = tf.reduce_sum(tf.math.acos(cos_sim))  # NAN
    return tape.gradient(angle, cos_sim)


def prog_atan2_at_origin():
    x = tf.Variable([0.0, 1.0])
    y = tf.Variable([0.0, 1.0])
    with tf.GradientTape() as tape:
        heading = tf.reduce_sum(tf.math.atan2(y, x))  # NAN
    return tape.gradient(heading, x)


def prog_pairwise_distance_zero():
    pts = tf.Variable([[0.0, 0.0], [3.0, 4.0]])
    with tf.GradientTape() as tape:
        d = tf.reduce_sum(tf.sqrt(tf.reduce_sum(pts * pts, axis=1)))  # NAN
    return tape.gradient(d, pts)


def prog_reciprocal_of_tiny():
    y = tf.Variable([1e-30, 1.0])
    with tf.GradientTape() as tape:
        z = tf.reduce_sum(1.0 / y)  # NAN
    return tape.gradient(z, y)


def prog_custom_gradient_divides_by_zero():
    @tf.custom_gradient
    def scaled(x):
        return x * 1.0, lambda dy: dy / tf.zeros_like(x)

    x = tf.Variable([1.0])
    with tf.GradientTape() as tape:
        y = scaled(x)  # NAN
    return tape.gradient(y, x)


def prog_masked_acos():
    c = tf.Variable([1.0, 0.5])
    with tf.GradientTape() as tape:
        a = tf.where(c < 1.0, tf.math.acos(c), tf.zeros_like(c))  # NAN
    return tape.gradient(a, c)


def prog_masked_asin():
    s = tf.Variable([-1.0, 0.5])
    with tf.GradientTape() as tape:
        a = tf.where(s > -1.0, tf.math.asin(s), tf.zeros_like(s))  # NAN
    return tape.gradient(a, s)


def prog_masked_cube_root():
    x = tf.Variable([0.0, 8.0])
    with tf.GradientTape() as tape:
        y = tf.where(x > 0, tf.pow(x, 1.0 / 3.0), tf.zeros_like(x))  # NAN
    return tape.gradient(y, x)


def prog_where_result_scaled():
    x = tf.Variable([0.0, 4.0])
    with tf.GradientTape() as tape:
        r = x ** 0.5  # NAN
        y = tf.reduce_sum(tf.where(x > 0, r, 0.0) * 3.0)
    return tape.gradient(y, x)


def prog_mask_multiply():
    x = tf.Variable([0.0, 4.0])
    with tf.GradientTape() as tape:
        keep = tf.cast(x > 0, tf.float32)
        y = tf.reduce_sum(keep * x ** 0.5)  # NAN
    return tape.gradient(y, x)


FORWARD = [prog_log_zero, prog_divide_by_zero, prog_exp_overflow, prog_log_of_softmax,
           prog_softmax_by_hand_overflows, prog_sqrt_of_negative_variance,
           prog_seed_log_abs_loss, prog_entropy_of_one_hot, prog_bce_by_hand_saturates,
           prog_learning_rate_too_high]
FORWARD_OPS = ["Log", "RealDiv", "Exp", "Log", "Exp", "Sqrt", "Log", "Log", "Log", "Square"]
BACKWARD = [prog_sqrt_of_square_at_zero, prog_norm_of_zero_vector, prog_pow_half_at_zero,
            prog_acos_at_one, prog_atan2_at_origin, prog_pairwise_distance_zero,
            prog_reciprocal_of_tiny, prog_custom_gradient_divides_by_zero]
BACKWARD_OPS = ["Sqrt", "Sqrt", "Pow", "Acos", "Atan2", "Sqrt", "RealDiv", "CustomGradient"]
MASKED = [prog_masked_branch_pow, prog_masked_acos, prog_masked_asin, prog_masked_cube_root,
          prog_where_result_scaled, prog_mask_multiply]
MASKED_OPS = ["Pow", "Acos", "Asin", "Pow", "Pow", "Pow"]
CASES = ([(p, "nonfinite_forward", o) for p, o in zip(FORWARD, FORWARD_OPS)]
         + [(p, "nonfinite_backward", o) for p, o in zip(BACKWARD, BACKWARD_OPS)]
         + [(p, "masked_branch", o) for p, o in zip(MASKED, MASKED_OPS)])


@pytest.mark.parametrize("prog,cause,op", CASES, ids=[c[0].__name__[5:] for c in CASES])
def test_catalogue(numerics, prog, cause, op):
    # the seed's loss function holds the line, not the program that calls it
    run(prog, cause, op, marked=custom_loss if prog is prog_seed_log_abs_loss else None)


def test_forward_report_counts_and_samples(numerics):
    err = run(prog_log_zero, "nonfinite_forward", "Log")
    assert "# of -Inf elements: 1" in str(err)
    assert "[1]=0.0" in str(err)  # a sample of the offending input


def test_propagation_is_not_blamed(numerics):
    x = tf.constant([np.inf, 1.0])
    y = x * 2.0  # inputs already non-finite: not the origin, so no error
    assert np.isinf(y.numpy()[0])


def test_backward_report_says_gradient(numerics):
    err = run(prog_sqrt_of_square_at_zero, "nonfinite_backward", "Sqrt")
    assert 'in the gradient of input 0 of op "Sqrt"' in str(err)
    assert "# of +Inf elements: 1" in str(err)  # sqrt'(0) = inf, upstream 1


def test_masked_branch_fix_is_the_double_where(numerics):
    err = run(prog_masked_branch_pow, "masked_branch", "Pow")
    assert "tf.where(mask" in err.explanation.fix
    assert "0 * inf" in str(err) and "the branch it did not select" in str(err)
    err = run(prog_mask_multiply, "masked_branch", "Pow")
    assert "by a mask that is 0 there" in str(err)
    err = run(prog_masked_acos, "masked_branch", "Acos")
    assert "f is the tf.math.acos expression" in err.explanation.fix


def test_numerically_safe_programs_do_not_raise(numerics):
    z = tf.Variable([[0.0, 1000.0]])
    x = tf.Variable([0.0, 4.0])
    p = tf.Variable([0.0, 0.5])
    with tf.GradientTape(persistent=True) as tape:
        soft = tf.reduce_sum(tf.nn.softmax(z) * tf.constant([[1.0, 2.0]]))  # stable softmax
        lse = tf.reduce_logsumexp(z)
        xent = tf.reduce_sum(tf.nn.softmax_cross_entropy_with_logits([[0.0, 1.0]], z))
        sqrt_where = tf.reduce_sum(tf.where(x > 0, tf.sqrt(x), tf.zeros_like(x)))
        safe = tf.where(x > 0, x, tf.ones_like(x))
        double_where = tf.reduce_sum(tf.where(x > 0, safe ** 0.5, tf.zeros_like(x)))
        ent = -tf.reduce_sum(tf.math.xlogy(p, p))
        inv = tf.reduce_sum(tf.math.divide_no_nan(1.0, x))
        unit = tf.reduce_sum(tf.math.l2_normalize(x * 0.0))
    for target, source in [(soft, z), (lse, z), (xent, z), (sqrt_where, x), (double_where, x),
                           (ent, p), (inv, x), (unit, x)]:
        assert np.isfinite(tape.gradient(target, source).numpy()).all()
    np.testing.assert_allclose(tape.gradient(double_where, x).numpy(), [0.0, 0.25])


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
