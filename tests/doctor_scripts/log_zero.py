"""log of an exact zero: the first non-finite value is born in Log."""
import tapegrad as tf

pred = tf.Variable([0.5, 1.0, 2.0])
target = tf.constant([0.5, 1.5, 2.5])
with tf.GradientTape() as tape:
    err = tf.abs(pred - target)
    loss = tf.reduce_sum(tf.math.log(err))
print(tape.gradient(loss, pred))
