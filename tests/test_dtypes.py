"""DType's text, as TF 2.21 prints it: str gives <dtype: 'float32'>, repr gives tf.float32."""
import tapegrad as tf


def test_str_and_repr_as_tf():
    assert str(tf.float32) == "<dtype: 'float32'>"
    assert f"{tf.int32}" == "<dtype: 'int32'>"
    assert repr(tf.float32) == "tf.float32"
    assert str([tf.float32, tf.bool]) == "[tf.float32, tf.bool]"
    assert str(tf.constant(1.0).dtype) == "<dtype: 'float32'>"
