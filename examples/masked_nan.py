"""NaN in the gradient although the forward value is fine: the masked-branch trap."""
import tapegrad as tf

tf.debugging.enable_check_numerics()
x = tf.Variable([4.0, 0.0, 9.0])
with tf.GradientTape() as tape:
    y = tf.where(x > 0, x ** 0.5, tf.zeros_like(x))
    loss = tf.reduce_sum(y)
try:
    tape.gradient(loss, x)
except tf.errors.InvalidArgumentError as e:
    print(e.explanation)
