"""tf.Module: names and variable discovery in TF's order (checked against TF 2.21)."""
import pytest

import tapegrad as tf


class Dense(tf.Module):
    def __init__(self, i, o, name=None):
        super().__init__(name=name)
        self.w = tf.Variable(tf.ones([i, o]), name="w")
        self.b = tf.Variable(tf.zeros([o]), name="b")
        self.frozen = tf.Variable(1.0, trainable=False, name="frozen")


class MLP(tf.Module):
    def __init__(self):
        super().__init__()
        self.layers = [Dense(2, 3, name="l1"), Dense(3, 1, name="l2")]
        self.head = {"z": Dense(1, 1, name="hz"), "a": Dense(1, 1, name="ha")}
        self.alpha = tf.Variable(0.5, name="alpha")
        self.shared = self.layers[0].w


def test_variables_in_tf_order():
    m = MLP()
    # Printed by TF 2.21 for the same classes (tests/test_module.py's MLP).
    assert m.name == "mlp"
    assert [v.name for v in m.variables] == [
        "alpha:0", "w:0", "b:0", "frozen:0", "w:0", "b:0", "frozen:0", "w:0", "b:0",
        "frozen:0", "b:0", "frozen:0", "w:0"]
    assert [v.name for v in m.trainable_variables] == [
        "alpha:0", "w:0", "b:0", "w:0", "b:0", "w:0", "b:0", "b:0", "w:0"]
    assert [s.name for s in m.submodules] == ["ha", "hz", "l1", "l2"]
    assert len(m.non_trainable_variables) == 4
    assert sum(v is m.layers[0].w for v in m.variables) == 1


def test_names():
    assert Dense(1, 1).name == "dense" and Dense(1, 1).name == "dense"
    with pytest.raises(ValueError, match="not a valid module name"):
        Dense(1, 1, name="bad name!")
    assert tf.Module().name == "module"


def test_gradients_through_module():
    d = Dense(2, 1)
    x = tf.constant([[1.0, 2.0]])
    with tf.GradientTape() as tape:
        y = tf.reduce_sum(tf.matmul(x, d.w) + d.b)
    gw, gb = tape.gradient(y, [d.w, d.b])
    assert gw.numpy().ravel().tolist() == [1.0, 2.0] and gb.numpy().tolist() == [1.0]
