"""tf.keras layers and models: the TF 2 custom training loop runs unchanged; Dense's values and
gradients; Keras 3's names, paths, variable order, shapes and messages.

Expected names, shapes, orders and messages below were observed in TF 2.21 / Keras 3 (run in
/tmp/tfenv) and are written in as constants. Initial random values are not TF's (different
generators), so initializers are checked by their distribution's bounds and spread instead.
"""
import json
import os

import numpy as np
import pytest

import tapegrad as tf
from tapegrad.diagnostics.gradcheck import check_gradients
from tapegrad.optimizers import _arrays

HERE = os.path.dirname(os.path.abspath(__file__))
K = tf.keras


@pytest.fixture(autouse=True)
def fresh_names(monkeypatch):
    """Auto names count per process (dense, dense_1 ...): start each test from zero, as a fresh
    TF process does."""
    monkeypatch.setattr(_arrays, "_NAMES", {})


def mlp():
    return K.Sequential([K.layers.Flatten(), K.layers.Dense(64, activation="relu"),
                         K.layers.Dropout(0.1), K.layers.Dense(10)])


def problem(n=128, seed=0):
    rng = np.random.default_rng(seed)
    x = rng.normal(size=(n, 3, 5)).astype(np.float32)
    w = rng.normal(size=(15, 10))
    y = np.argmax(x.reshape(n, -1) @ w, axis=1)
    return x, y


def test_canonical_training_loop_reduces_the_loss():
    tf.random.set_seed(1)
    x, y = problem()
    model = mlp()
    loss_fn = K.losses.SparseCategoricalCrossentropy(from_logits=True)
    optimizer = K.optimizers.Adam(1e-2)
    losses = []
    for _ in range(60):
        with tf.GradientTape() as tape:
            logits = model(x, training=True)
            loss = loss_fn(y, logits)
        grads = tape.gradient(loss, model.trainable_variables)
        optimizer.apply_gradients(zip(grads, model.trainable_variables))
        losses.append(float(loss))
    assert all(g is not None for g in grads)
    assert losses[-1] < 0.5 * losses[0]
    accuracy = np.mean(np.argmax(model(x).numpy(), axis=1) == y)
    assert accuracy > 0.8
    assert int(optimizer.iterations.numpy()) == 60


def test_sequential_names_paths_shapes_and_order_match_keras():
    model = mlp()
    model(np.zeros((4, 3, 5), np.float32), training=True)
    # TF 2.21: sequential ['flatten', 'dense', 'dropout', 'dense_1'] and these variables
    assert model.name == "sequential"
    assert [layer.name for layer in model.layers] == ["flatten", "dense", "dropout", "dense_1"]
    got = [(v.name, v.path, tuple(v.shape), v.dtype.name, v.trainable)
           for v in model.trainable_variables]
    assert got == [("kernel", "sequential/dense/kernel", (15, 64), "float32", True),
                   ("bias", "sequential/dense/bias", (64,), "float32", True),
                   ("kernel", "sequential/dense_1/kernel", (64, 10), "float32", True),
                   ("bias", "sequential/dense_1/bias", (10,), "float32", True)]
    assert model.weights == model.trainable_variables and model.non_trainable_variables == []
    assert all(isinstance(v, tf.Variable) for v in model.weights)
    assert repr(model.trainable_variables[0]).startswith(
        "<Variable path=sequential/dense/kernel, shape=(15, 64), dtype=float32, value=[[")


def test_optimizer_slot_names_follow_variable_paths():
    model = mlp()
    x, y = problem(8)
    opt = K.optimizers.Adam(1e-3)
    with tf.GradientTape() as tape:
        loss = K.losses.SparseCategoricalCrossentropy(from_logits=True)(y, model(x))
    opt.apply_gradients(zip(tape.gradient(loss, model.trainable_variables),
                            model.trainable_variables))
    # TF 2.21: opt.variables' paths
    assert [v.path for v in opt.variables][:6] == [
        "adam/iteration", "adam/learning_rate", "adam/sequential_dense_kernel_momentum",
        "adam/sequential_dense_kernel_velocity", "adam/sequential_dense_bias_momentum",
        "adam/sequential_dense_bias_velocity"]


def test_auto_names_per_class():
    # TF 2.21 (fresh process): each class counts on its own; ReLU becomes re_lu
    names = [K.layers.Dense(2).name, K.layers.Dense(2).name, K.layers.Flatten().name,
             K.layers.Dropout(0.2).name, K.layers.ReLU().name, K.layers.Softmax().name,
             K.layers.Activation("relu").name, K.Sequential().name, K.Sequential().name]
    assert names == ["dense", "dense_1", "flatten", "dropout", "re_lu", "softmax", "activation",
                     "sequential", "sequential_1"]
    assert K.layers.Dense(2, name="foo").name == "foo"
    assert repr(K.layers.Dense(2, name="foo")) == "<Dense name=foo, built=False>"


class TwoDense(K.Model):
    def __init__(self):
        super().__init__()
        self.second = K.layers.Dense(4)   # assigned first: listed first, though called last
        self.first = K.layers.Dense(3)

    def call(self, x):
        return self.second(self.first(x))


def test_subclassed_model_tracks_layers_in_assignment_order():
    m = TwoDense()
    assert m.name == "two_dense" and m.weights == []
    out = m(np.ones((1, 2), np.float32))
    assert out.shape == (1, 4)
    # TF 2.21: ['my_model/dense_4/kernel', ...] for the same model (counter at 4 there)
    assert [v.path for v in m.trainable_variables] == [
        "two_dense/dense/kernel", "two_dense/dense/bias",
        "two_dense/dense_1/kernel", "two_dense/dense_1/bias"]
    assert [tuple(v.shape) for v in m.trainable_variables] == [(3, 4), (4,), (2, 3), (3,)]
    assert [layer.name for layer in m.layers] == ["dense", "dense_1"]
    assert m.get_layer("dense_1") is m.first


def test_dense_values_match_numpy_on_2d_and_3d_input():
    rng = np.random.default_rng(0)
    layer = K.layers.Dense(3, activation="tanh")
    assert not layer.built and layer.weights == []
    x2 = rng.normal(size=(4, 5)).astype(np.float32)
    y2 = layer(x2).numpy()
    k, b = layer.kernel.numpy(), layer.bias.numpy()
    assert layer.kernel.path == "dense/kernel" and layer.bias.path == "dense/bias"
    np.testing.assert_allclose(y2, np.tanh(x2 @ k + b), rtol=1e-5, atol=1e-6)
    x3 = rng.normal(size=(2, 4, 5)).astype(np.float32)
    y3 = layer(x3)
    assert y3.shape == (2, 4, 3)  # TF 2.21: last axis only, kernel stays (5, 3)
    np.testing.assert_allclose(y3.numpy(), np.tanh(x3 @ k + b), rtol=1e-5, atol=1e-6)
    nobias = K.layers.Dense(2, use_bias=False)
    nobias(x2)
    assert [v.name for v in nobias.weights] == ["kernel"] and nobias.bias is None


def test_dense_autocasts_floating_input_to_float32():
    out = K.layers.Dense(4)(np.ones((2, 3)))  # float64 NumPy input; TF 2.21 gives float32
    assert out.dtype == tf.float32


def test_dense_rejects_changed_or_too_small_input():
    layer = K.layers.Dense(3)
    layer(np.ones((2, 5), np.float32))
    with pytest.raises(ValueError) as e:
        layer(np.ones((2, 6), np.float32))
    assert str(e.value) == (  # TF 2.21's message
        "Input 0 with name 'None' of layer 'dense' is incompatible with the layer: expected "
        "axis -1 of input shape to have value 5, but received input with shape (2, 6)")
    with pytest.raises(ValueError) as e:
        K.layers.Dense(2)(np.ones((2,), np.float32))
    assert str(e.value) == (
        "Input 0 with name 'None' of layer 'dense_1' is incompatible with the layer: expected "
        "min_ndim=2, found ndim=1. Full shape received: (2,)")
    with pytest.raises(ValueError, match="Received an invalid value for `units`, expected a "
                                         "positive integer. Received: units=0"):
        K.layers.Dense(0)


def test_dense_gradients_pass_gradcheck():
    layer = K.layers.Dense(3, activation="tanh", dtype="float64")
    rng = np.random.default_rng(1)
    x = rng.normal(size=(4, 5))
    layer(x)
    kernel, bias = layer.kernel, layer.bias

    def fn(x, k, b):  # the layer's own call, with its weights swapped for checked inputs
        layer.kernel, layer.bias = k, b
        try:
            return layer(x)
        finally:
            layer.kernel, layer.bias = kernel, bias
    seen = check_gradients(fn, [x, kernel.numpy(), bias.numpy()], order=2)
    assert {"MatMul", "Tanh"} <= seen
    x3 = rng.normal(size=(2, 3, 5))
    check_gradients(fn, [x3, kernel.numpy(), bias.numpy()], order=1)


def test_dense_variable_gradients_match_numpy():
    layer = K.layers.Dense(3)
    x = np.random.default_rng(2).normal(size=(4, 5)).astype(np.float32)
    upstream = np.random.default_rng(3).normal(size=(4, 3)).astype(np.float32)
    with tf.GradientTape() as tape:
        loss = tf.reduce_sum(layer(x) * upstream)
    gk, gb = tape.gradient(loss, layer.trainable_variables)
    np.testing.assert_allclose(gk.numpy(), x.T @ upstream, rtol=1e-5, atol=1e-5)
    np.testing.assert_allclose(gb.numpy(), upstream.sum(0), rtol=1e-5, atol=1e-5)


def test_dropout_scales_kept_values_and_is_identity_unless_training():
    tf.random.set_seed(3)
    x = np.ones((50, 40), np.float32)
    d = K.layers.Dropout(0.5, seed=1)
    out = d(x, training=True).numpy()
    assert set(np.unique(out)) == {0.0, 2.0}   # TF 2.21: kept values scaled by 1/(1-rate)
    assert 0.4 < np.mean(out == 0) < 0.6
    np.testing.assert_array_equal(d(x).numpy(), x)
    np.testing.assert_array_equal(d(x, training=False).numpy(), x)
    with pytest.raises(ValueError) as e:
        K.layers.Dropout(1.5)
    assert str(e.value) == ("Invalid value received for argument `rate`. Expected a float value "
                            "between 0 and 1. Received: rate=1.5")


def test_training_flag_reaches_dropout_inside_sequential():
    tf.random.set_seed(4)
    model = K.Sequential([K.layers.Dropout(0.5)])
    x = np.ones((10, 10), np.float32)
    np.testing.assert_array_equal(model(x).numpy(), x)
    assert (model(x, training=True).numpy() == 0).any()


def test_flatten_relu_softmax_activation():
    assert K.layers.Flatten()(np.ones((2, 3, 4))).shape == (2, 12)
    assert K.layers.Flatten()(np.ones((2,))).shape == (2, 1)     # TF 2.21: (2, 1)
    np.testing.assert_allclose(K.layers.Softmax()(np.array([[1., 2., 3.]])).numpy(),
                               [[0.09003057, 0.24472848, 0.6652409]], rtol=1e-6)
    np.testing.assert_array_equal(K.layers.ReLU()(np.array([-1., 2.])).numpy(), [0., 2.])
    np.testing.assert_allclose(K.layers.ReLU(max_value=1.5, negative_slope=0.1)(
        np.array([-2., 0.5, 3.])).numpy(), [-0.2, 0.5, 1.5], rtol=1e-6)
    np.testing.assert_allclose(K.layers.Activation("sigmoid")(np.array([0.])).numpy(), [0.5])


def test_activations_get():
    assert K.activations.get("relu") is K.activations.relu
    assert K.activations.get(None) is K.activations.linear
    assert K.activations.get("swish").__name__ == "silu"  # TF 2.21
    assert K.layers.Dense(4).activation.__name__ == "linear"
    with pytest.raises(ValueError, match="^Could not interpret activation function identifier: "
                                         "nope$"):
        K.activations.get("nope")


def test_initializers_resolve_and_respect_bounds():
    init = K.initializers.get("glorot_uniform")
    assert isinstance(init, K.initializers.GlorotUniform)
    assert isinstance(K.initializers.get("zeros"), K.initializers.Zeros)
    with pytest.raises(ValueError, match="^Could not interpret initializer identifier: nope$"):
        K.initializers.get("nope")
    v = init((300, 100)).numpy()
    limit = np.sqrt(6 / (300 + 100))
    assert v.dtype == np.float32 and np.abs(v).max() <= limit and np.abs(v).max() > 0.95 * limit
    he = K.initializers.HeNormal(seed=3)((1000, 100)).numpy()
    assert abs(he.std() / np.sqrt(2 / 1000) - 1) < 0.05     # truncated, rescaled to sqrt(2/n)
    assert np.abs(he).max() <= 2 * np.sqrt(2 / 1000) / 0.87962566103423978
    np.testing.assert_array_equal(he[:3, :3], K.initializers.HeNormal(seed=3)((1000, 100))
                                  .numpy()[:3, :3])   # a seeded initializer repeats itself
    rn = K.initializers.RandomNormal()((500, 100)).numpy()
    assert abs(rn.std() - 0.05) < 0.002 and abs(rn.mean()) < 0.002
    np.testing.assert_array_equal(K.initializers.Ones()((2,), "float64").numpy(), [1., 1.])
    dense = K.layers.Dense(300, kernel_initializer="ones", bias_initializer="random_normal")
    dense(np.ones((1, 100), np.float32))
    assert (dense.kernel.numpy() == 1).all() and dense.bias.numpy().std() > 0


def test_trainable_flag_freezes_weights():
    d = K.layers.Dense(3)
    d(np.ones((2, 4), np.float32))
    d.trainable = False
    # TF 2.21: kernel.trainable False, 0 trainable and 2 non-trainable weights
    assert d.kernel.trainable is False
    assert (len(d.trainable_weights), len(d.non_trainable_weights)) == (0, 2)
    with tf.GradientTape() as tape:
        y = tf.reduce_sum(d(np.ones((2, 4), np.float32)))
    assert tape.gradient(y, d.kernel) is None
    d.trainable = True
    assert len(d.trainable_variables) == 2


def test_checkpoint_round_trip_into_a_fresh_model(tmp_path):
    x, y = problem(16)
    loss_fn = K.losses.SparseCategoricalCrossentropy(from_logits=True)

    def step(model, opt):
        with tf.GradientTape() as tape:
            loss = loss_fn(y, model(x))
        opt.apply_gradients(zip(tape.gradient(loss, model.trainable_variables),
                                model.trainable_variables))
        return float(loss)

    model, opt = mlp(), K.optimizers.Adam(1e-2)
    step(model, opt)
    path = tf.train.Checkpoint(model=model, optimizer=opt).save(str(tmp_path / "ck"))
    model2, opt2 = mlp(), K.optimizers.Adam(1e-2)
    model2(x)   # one call builds the fresh model
    status = tf.train.Checkpoint(model=model2, optimizer=opt2).restore(path)
    for a, b in zip(model.weights, model2.weights):
        np.testing.assert_array_equal(a.numpy(), b.numpy())
    assert step(model2, opt2) == step(model, opt)   # slots restored on creation
    status.assert_consumed()
    for a, b in zip(model.weights, model2.weights):
        np.testing.assert_array_equal(a.numpy(), b.numpy())


def test_public_names_exist_in_tf():
    with open(os.path.join(HERE, "fixtures", "tf_ops.json")) as f:
        listed = json.load(f)["names"]
    for ns in ("layers", "initializers", "activations", "models"):
        module = getattr(K, ns)
        extra = sorted(set(module.__all__) - set(listed[f"tapegrad.keras.{ns}"]))
        assert not extra, f"tf.keras.{ns} in TF 2.21 has no {extra}"
    assert {"Model", "Sequential", "Layer", "Initializer"} <= set(listed["tapegrad.keras"])


def test_float64_tensor_input_is_cast_to_the_layer_dtype():
    layer = K.layers.Dense(2)
    x = tf.constant(np.ones((1, 3)))   # float64 Tensor
    with tf.GradientTape() as tape:
        tape.watch(x)
        y = layer(x)
    assert y.dtype == tf.float32
    g = tape.gradient(y, x)
    assert g.dtype == tf.float64
    np.testing.assert_allclose(g.numpy(), layer.kernel.numpy().sum(1, keepdims=True).T, rtol=1e-6)
