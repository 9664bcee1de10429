"""Learning-rate schedules against TF 2.21: tf_semantics.md 6.3 vectors and the values TF
computed at steps 0..40 (tests/fixtures/optimizers_schedules.json)."""
import json
import os

import numpy as np
import pytest

import tapegrad as tf
from tapegrad.optimizers import schedules as S

with open(os.path.join(os.path.dirname(__file__), "fixtures", "optimizers_schedules.json")) as f:
    DATA = json.load(f)


def values(schedule, n):
    return [float(schedule(step).numpy()) for step in range(n)]


@pytest.mark.parametrize("schedule,expected", [
    (S.ExponentialDecay(0.1, 2, 0.5, staircase=True), [.1, .1, .05, .05, .025]),
    (S.PiecewiseConstantDecay([1, 2], [.1, .01, .001]), [.1, .1, .01, .001]),
    (S.PolynomialDecay(0.1, 4, end_learning_rate=0.01, power=1.0),
     [.1, .0775, .055, .0325, .01, .01]),
    (S.InverseTimeDecay(0.1, 1, 0.5), [.1, .0666667, .05]),
    (S.CosineDecay(0.1, 4), [.1, .0853553, .05, .0146447, 0, 0]),
])
def test_section_6_3_vectors(schedule, expected):
    np.testing.assert_allclose(values(schedule, len(expected)), expected, rtol=1e-5, atol=1e-7)


@pytest.mark.parametrize("name", sorted(DATA["cases"]))
def test_fixture_values(name):
    case = DATA["cases"][name]
    schedule = getattr(S, case["cls"])(**case["kwargs"])
    got = [schedule(tf.constant(step, tf.int64)) for step in range(len(case["values"]))]
    assert all(t.dtype == tf.float32 and t.shape == () for t in got)
    np.testing.assert_allclose([float(t.numpy()) for t in got], case["values"], rtol=1e-6,
                               atol=1e-8)
    assert schedule.get_config() == case["config"]
    again = type(schedule).from_config(schedule.get_config())
    assert values(again, 12) == values(schedule, 12)


def test_steps_as_ints_arrays_and_variables():
    s = S.ExponentialDecay(0.1, 1, 0.5)
    step = tf.Variable(2, dtype=tf.int64)
    assert float(s(2).numpy()) == float(s(np.int64(2)).numpy()) == float(s(step).numpy())
    np.testing.assert_allclose(float(s(step).numpy()), 0.025, rtol=1e-6)


def test_schedule_sees_pre_increment_counter():
    """SGD with ExponentialDecay(0.1, 1, 0.5): steps use 0.1, 0.05, 0.025 -> -0.175."""
    x = tf.Variable(0.0)
    opt = tf.keras.optimizers.SGD(learning_rate=S.ExponentialDecay(0.1, 1, 0.5))
    for _ in range(3):
        opt.apply_gradients([(tf.constant(1.0), x)])
    np.testing.assert_allclose(x.numpy(), -0.175, rtol=1e-6)
    np.testing.assert_allclose(float(opt.learning_rate.numpy()), 0.0125, rtol=1e-6)


def test_errors_and_serialization():
    for make in (lambda: S.ExponentialDecay(0.1, 0, 0.5), lambda: S.PolynomialDecay(0.1, -1),
                 lambda: S.InverseTimeDecay(0.1, 0, 1.0), lambda: S.CosineDecay(0.1, 0)):
        with pytest.raises(ValueError, match=r"Argument `decay_steps` must be > 0"):
            make()
    with pytest.raises(ValueError, match="`first_decay_steps` must be > 0"):
        S.CosineDecayRestarts(0.1, 0)
    with pytest.raises(ValueError, match="The length of boundaries should be 1 less than the "
                                         "length of values"):
        S.PiecewiseConstantDecay([1, 2], [0.1, 0.2])
    s = S.CosineDecayRestarts(0.1, 5, t_mul=1.5)
    d = S.serialize(s)
    assert d["class_name"] == "CosineDecayRestarts" and d["config"]["t_mul"] == 1.5
    assert S.deserialize(d).get_config() == s.get_config()
    assert tf.keras.optimizers.schedules.ExponentialDecay is S.ExponentialDecay

    class Mine(S.LearningRateSchedule):
        def __call__(self, step):
            return 0.5 / (float(step) + 1)
    x = tf.Variable(0.0)
    opt = tf.keras.optimizers.SGD(learning_rate=Mine())
    opt.apply_gradients([(tf.constant(1.0), x)])
    opt.apply_gradients([(tf.constant(1.0), x)])
    np.testing.assert_allclose(x.numpy(), -0.75, rtol=1e-6)
    with pytest.raises(NotImplementedError, match=r"must override `get_config\(\)`"):
        Mine().get_config()
