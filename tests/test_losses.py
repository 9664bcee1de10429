"""Keras losses and metrics against TF 2.21 fixtures (tools/tf_fixtures/gen_losses.py), plus
numerical gradient checks of the function forms."""
import json
import os

import numpy as np
import pytest

import tapegrad as tf
from loss_cases import CASES
from tapegrad.diagnostics.gradcheck import check_gradients
from tapegrad.keras import losses, metrics

FIXTURES = {c["name"]: c for c in json.load(open(os.path.join(
    os.path.dirname(__file__), "fixtures", "losses.json")))["cases"]}


@pytest.mark.parametrize("case", CASES, ids=[c["name"] for c in CASES])
def test_loss_matches_tf(case):
    want = FIXTURES[case["name"]]
    loss = getattr(losses, case["cls"])(**case["config"])
    y_true = tf.constant(np.asarray(case["y_true"], case.get("true_dtype", "float32")))
    y_pred = tf.Variable(np.asarray(case["y_pred"], np.float32))
    kwargs = {}
    if "sample_weight" in case:
        kwargs["sample_weight"] = tf.constant(np.asarray(case["sample_weight"], np.float32))
    with tf.GradientTape() as tape:
        value = loss(y_true, y_pred, **kwargs)
    grad = tape.gradient(value, y_pred)
    np.testing.assert_allclose(value.numpy(), want["value"], rtol=1e-5, atol=1e-6)
    np.testing.assert_allclose(grad.numpy(), want["grad"], rtol=1e-4, atol=1e-6)
    assert value.dtype == tf.float32


FUNCS = [("mse", losses.mse, {}), ("mae", losses.mae, {}),
         ("huber", losses.huber, {}), ("bce_logits", losses.binary_crossentropy,
                                        {"from_logits": True}),
         ("cce_logits", losses.categorical_crossentropy, {"from_logits": True}),
         ("kld", losses.kld, {})]


@pytest.mark.parametrize("name,fn,kw", FUNCS, ids=[f[0] for f in FUNCS])
def test_loss_function_gradients(name, fn, kw):
    rng = np.random.default_rng(3)
    # Rows of y_true sum to 1: TF's fused softmax cross-entropy returns softmax - labels as the
    # logits gradient, the true derivative only for such labels (see the test below).
    y_true = rng.uniform(0.1, 0.9, size=(3, 4))
    y_true /= y_true.sum(axis=-1, keepdims=True)
    y_pred = rng.uniform(0.2, 0.8, size=(3, 4))
    check_gradients(lambda p: fn(tf.constant(y_true), p, **kw), [y_pred], order=1)


def test_fused_xent_gradient_is_softmax_minus_labels_as_tf():
    # TF 2.21: labels [[0.5, 0.9, 0.3]] (sum 1.7), logits [[0.1, 0.2, 0.3]] give the gradient
    # [[-0.19939039, -0.56777501, 0.0671654]], not softmax * 1.7 - labels.
    labels = tf.constant([[0.5, 0.9, 0.3]], tf.float64)
    x = tf.constant([[0.1, 0.2, 0.3]], tf.float64)
    with tf.GradientTape() as g:
        g.watch(x)
        y = tf.nn.softmax_cross_entropy_with_logits(labels, x)
    np.testing.assert_allclose(g.gradient(y, x).numpy(), [[-0.19939039, -0.56777501, 0.0671654]],
                               rtol=1e-7)


def test_bad_reduction():
    with pytest.raises(ValueError, match="reduction"):
        losses.MeanSquaredError(reduction="avg")


def test_metrics():
    m = metrics.Mean()
    m.update_state([1.0, 2.0, 3.0])
    m.update_state([10.0], sample_weight=[2.0])
    assert m.result().numpy() == pytest.approx((6 + 20) / 5)
    m.reset_state()
    assert m.result().numpy() == 0.0
    acc = metrics.SparseCategoricalAccuracy()
    acc.update_state([1, 0, 2], [[0.1, 0.8, 0.1], [0.6, 0.3, 0.1], [0.5, 0.4, 0.1]])
    assert acc.result().numpy() == pytest.approx(2 / 3)
    cat = metrics.CategoricalAccuracy()
    cat.update_state([[0, 1], [1, 0]], [[0.2, 0.8], [0.3, 0.7]])
    assert cat.result().numpy() == pytest.approx(0.5)
    a = metrics.Accuracy()
    a.update_state([1, 2, 3, 4], [1, 2, 0, 4])
    assert a.result().numpy() == pytest.approx(0.75)
