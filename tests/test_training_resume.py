"""Training resumes on the same trajectory after a checkpoint (issue 4): train 10 steps, save
with tf.train.Checkpoint(model=..., optimizer=...), train 10 more; restore into fresh objects
(other initial values, no optimizer slots yet) and train the same 10 steps: every variable,
slot and step counter must equal the uninterrupted run's to the last bit."""
import numpy as np
import pytest

import tapegrad as tf

IDS = [[1, 4, 1, 0], [5, 5, 2, 3]]  # embedding rows per step (duplicates: summed by the update)


class Model(tf.Module):
    def __init__(self, seed):
        super().__init__()
        rng = np.random.default_rng(seed)
        self.w = tf.Variable(rng.normal(size=(4, 3)).astype(np.float32), name="w")
        self.emb = tf.Variable(rng.normal(size=(6, 3)).astype(np.float32), name="emb")

    def loss(self, step):
        rng = np.random.default_rng(1000 + step)  # the batch depends only on the step
        x = tf.constant(rng.normal(size=(4, 4)).astype(np.float32))
        rows = tf.gather(self.emb, IDS[step % 2])  # an IndexedSlices gradient for emb
        return tf.reduce_mean((tf.matmul(x, self.w) + rows - 0.5) ** 2)


def _train(model, opt, steps, step_var=None):
    variables = model.trainable_variables
    for step in steps:
        with tf.GradientTape() as tape:
            loss = model.loss(step)
        grads = tape.gradient(loss, variables)
        assert isinstance(grads[0] if variables[0] is model.emb else grads[1], tf.IndexedSlices)
        if step_var is None:
            opt.apply_gradients(zip(grads, variables))
        else:
            opt.apply_gradients(zip(grads, variables), global_step=step_var)


def _keras_state(model, opt):
    return [v.numpy() for v in model.variables] + [v.numpy() for v in opt.variables]


def _assert_bit_equal(a, b):
    assert len(a) == len(b)
    for i, (x, y) in enumerate(zip(a, b)):
        assert x.dtype == y.dtype and x.shape == y.shape, i
        assert np.array_equal(x, y), f"state {i} differs: {x} vs {y}"


KERAS = {
    "adam_schedule": lambda: tf.keras.optimizers.Adam(
        learning_rate=tf.keras.optimizers.schedules.ExponentialDecay(0.05, 4, 0.7)),
    "sgd_momentum": lambda: tf.keras.optimizers.SGD(0.05, momentum=0.9, nesterov=True),
}


@pytest.mark.parametrize("make_opt", KERAS.values(), ids=list(KERAS))
def test_keras_optimizer_resumes_bit_exactly(tmp_path, make_opt):
    model, opt = Model(seed=0), make_opt()
    _train(model, opt, range(10))
    path = tf.train.Checkpoint(model=model, optimizer=opt).save(str(tmp_path / "ckpt"))
    _train(model, opt, range(10, 20))
    expected = _keras_state(model, opt)

    model2, opt2 = Model(seed=1), make_opt()  # other values; no slots until the first apply
    assert not np.array_equal(model2.w.numpy(), model.w.numpy())
    tf.train.Checkpoint(model=model2, optimizer=opt2).restore(path).assert_existing_objects_matched()
    assert int(opt2.iterations.numpy()) == 10
    _train(model2, opt2, range(10, 20))
    assert int(opt2.iterations.numpy()) == 20
    assert [v.name for v in opt2.variables] == [v.name for v in opt.variables]
    _assert_bit_equal(_keras_state(model2, opt2), expected)


V1 = {
    "adam": lambda lr: tf.compat.v1.train.AdamOptimizer(lr),
    "momentum": lambda lr: tf.compat.v1.train.MomentumOptimizer(lr, 0.9),
}


@pytest.mark.parametrize("make_opt", V1.values(), ids=list(V1))
def test_v1_optimizer_with_global_step_resumes_bit_exactly(tmp_path, make_opt):
    def fresh(seed):
        tf.compat.v1.reset_default_graph()  # a new global step, as a new program would have
        step = tf.compat.v1.train.get_or_create_global_step()
        lr = lambda: 0.05 / (1.0 + 0.1 * tf.cast(step, tf.float32))  # noqa: E731
        return Model(seed), make_opt(lr), step

    def state(model, opt, step):
        slots = [opt.get_slot(v, n) for v in model.trainable_variables
                 for n in opt.get_slot_names()]
        return ([v.numpy() for v in model.variables] + [s.numpy() for s in slots]
                + [v.numpy() for v in opt.variables() if v.name.startswith("beta")]
                + [step.numpy()])

    model, opt, step = fresh(0)
    _train(model, opt, range(10), step)
    path = tf.train.Checkpoint(model=model, optimizer=opt, step=step).save(
        str(tmp_path / "ckpt"))
    _train(model, opt, range(10, 20), step)
    expected = state(model, opt, step)

    model2, opt2, step2 = fresh(1)
    tf.train.Checkpoint(model=model2, optimizer=opt2, step=step2).restore(path).assert_existing_objects_matched()
    assert int(step2.numpy()) == 10
    _train(model2, opt2, range(10, 20), step2)
    assert int(step2.numpy()) == 20
    _assert_bit_equal(state(model2, opt2, step2), expected)
    tf.compat.v1.reset_default_graph()


def test_assert_consumed_passes_once_slots_exist(tmp_path):
    # TF 2.21: right after restoring into a fresh Adam, assert_consumed raises (its slots do
    # not exist yet); after the first apply_gradients they are restored and it passes.
    v = tf.Variable([1.0, 2.0])
    opt = tf.keras.optimizers.Adam(0.1)
    opt.apply_gradients([(tf.constant([0.1, 0.2]), v)])
    path = tf.train.Checkpoint(v=v, opt=opt).save(str(tmp_path / "c"))
    v2 = tf.Variable([0.0, 0.0])
    opt2 = tf.keras.optimizers.Adam(0.1)
    status = tf.train.Checkpoint(v=v2, opt=opt2).restore(path)
    with pytest.raises(AssertionError, match="Unresolved objects"):
        status.assert_consumed()
    opt2.apply_gradients([(tf.constant([0.1, 0.2]), v2)])
    status.assert_consumed()
    opt.apply_gradients([(tf.constant([0.1, 0.2]), v)])
    assert np.array_equal(v.numpy(), v2.numpy())
