"""tf.RegisterGradient / tf.no_gradient (tf_semantics.md 4.2), checked against TF 2.21: the
duplicate-name KeyError, what a registration changes for an op that had no gradient entry
(Unique, IsNan raise LookupError until then), and the arguments they refuse.

Registrations are process-wide, so each test that adds one removes it again."""
import numpy as np
import pytest

import tapegrad as tf
from tapegrad._core import registry


@pytest.fixture
def scratch_registry():
    """Let a test register gradients; every entry it adds is dropped afterwards. Every op
    module is imported first: one first imported during the test (namespaces load lazily)
    would otherwise lose its own registrations with the test's."""
    import importlib
    import pkgutil
    import tapegrad.ops
    for info in pkgutil.iter_modules(tapegrad.ops.__path__):
        importlib.import_module(f"tapegrad.ops.{info.name}")
    before = dict(registry.GRADIENTS), dict(registry._REG_SITES)
    yield
    registry.GRADIENTS.clear()
    registry.GRADIENTS.update(before[0])
    registry._REG_SITES.clear()
    registry._REG_SITES.update(before[1])


def _through_unique(x):
    with tf.GradientTape() as g:
        g.watch(x)
        y = tf.unique(x).y * tf.constant([1.0, 2.0])
    return g.gradient(y, x)


@pytest.mark.parametrize("register", [
    lambda name: tf.RegisterGradient(name)(lambda op, grad: grad),
    tf.no_gradient,
    tf.NotDifferentiable,
])
def test_a_second_registration_is_a_key_error_naming_the_first(register):
    with pytest.raises(KeyError) as e:
        register("Square")
    msg = e.value.args[0]
    assert msg.startswith("Registering two gradient with name 'Square'! (Previous registration "
                          "was in register ")
    assert "math_ops.py:" in msg  # where Square's rule is defined, not importlib's frame


def test_registering_an_op_without_entry_makes_it_differentiable(scratch_registry):
    x = tf.constant([1.0, 2.0, 1.0])
    with pytest.raises(LookupError, match="gradient registry has no entry for: Unique"):
        _through_unique(x)
    seen = {}

    @tf.RegisterGradient("Unique")
    def _unique_grad(op, dy, didx):
        seen.update(type=op.type, ins=[t.shape for t in op.inputs],
                    outs=[t.shape for t in op.outputs], dy=dy.numpy(), didx=didx)
        return [tf.gather(dy, op.outputs[1]) * 10.0]

    np.testing.assert_array_equal(_through_unique(x).numpy(), [10.0, 20.0, 10.0])
    assert seen["type"] == "Unique"
    assert seen["ins"] == [(3,)] and seen["outs"] == [(2,), (3,)]
    np.testing.assert_array_equal(seen["dy"], [1.0, 2.0])
    # TF hands the unused integer output a zero upstream, not None.
    assert seen["didx"].dtype == tf.int32 and seen["didx"].numpy().tolist() == [0, 0, 0]
    with pytest.raises(KeyError, match="Registering two gradient with name 'Unique'! .*"
                                       r"test_gradient_registry\.py:\d+"):
        tf.RegisterGradient("Unique")(_unique_grad)


def test_a_rule_returning_none_gives_none(scratch_registry):
    tf.RegisterGradient("Unique")(lambda op, dy, didx: [None])
    assert _through_unique(tf.constant([1.0, 2.0, 1.0])) is None


def test_no_gradient_turns_lookup_error_into_none(scratch_registry):
    x = tf.constant([1.0, np.nan])

    def grad(mode="none"):
        with tf.GradientTape() as g:
            g.watch(x)
            y = tf.math.is_nan(x)
        return g.gradient(y, x, unconnected_gradients=mode)

    with pytest.raises(LookupError, match="gradient registry has no entry for: IsNan"):
        grad()
    tf.no_gradient("IsNan")
    assert grad() is None
    np.testing.assert_array_equal(grad("zero").numpy(), [0.0, 0.0])


@pytest.mark.parametrize("bad", [3, None, b"Square"])
def test_op_type_must_be_a_string(bad):
    with pytest.raises(TypeError, match="^op_type must be a string$"):
        tf.RegisterGradient(bad)
    with pytest.raises(TypeError, match="^op_type must be a string$"):
        tf.no_gradient(bad)


def test_not_differentiable_is_no_gradient():
    # TF keeps NotDifferentiable internal; tapegrad exports it as a plain alias.
    assert tf.NotDifferentiable is tf.no_gradient


def test_a_registered_rule_returning_none_is_explained(scratch_registry):
    # TF has no gradient for SoftsignGrad (a second derivative of softsign raises
    # LookupError); a user registers one that returns None: the second derivative is None,
    # and explain names the op whose rule gave up, at the line that made it.
    @tf.RegisterGradient("SoftsignGrad")
    def _softsign_grad_grad(op, grad):
        return None, None

    x = tf.Variable(0.5)
    with tf.GradientTape() as outer:
        with tf.GradientTape() as inner:
            y = tf.math.softsign(x)
        dy = inner.gradient(y, x)
    assert outer.gradient(dy, x) is None
    e = outer.explain(dy, x)
    assert (e.cause, e.op) == ("non_differentiable", "SoftsignGrad")
    # SoftsignGrad was made by the inner gradient call, which the outer tape recorded.
    assert e.line == test_a_registered_rule_returning_none_is_explained.__code__.co_firstlineno + 12
    assert "the gradient registered for SoftsignGrad returned None for its input 1" in e.detail
