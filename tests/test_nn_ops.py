"""tf.nn behaviour against NumPy formulas and TF 2.21's observed values, dtypes and errors."""
import math

import numpy as np
import pytest

import tapegrad as tf
from tapegrad.errors import InvalidArgumentError

nn = tf.nn


def grad(f, *xs):
    xs = [tf.constant(x) if not isinstance(x, tf.Tensor) else x for x in xs]
    with tf.GradientTape(persistent=True) as tape:
        tape.watch(xs)
        y = f(*xs)
    gs = tape.gradient(y, xs)
    return [None if g is None else np.asarray(tf.convert_to_tensor(g)) for g in gs]


def close(a, b, **kw):
    np.testing.assert_allclose(np.asarray(a), np.asarray(b), **kw)


X = np.array([-2.5, -0.3, 0.0, 1.5, 7.0], np.float32)


# -- activations ---------------------------------------------------------------------------------

def test_rectifier_values():
    close(nn.relu(X), np.maximum(X, 0))
    close(nn.relu6(X), np.clip(X, 0, 6))
    close(nn.leaky_relu(X), np.where(X > 0, X, np.float32(0.2) * X))
    close(nn.elu(X), np.where(X < 0, np.expm1(X), X), rtol=1e-6)
    scale, alpha = 1.0507009873554805, 1.6732632423543772
    close(nn.selu(X), scale * np.where(X < 0, alpha * np.expm1(X), X), rtol=1e-6)


def test_rectifier_gradients_at_kinks():
    # tf_semantics 3: relu 0 at 0; relu6 + leaky_relu + elu at 0 -> 0 + 0.2 + 1
    (g,) = grad(nn.relu, np.array([0.0, -1.0, 2.0], np.float32))
    close(g, [0.0, 0.0, 1.0])
    (g,) = grad(lambda x: nn.relu6(x) + nn.leaky_relu(x, alpha=0.2) + nn.elu(x),
                np.float32(0.0))
    close(g, 1.2, rtol=1e-6)
    (g,) = grad(nn.relu6, np.array([6.0, 5.9, 0.1], np.float32))
    close(g, [0.0, 1.0, 1.0])
    (g,) = grad(nn.selu, np.array([0.0, -1.0], np.float32))
    close(g, [1.050701, 0.64676857], rtol=1e-6)


def test_rectifier_dtypes():
    assert nn.relu(tf.constant([1, -2])).dtype == tf.int32
    assert nn.relu6(tf.constant([1, -2, 7])).numpy().tolist() == [1, 0, 6]
    out = nn.leaky_relu(tf.constant([1, -2]))  # integers are computed in float32, as TF
    assert out.dtype == tf.float32 and out.numpy().tolist() == pytest.approx([1.0, -0.4])
    with pytest.raises(InvalidArgumentError):
        nn.elu(tf.constant([1, -2]))
    with pytest.raises(InvalidArgumentError):
        nn.relu(tf.constant([1j]))
    with pytest.raises(TypeError):
        nn.leaky_relu(tf.constant([-1.0]), alpha=tf.constant(0.1))


def test_leaky_relu_alpha_is_a_float32_attribute():
    out = nn.leaky_relu(tf.constant([-1.0], tf.float64), alpha=0.2)
    assert out.numpy()[0] == -float(np.float32(0.2))
    assert nn.leaky_relu(tf.constant([-2.0]), alpha=2.0).numpy()[0] == -4.0


def test_second_derivatives_of_rectifiers():
    x = tf.constant([-1.0, 2.0], tf.float64)
    with tf.GradientTape() as outer:
        outer.watch(x)
        with tf.GradientTape() as inner:
            inner.watch(x)
            y = nn.elu(x) + nn.selu(x) + nn.relu(x) * 3.0
        g = inner.gradient(y, x)
    close(outer.gradient(g, x), [math.exp(-1) * (1 + 1.0507009873554805 * 1.6732632423543772),
                                 0.0])


def test_gelu_and_silu():
    x = np.array([-2.0, -0.5, 0.0, 1.0, 3.0])
    exact = [0.5 * v * (1 + math.erf(v / math.sqrt(2))) for v in x]
    close(nn.gelu(tf.constant(x)), exact, rtol=1e-7)
    approx = 0.5 * x * (1 + np.tanh(math.sqrt(2 / math.pi) * (x + 0.044715 * x ** 3)))
    close(nn.gelu(tf.constant(x), approximate=True), approx, rtol=1e-7)
    close(nn.silu(tf.constant(x)), x / (1 + np.exp(-x)))
    close(nn.swish(tf.constant(x), beta=2.0), x / (1 + np.exp(-2 * x)))
    assert nn.silu is nn.swish
    with pytest.raises(ValueError, match="floating point"):
        nn.gelu(tf.constant([1, 2]))
    (g,) = grad(nn.gelu, np.array([1.0, -2.0, 0.5], np.float32))
    close(g, [1.0833155, -0.08523182, 0.8674951], rtol=1e-5)


def test_swish_beta_gradient():
    gx, gb = grad(lambda x, b: nn.swish(x, beta=b), np.array([1.0, -2.0]), np.float64(1.5))
    s = 1 / (1 + np.exp(-1.5 * np.array([1.0, -2.0])))
    close(gb, np.sum(np.array([1.0, 4.0]) * s * (1 - s)))
    close(gx, s * (1 + 1.5 * np.array([1.0, -2.0]) * (1 - s)))


def test_log_sigmoid():
    out = tf.math.log_sigmoid(tf.constant([-100.0, 0.0, 100.0]))
    close(out, [-100.0, -0.6931472, 0.0], atol=1e-6)
    assert np.isfinite(tf.math.log_sigmoid(tf.constant([-800.0, 800.0], tf.float64))).all()
    (g,) = grad(tf.math.log_sigmoid, np.zeros(3, np.float32))
    close(g, [0.5, 0.5, 0.5])
    with pytest.raises(InvalidArgumentError):
        tf.math.log_sigmoid(tf.constant([1]))


# -- softmax family -------------------------------------------------------------------------------

def test_softmax_values_and_axis():
    x = np.array([[1.0, 2.0], [3.0, 5.0]], np.float32)
    e = np.exp(x - x.max(-1, keepdims=True))
    close(nn.softmax(x), e / e.sum(-1, keepdims=True), rtol=1e-6)
    close(nn.softmax(x, axis=0), [[0.11920291, 0.04742587], [0.880797, 0.95257413]], rtol=1e-6)
    close(nn.log_softmax(x), np.log(e / e.sum(-1, keepdims=True)), rtol=1e-6)
    big = nn.softmax(tf.constant([1000.0, 0.0]))  # stable
    close(big, [1.0, 0.0])
    close(nn.log_softmax(tf.constant([-np.inf, 1.0])), [-np.inf, 0.0])
    assert nn.softmax(tf.zeros([0])).shape == (0,)
    assert nn.softmax(tf.constant([1.0, 2.0], tf.float16)).dtype == tf.float16


def test_softmax_errors():
    with pytest.raises(InvalidArgumentError):
        nn.softmax(tf.constant([1, 2]))
    with pytest.raises(InvalidArgumentError, match=">= 1 dimension"):
        nn.log_softmax(tf.constant(1.0))
    with pytest.raises(InvalidArgumentError, match=r"range \[-2, 2\)"):
        nn.softmax(tf.ones([2, 2]), axis=2)


def test_softmax_gradients():
    x = np.array([1.0, 2.0, 3.0])
    (g,) = grad(lambda t: nn.softmax(t) * tf.constant([1.0, 0.0, 0.0], tf.float64), x)
    s = np.exp(x) / np.exp(x).sum()
    close(g, s[0] * (np.eye(3)[0] - s))
    (g,) = grad(lambda t: nn.log_softmax(t) * tf.constant([1.0, 0.0, 0.0], tf.float64), x)
    close(g, np.eye(3)[0] - s)


# -- cross-entropies ------------------------------------------------------------------------------

def test_softmax_cross_entropy_values_and_gradients():
    labels = tf.constant([[0.0, 0.0, 1.0], [0.5, 0.5, 0.0]])
    logits = tf.constant([[1.0, 2.0, 3.0], [1.0, -1.0, 0.0]])
    close(nn.softmax_cross_entropy_with_logits(labels, logits), [0.40760595, 1.4076061],
          rtol=1e-6)
    gl, gz = grad(lambda z, x: nn.softmax_cross_entropy_with_logits(z, x),
                  np.array([[0.0, 0.0, 1.0]], np.float32), np.array([[1.0, 2.0, 3.0]], np.float32))
    # tf_semantics 3: differentiable w.r.t. both logits and labels
    close(gz, [[0.09003057, 0.24472848, -0.33475906]], rtol=1e-5)
    close(gl, [[2.4076059, 1.4076059, 0.40760595]], rtol=1e-6)


def test_softmax_cross_entropy_gradient_is_softmax_minus_labels():
    # as TF's fused kernel: labels that do not sum to 1 are not renormalised
    (g,) = grad(lambda x: nn.softmax_cross_entropy_with_logits(
        tf.constant([0.5, 0.3, 0.1]), x), np.array([1.0, 2.0, 3.0], np.float32))
    close(g, [-0.40996942, -0.05527154, 0.5652409], rtol=1e-5)


def test_softmax_cross_entropy_shapes_and_dtypes():
    logits = tf.constant([[1.0, 2.0, 3.0], [1.0, -1.0, 0.0]])
    close(nn.softmax_cross_entropy_with_logits([0.0, 0.0, 1.0], logits),
          [0.40760595, 1.407606], rtol=1e-6)  # labels broadcast
    out = nn.softmax_cross_entropy_with_logits(tf.constant([[0.0, 1.0, 0.0]]).numpy().T,
                                               logits.numpy().T[:, :1], axis=0)
    close(out, [1.4076059], rtol=1e-6)
    assert nn.softmax_cross_entropy_with_logits([0, 0, 1], [1.0, 2.0, 3.0]).shape == ()
    out = nn.softmax_cross_entropy_with_logits(tf.constant([0.0, 1.0], tf.float16),
                                               tf.constant([1.0, 2.0], tf.float16))
    assert out.dtype == tf.float16
    assert nn.softmax_cross_entropy_with_logits(
        tf.constant([0.0, 1.0]), tf.constant([1000.0, -1000.0])).numpy() == 2000.0
    with pytest.raises(InvalidArgumentError, match="broadcastable"):
        nn.softmax_cross_entropy_with_logits(tf.constant([[0.0, 1.0]]), logits)


def test_sparse_softmax_cross_entropy():
    logits = tf.constant([[1.0, 2.0, 3.0], [1.0, -1.0, 0.0]])
    close(nn.sparse_softmax_cross_entropy_with_logits(tf.constant([2, 0]), logits),
          [0.40760595, 0.40760604], rtol=1e-6)
    assert nn.sparse_softmax_cross_entropy_with_logits(
        tf.constant([0], tf.int64), tf.constant([[1.0, 2.0]], tf.float64)).dtype == tf.float64
    gx, gl = grad(lambda x, l: nn.sparse_softmax_cross_entropy_with_logits(l, x),
                  np.array([[1.0, 2.0, 3.0]], np.float32), tf.constant([2]))
    close(gx, [[0.09003057, 0.24472848, -0.33475906]], rtol=1e-5)
    assert gl is None
    out = nn.sparse_softmax_cross_entropy_with_logits(tf.constant([[2, 0]]), tf.ones([1, 2, 3]))
    close(out, [[1.0986123, 1.0986123]], rtol=1e-6)


def test_sparse_softmax_cross_entropy_errors():
    logits = tf.constant([[1.0, 2.0, 3.0], [1.0, -1.0, 0.0]])
    with pytest.raises(InvalidArgumentError, match=r"label value of 3 .* range of \[0, 3\)"):
        nn.sparse_softmax_cross_entropy_with_logits(tf.constant([3, 0]), logits)
    with pytest.raises(InvalidArgumentError, match="-1"):
        nn.sparse_softmax_cross_entropy_with_logits(tf.constant([-1, 0]), logits)
    with pytest.raises(InvalidArgumentError, match="Tlabels"):
        nn.sparse_softmax_cross_entropy_with_logits(tf.constant([2.0, 0.0]), logits)
    with pytest.raises(ValueError, match="rank - 1"):
        nn.sparse_softmax_cross_entropy_with_logits(tf.constant([[2, 0]]), logits)
    with pytest.raises(ValueError, match="except for the last"):
        nn.sparse_softmax_cross_entropy_with_logits(tf.constant([2, 0, 1]), logits)
    with pytest.raises(ValueError, match="scalar"):
        nn.sparse_softmax_cross_entropy_with_logits(tf.constant(2), tf.constant(1.0))
    with pytest.raises(InvalidArgumentError):
        nn.sparse_softmax_cross_entropy_with_logits(tf.constant([0]), tf.constant([[1, 2]]))


def test_sigmoid_cross_entropy():
    labels, logits = tf.constant([1.0, 0.0]), tf.constant([0.0, 100.0])
    close(nn.sigmoid_cross_entropy_with_logits(labels=labels, logits=logits),
          [0.6931472, 100.0], rtol=1e-6)
    gz, gx = grad(lambda z, x: nn.sigmoid_cross_entropy_with_logits(labels=z, logits=x),
                  labels, logits)
    close(gx, [-0.5, 1.0])  # tf_semantics 3
    close(gz, [0.0, -100.0])
    assert np.signbit(gz[0])  # TF's -0.
    close(nn.sigmoid_cross_entropy_with_logits(labels=[1.0, 0.0], logits=[-100.0, -3.0]),
          [100.0, 0.04858735], rtol=1e-6)
    with pytest.raises(ValueError, match="same shape"):
        nn.sigmoid_cross_entropy_with_logits(labels=[1.0], logits=[0.0, 1.0])
    with pytest.raises(InvalidArgumentError, match="double"):
        nn.sigmoid_cross_entropy_with_logits(labels=tf.constant([1.0], tf.float64),
                                             logits=tf.constant([0.0]))
    with pytest.raises(ValueError, match="must be provided"):
        nn.sigmoid_cross_entropy_with_logits(labels=labels)


def test_weighted_cross_entropy():
    z, x = tf.constant([1.0, 0.0, 0.5]), tf.constant([0.0, 100.0, -3.0])
    close(nn.weighted_cross_entropy_with_logits(z, x, 2.0), [1.3862944, 100.0, 3.0728807],
          rtol=1e-6)
    gz, gx, gw = grad(lambda a, b, w: nn.weighted_cross_entropy_with_logits(a, b, w),
                      np.array([1.0, 0.0], np.float32), np.array([0.0, 100.0], np.float32),
                      np.float32(2.0))
    close(gz, [0.6931472, -100.0], rtol=1e-6)
    close(gx, [0.0, 1.0])  # TF's composition gives 0 at logits == 0
    close(gw, 0.6931472, rtol=1e-6)
    with pytest.raises(ValueError, match="same shape"):
        nn.weighted_cross_entropy_with_logits([1.0, 0.0], [0.0, 1.0, 2.0], 2.0)


# -- l2 ----------------------------------------------------------------------------------------

def test_l2_loss():
    assert nn.l2_loss(tf.constant([[1.0, 2.0], [3.0, 4.0]])).numpy() == 15.0
    assert nn.l2_loss(tf.zeros([0])).numpy() == 0.0
    assert np.isinf(nn.l2_loss(tf.constant([300.0, 300.0], tf.float16)).numpy())
    with pytest.raises(InvalidArgumentError):
        nn.l2_loss(tf.constant([1, 2]))
    (g,) = grad(nn.l2_loss, np.array([1.0, -2.0], np.float32))
    close(g, [1.0, -2.0])


def test_l2_normalize():
    x = tf.constant([[3.0, 4.0], [0.0, 0.0]])
    close(tf.math.l2_normalize(x, axis=1), [[0.6, 0.8], [0.0, 0.0]])
    close(nn.l2_normalize(x), [[0.6, 0.8], [0.0, 0.0]])
    close(tf.linalg.l2_normalize(tf.constant([3 + 4j, 0j])), [0.6 + 0.8j, 0j])
    with pytest.raises(TypeError, match="1e-12"):
        tf.math.l2_normalize(tf.constant([3, 4]))
    (g,) = grad(tf.math.l2_normalize, np.zeros(3, np.float32))
    close(g, [1e6, 1e6, 1e6], rtol=1e-6)  # the epsilon branch
    (g,) = grad(tf.math.l2_normalize, np.array([0.5, -0.3, 2.0], np.float32))
    close(g, [0.35835248, 0.5530131, -0.00663608], rtol=1e-5)


# -- moments -----------------------------------------------------------------------------------

def test_moments_values_and_dtypes():
    x = tf.constant([[1.0, 2.0], [3.0, 5.0]])
    mean, var = nn.moments(x, axes=[0])
    close(mean, [2.0, 3.5])
    close(var, [1.0, 2.25])
    mean, var = nn.moments(x, axes=[0, 1], keepdims=True)
    assert mean.shape == (1, 1) and var.numpy()[0, 0] == pytest.approx(2.1875)
    mean, var = nn.moments(tf.constant([[1, 2], [3, 5]]), axes=[0])
    assert mean.dtype == tf.int32 and mean.numpy().tolist() == [2, 3]
    assert var.numpy().tolist() == [1, 2]
    mean, var = nn.moments(tf.constant([[1.0, 2.0], [3.0, 5.0]], tf.float16), axes=0)
    assert mean.dtype == tf.float16 and var.numpy().tolist() == [1.0, 2.25]
    mean, var = nn.moments(x, axes=[])
    close(mean, x)
    close(var, np.zeros((2, 2)))
    with pytest.raises(InvalidArgumentError):
        nn.moments(x, axes=[2])


def test_moments_second_derivative_treats_mean_as_constant():
    x = tf.constant([0.5, -0.3, 2.0])
    with tf.GradientTape() as outer:
        outer.watch(x)
        with tf.GradientTape() as inner:
            inner.watch(x)
            y = tf.reduce_sum(nn.moments(x, axes=[0])[1])
        g = inner.gradient(y, x)
    close(g, [-0.15555558, -0.6888889, 0.84444445], rtol=1e-5)
    close(outer.gradient(g, x), [2 / 3] * 3, rtol=1e-6)  # TF 2.21's stop_gradient(mean)


# -- dropout -------------------------------------------------------------------------------------

def test_dropout_rate_zero_returns_input():
    x = tf.ones([2, 5])
    assert nn.dropout(x, 0.0) is x
    assert nn.dropout(x, 0) is x
    (g,) = grad(lambda t: nn.dropout(t, 0.0), np.ones(3, np.float32))
    close(g, [1.0, 1.0, 1.0])


def test_dropout_values_and_gradient():
    tf.random.set_seed(11)
    out = nn.dropout(tf.ones([4000]), 0.75).numpy()
    assert set(np.unique(out).tolist()) == {0.0, 4.0}
    assert abs((out == 0).mean() - 0.75) < 0.05
    x = tf.constant([1.0, 2.0, 3.0, 4.0, 5.0, 6.0])
    with tf.GradientTape() as tape:
        tape.watch(x)
        y = nn.dropout(x, 0.5, seed=3)
    g = tape.gradient(y, x).numpy()
    close(g, np.where(y.numpy() != 0, 2.0, 0.0))
    close(y, np.where(y.numpy() != 0, x.numpy() * 2, 0.0))


def test_dropout_is_reproducible_with_seeds():
    tf.random.set_seed(5)
    a, b = nn.dropout(tf.ones([50]), 0.5), nn.dropout(tf.ones([50]), 0.5, seed=2)
    tf.random.set_seed(5)
    a2, b2 = nn.dropout(tf.ones([50]), 0.5), nn.dropout(tf.ones([50]), 0.5, seed=2)
    close(a, a2)
    close(b, b2)
    assert not np.array_equal(a.numpy(), b.numpy())


def test_dropout_noise_shape_and_dtypes():
    out = nn.dropout(tf.ones([6, 40]), 0.5, noise_shape=[None, 1]).numpy()
    assert (out.max(1) == out.min(1)).all()  # one decision per row
    assert nn.dropout(tf.ones([3], tf.float64), 0.5).dtype == tf.float64
    assert nn.dropout(tf.ones([3], tf.float16), 0.5).dtype == tf.float16
    close(nn.dropout(tf.ones([2, 2]), tf.constant(1.0)), np.zeros((2, 2)))
    with pytest.raises(InvalidArgumentError):
        nn.dropout(tf.ones([2, 5]), 0.5, noise_shape=[3, 1])


def test_dropout_errors():
    x = tf.ones([2, 5])
    for rate in (1.0, -0.1):
        with pytest.raises(ValueError, match=r"range \[0, 1\)"):
            nn.dropout(x, rate)
    with pytest.raises(ValueError, match="floating point"):
        nn.dropout(tf.constant([1, 2]), 0.5)
    with pytest.raises(ValueError, match="compatible"):
        nn.dropout(tf.ones([3], tf.float64), tf.constant(0.5))
    with pytest.raises(ValueError, match="scalar"):
        nn.dropout(x, [0.5])


# -- bias_add ------------------------------------------------------------------------------------

def test_bias_add_values():
    v = tf.constant(np.arange(6.0).reshape(2, 3), tf.float32)
    close(nn.bias_add(v, [1.0, 2.0, 3.0]), [[1, 3, 5], [4, 6, 8]])
    out = nn.bias_add(tf.zeros([1, 2, 2, 2]), [1.0, 2.0], data_format="NCHW")
    close(out.numpy()[0, :, 0, 0], [1.0, 2.0])
    close(out.numpy()[0, :, 1, 1], [1.0, 2.0])
    close(nn.bias_add(tf.zeros([1, 2, 2]), [1.0, 2.0], data_format="NWC").numpy()[0, 0],
          [1.0, 2.0])
    assert nn.bias_add(tf.constant([[1, 2]]), [1, 2]).numpy().tolist() == [[2, 4]]
    assert nn.bias_add(tf.ones([2, 2], tf.float64), [1.0, 2.0]).dtype == tf.float64


def test_bias_add_gradient_sums_all_but_channel_axis():
    mult = tf.constant([1.0, 2.0, 3.0])
    _, gb = grad(lambda v, b: nn.bias_add(v, b, data_format="NCHW") * mult,
                 np.ones([2, 2, 3], np.float32), np.array([1.0, 2.0], np.float32))
    close(gb, [12.0, 12.0])
    gv, gb = grad(lambda v, b: nn.bias_add(v, b) * mult, np.ones([2, 2, 3], np.float32),
                  np.zeros(3, np.float32))
    close(gb, [4.0, 8.0, 12.0])
    close(gv, np.broadcast_to([1.0, 2.0, 3.0], (2, 2, 3)))


def test_bias_add_errors():
    v = tf.ones([2, 3])
    with pytest.raises(InvalidArgumentError, match=r"as many biases .*\[2\] vs. \[2,3\]"):
        nn.bias_add(v, [1.0, 2.0])
    with pytest.raises(InvalidArgumentError, match="at least 2D"):
        nn.bias_add(tf.constant([1.0, 2.0]), [1.0, 2.0])
    with pytest.raises(InvalidArgumentError, match="1D"):
        nn.bias_add(v, [[1.0, 2.0, 3.0]])
    with pytest.raises(InvalidArgumentError, match="double"):
        nn.bias_add(v, tf.constant([1.0, 2.0, 3.0], tf.float64))
    with pytest.raises(ValueError, match="data_format"):
        nn.bias_add(tf.zeros([1, 2, 2]), [1.0, 2.0], data_format="XYZ")


# -- embedding_lookup ------------------------------------------------------------------------------

P = [[1.0, 2.0], [3.0, 4.0], [5.0, 6.0]]


def _needs_gather():
    try:
        from tapegrad.ops.indexing_ops import gather  # noqa: F401
    except ImportError:
        pytest.skip("tapegrad.ops.indexing_ops.gather is not available")


def test_embedding_lookup_values_and_indexed_slices_gradient():
    _needs_gather()
    p = tf.constant(P)
    close(nn.embedding_lookup(p, [2, 0, 2]), [[5, 6], [1, 2], [5, 6]])
    close(nn.embedding_lookup([p], [[2, 0], [1, 1]]), [[[5, 6], [1, 2]], [[3, 4], [3, 4]]])
    with tf.GradientTape() as tape:
        tape.watch(p)
        y = nn.embedding_lookup(p, [2, 0, 2])
    g = tape.gradient(y, p)
    assert isinstance(g, tf.IndexedSlices)
    assert g.indices.numpy().tolist() == [2, 0, 2]
    close(tf.convert_to_tensor(g), [[1, 1], [0, 0], [2, 2]])
    with pytest.raises(InvalidArgumentError):
        nn.embedding_lookup(p, [3])


def test_embedding_lookup_shards_and_max_norm():
    _needs_gather()
    p = tf.constant(P)
    out = nn.embedding_lookup([p, p * 10.0], [0, 1, 2, 3, 4, 5])  # "div" partitioning
    close(out, [[1, 2], [3, 4], [5, 6], [10, 20], [30, 40], [50, 60]])
    out = nn.embedding_lookup([tf.constant([[1.0], [2.0]]), tf.constant([[3.0]])], [2, 0, 1])
    close(out, [[3.0], [1.0], [2.0]])
    close(nn.embedding_lookup(p, [2, 0], max_norm=1.0),
          [[0.6401844, 0.76822126], [0.4472136, 0.8944272]], rtol=1e-6)
    with tf.GradientTape() as tape:
        tape.watch(p)
        y = nn.embedding_lookup(p, [2, 0], max_norm=1.0)
    g = tape.gradient(y, p)
    assert isinstance(g, tf.IndexedSlices)
    close(g.values, [[0.01259379, -0.01049483], [0.17888546, -0.08944267]], rtol=1e-4)
