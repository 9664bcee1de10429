"""tf.compat.v1 in eager mode against TF 2.21 (tf_semantics.md 6.7 and seeds 000/001): the v1
optimizers' test vectors, 20-step fixtures (dense and sparse with duplicate indices, where
Momentum, RMSProp, Adagrad, Adadelta and Ftrl are lazy), slots, global step, errors, and the
compat helpers (assign, global_variables_initializer, Session)."""
import json
import os

import numpy as np
import pytest

import tapegrad as tf

T = tf.compat.v1.train
HERE = os.path.dirname(__file__)
with open(os.path.join(HERE, "fixtures", "optimizers_v1.json")) as _f:
    V1 = json.load(_f)
with open(os.path.join(HERE, "fixtures", "optimizers.json")) as _f:
    PROBLEMS = json.load(_f)["problems"]

A = np.array([1.0, 2.0, 0.5], np.float32)
B = np.array([0.1, -0.3, 0.2], np.float32)

SECTION_6_7 = [
    (lambda: T.GradientDescentOptimizer(0.1),
     [[0.88999999, -1.5699999, 2.8299999], [0.79100001, -1.226, 2.6684999],
      [0.70190001, -0.95079994, 2.515075]]),
    (lambda: T.MomentumOptimizer(0.1, 0.9),
     [[0.88999999, -1.5699999, 2.8299999], [0.69199997, -0.83899993, 2.5154998],
      [0.43459997, 0.016700089, 2.0866749]]),
    (lambda: T.MomentumOptimizer(0.1, 0.9, use_nesterov=True),
     [[0.79100001, -1.183, 2.677], [0.53261, -0.32815993, 2.246985],
      [0.2600531, 0.38295686, 1.7469729]]),
    (lambda: T.AdamOptimizer(0.1),
     [[0.90000004, -1.9, 2.9000001], [0.80036157, -1.8001528, 2.8000894],
      [0.70138353, -1.7005708, 2.700331]]),
    (lambda: T.RMSPropOptimizer(0.1),
     [[0.89113712, -1.740653, 2.8440957], [0.79286182, -1.5492755, 2.7036154],
      [0.70335793, -1.3919849, 2.5743294]]),
    (lambda: T.RMSPropOptimizer(0.1, momentum=0.9, centered=True),
     [[0.89048624, -1.731465, 2.8421657], [0.69175625, -1.2828743, 2.5541601],
      [0.42997941, -0.72314036, 2.1618662]]),
    (lambda: T.AdagradOptimizer(0.1),
     [[0.90389258, -1.9002693, 2.9016864], [0.83795255, -1.8313545, 2.8326328],
      [0.78549939, -1.7759238, 2.7766232]]),
    (lambda: T.AdadeltaOptimizer(1.0),
     [[0.99955279, -1.9995528, 2.9995527], [0.99909997, -1.9991, 2.9990997],
      [0.9986434, -1.9986433, 2.9986429]]),
    (lambda: T.FtrlOptimizer(0.1),
     [[0.62760305, -1.7535827, 2.3530486], [0.57395476, -1.6873933, 2.2907672],
      [0.52945375, -1.6335549, 2.2387705]]),
]


@pytest.mark.parametrize("make,expected", SECTION_6_7)
def test_section_6_7_vectors(make, expected):
    opt = make()
    x = tf.Variable([1.0, -2.0, 3.0])
    a, b = tf.constant(A), tf.constant(B)
    got = []
    for _ in range(3):
        with tf.GradientTape() as tape:
            loss = tf.reduce_sum(0.5 * a * x * x + b * x)
        assert opt.apply_gradients(zip(tape.gradient(loss, [x]), [x])) is None
        got.append(x.numpy())
    np.testing.assert_allclose(got, expected, rtol=1e-5, atol=1e-6)


def _variables(problem):
    return [tf.Variable(np.reshape(s["init"], s["shape"]).astype(np.float32))
            for s in problem["vars"]]


def _grads(problem, variables, step):
    out = []
    for spec, v in zip(problem["vars"], variables):
        if spec["kind"] == "dense":
            shape = spec["shape"]
            a, b, n = (np.reshape(x, shape).astype(np.float32)
                       for x in (spec["A"], spec["B"], spec["noise"][step]))
            out.append(tf.constant(a * v.numpy() + b + n))
        else:
            st = spec["steps"][step]
            vals = np.reshape(st["values"], (len(st["indices"]), spec["shape"][1]))
            out.append(tf.IndexedSlices(tf.constant(vals.astype(np.float32)),
                                        tf.constant(st["indices"]), tf.constant(spec["shape"])))
    return out


@pytest.mark.parametrize("name", sorted(V1["cases"]))
def test_v1_fixture_trajectories(name):
    case = V1["cases"][name]
    problem = PROBLEMS[case["problem"]]
    opt = getattr(T, case["cls"])(**case["kwargs"])
    variables = _variables(problem)
    for step in range(V1["meta"]["steps"]):
        opt.apply_gradients(zip(_grads(problem, variables, step), variables))
        key = str(step + 1)
        if key in case["record"]:
            for got, want in zip(variables, case["record"][key]):
                np.testing.assert_allclose(got.numpy().ravel(), want, rtol=1e-5, atol=1e-6,
                                           err_msg=f"{name} step {key}")


def test_lazy_momentum_differs_from_dense():
    """Section 5: Momentum(0.1, 0.9), idx [0] then [2]: row 0 is 0.9 / 0.8 sparse (lazy)."""
    def run(sparse):
        v = tf.Variable([[1.0], [1.0], [1.0]])
        opt = T.MomentumOptimizer(0.1, 0.9)
        for i in (0, 2):
            if sparse:
                g = tf.IndexedSlices(tf.constant([[1.0]]), tf.constant([i]), tf.constant([3, 1]))
            else:
                g = tf.constant(np.eye(3, dtype=np.float32)[i][:, None])
            opt.apply_gradients([(g, v)])
        return v.numpy().ravel()
    np.testing.assert_allclose(run(True), [0.9, 1.0, 0.9], rtol=1e-6)
    np.testing.assert_allclose(run(False), [0.81, 1.0, 0.9], rtol=1e-6)


def test_slots_and_names():
    v = tf.Variable([1.0, 2.0])
    opt = T.AdamOptimizer(0.1)
    assert opt.get_name() == "Adam" and opt.variables() == []
    opt.apply_gradients([(tf.constant([1.0, 1.0]), v)])
    assert opt.get_slot_names() == ["m", "v"]
    np.testing.assert_allclose(opt.get_slot(v, "m").numpy(), [0.1, 0.1], rtol=1e-6)
    assert opt.get_slot(v, "nope") is None
    assert opt.get_slot(tf.Variable(1.0), "m") is None
    names = [x.name for x in opt.variables()]
    assert names[-2:] == ["beta1_power:0", "beta2_power:0"] and len(names) == 4
    assert not opt.get_slot(v, "m").trainable
    rms = T.RMSPropOptimizer(0.1, centered=True)
    rms.apply_gradients([(tf.constant([1.0, 1.0]), v)])
    assert rms.get_slot_names() == ["mg", "momentum", "rms"]
    np.testing.assert_allclose(rms.get_slot(v, "rms").numpy(), [1.0, 1.0])  # starts at 1
    assert T.MomentumOptimizer(0.1, 0.9).get_slot_names() == []
    assert not issubclass(T.AdamOptimizer, tf.keras.optimizers.Optimizer)
    assert issubclass(T.AdamOptimizer, T.Optimizer)


def test_global_step_and_return_values():
    step = T.get_or_create_global_step()
    assert step is T.get_or_create_global_step() is T.get_global_step()
    assert step.dtype == tf.int64 and step.name == "global_step:0" and not step.trainable
    with pytest.raises(ValueError, match='"global_step" already exists.'):
        T.create_global_step()
    start = int(step.numpy())
    x = tf.Variable(1.0)
    opt = T.GradientDescentOptimizer(0.1)
    assert opt.minimize(lambda: x * x, global_step=step) is None
    assert opt.apply_gradients([(tf.constant(1.0), x)], global_step=step, name="n") is None
    assert int(step.numpy()) == start + 2
    np.testing.assert_allclose(x.numpy(), 0.7, rtol=1e-6)
    # The step is process-wide, as TF's; a new default graph forgets it (and later programs
    # in this process start from 0, like the parity snippet that runs after this test).
    tf.compat.v1.reset_default_graph()
    assert T.get_global_step() is None
    fresh = T.get_or_create_global_step()
    assert fresh is not step and int(fresh.numpy()) == 0 and fresh.name == "global_step:0"
    tf.compat.v1.reset_default_graph()


def test_compute_gradients_and_minimize():
    v = tf.Variable(1.0)
    w = tf.Variable([1.0, 2.0])
    opt = T.GradientDescentOptimizer(0.1)
    pairs = opt.compute_gradients(lambda: 3.0 * v * v, var_list=[v])
    assert len(pairs) == 1 and pairs[0][1] is v and float(pairs[0][0].numpy()) == 6.0
    pairs = opt.compute_gradients(lambda: 3.0 * v * v + tf.reduce_sum(w))
    assert {id(p[1]) for p in pairs} == {id(v), id(w)}
    with pytest.raises(RuntimeError, match="should be a function when eager execution"):
        opt.minimize(v * v, var_list=[v])
    with pytest.raises(ValueError, match=r"^No gradients provided for any variable, check your "
                                         r"graph for ops that do not support gradients, between "
                                         r"variables \[\"<tf.Variable"):
        opt.minimize(lambda: tf.constant(1.0), var_list=[v])
    opt.minimize(lambda: 3.0 * v * v, var_list=[v, w])  # w has no gradient: silently skipped
    np.testing.assert_allclose([v.numpy(), *w.numpy()], [0.4, 1.0, 2.0], rtol=1e-6)


def test_apply_gradients_errors_and_conversions():
    v = tf.Variable([1.0, 2.0])
    opt = T.GradientDescentOptimizer(0.5)
    with pytest.raises(ValueError, match="^No variables provided.$"):
        opt.apply_gradients([])
    with pytest.raises(ValueError, match=r"^No gradients provided for any variable: "
                                         r"\[\"<tf.Variable 'Variable:0' shape=\(2,\)"):
        opt.apply_gradients([(None, v)])
    with pytest.raises(NotImplementedError, match="Trying to update a Tensor"):
        opt.apply_gradients([(tf.constant(1.0), tf.constant(2.0))])
    with pytest.raises(tf.errors.InvalidArgumentError, match="do not have the same shape"):
        opt.apply_gradients([(tf.constant([1.0, 2.0, 3.0]), v)])
    with pytest.raises(tf.errors.InvalidArgumentError, match="ResourceApplyGradientDescent"):
        opt.apply_gradients([(tf.constant([1, 1]), tf.Variable([1, 2]))])
    with pytest.raises(tf.errors.UnimplementedError, match=r"^Cast float to string is not "
                                                           r"supported \[Op:Cast\]"):
        opt.apply_gradients([(tf.constant([1.0, 1.0]), v), (np.array(["x", "y"]), v)])
    np.testing.assert_allclose(v.numpy(), [1.0, 2.0])  # nothing was half-applied
    opt.apply_gradients(zip([np.float32(1.0), None], [tf.Variable(0.0), v]))
    for lr in (lambda: 0.5, tf.constant(0.5), 0.5):
        w = tf.Variable(3.0)
        T.GradientDescentOptimizer(lr).apply_gradients([(tf.constant(1.0), w)])
        assert float(w.numpy()) == 2.5
    d = tf.Variable([1.0, 2.0], dtype=tf.float64)
    T.GradientDescentOptimizer(0.1).apply_gradients([(tf.constant([1.0, 1.0], tf.float64), d)])
    np.testing.assert_allclose(d.numpy(), [0.8999999985098839, 1.8999999985098839], rtol=1e-15)


def test_constructor_errors():
    with pytest.raises(ValueError, match="^initial_accumulator_value must be positive: 0.0$"):
        T.AdagradOptimizer(0.1, initial_accumulator_value=0.0)
    with pytest.raises(ValueError, match="^learning_rate_power 0.500000 needs to be negative"):
        T.FtrlOptimizer(0.1, learning_rate_power=0.5)
    with pytest.raises(ValueError, match="^l1_regularization_strength -1.000000 needs to be "
                                         "positive or zero$"):
        T.FtrlOptimizer(0.1, l1_regularization_strength=-1.0)
    with pytest.raises(ValueError, match="Must specify the optimizer name"):
        T.Optimizer(False, "")


def test_module_has_no_apply_gradients():
    with pytest.raises(AttributeError):
        T.apply_gradients  # noqa: B018


def test_assign_initializer_and_session():
    v = tf.Variable(1.0)
    with tf.GradientTape() as tape:
        updated = tf.compat.v1.assign(v, v + 1.0)
        loss = v * 2.0
    assert repr(updated).startswith("<tf.Variable 'UnreadVariable'")
    assert float(tape.gradient(loss, updated).numpy()) == 2.0 and float(v.numpy()) == 2.0
    assert tf.compat.v1.global_variables_initializer() is None
    assert tf.compat.v1.local_variables_initializer() is None
    for fetch in (None, tf.constant(1.0)):
        with pytest.raises(RuntimeError) as info:
            with tf.compat.v1.Session() as sess:
                sess.run(fetch)
        first, rest = str(info.value).split("run(). ", 1)
        assert first + "run()." == ("The Session graph is empty. Add operations to the graph "
                                    "before calling run().")
        assert "eagerly" in rest and ".numpy()" in rest
    with pytest.raises(RuntimeError, match="not compatible with eager execution"):
        tf.compat.v1.placeholder(tf.float32)
    assert tf.compat.v1.executing_eagerly() is True
    assert tf.compat.v1.constant is tf.constant  # the rest of compat.v1 mirrors tf
    assert tf.compat.v2 is tf


def test_checkpoint_children():
    v = tf.Variable([1.0, 2.0])
    opt = T.AdamOptimizer(0.1)
    opt.apply_gradients([(tf.constant([1.0, 1.0]), v)])
    kids = opt._checkpoint_children()
    assert len(kids) == 4 and all(isinstance(k, tf.Variable) for k in kids.values())
    # slots are keyed by slot name and variable order, not by their process-unique names
    assert sorted(kids) == ["beta1_power", "beta2_power", "m/0", "v/0"]
    assert kids["m/0"] is opt.get_slot(v, "m")


def test_checkpoint_restores_slots_when_they_are_created(tmp_path):
    v = tf.Variable([1.0, 2.0])
    opt = T.MomentumOptimizer(0.1, 0.9)
    opt.apply_gradients([(tf.constant([1.0, 1.0]), v)])
    path = tf.train.Checkpoint(v=v, opt=opt).save(str(tmp_path / "c"))
    v2, opt2 = tf.Variable([0.0, 0.0]), T.MomentumOptimizer(0.1, 0.9)
    tf.train.Checkpoint(v=v2, opt=opt2).restore(path)
    assert opt2.get_slot(v2, "momentum") is None  # no slot until the first apply ...
    opt2.apply_gradients([(tf.constant([0.0, 0.0]), v2)])
    np.testing.assert_allclose(opt2.get_slot(v2, "momentum").numpy(), [0.9, 0.9])  # ... then
    np.testing.assert_allclose(v2.numpy(), [0.81, 1.81], rtol=1e-6)  # restored, then updated
