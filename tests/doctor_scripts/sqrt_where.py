"""A square root in a where: the forward is finite, but at x = 0 the unselected branch's
infinite slope times the zero the where sends back makes NaN."""
import tapegrad as tf

x = tf.Variable([4.0, 0.0, 1.0])
with tf.GradientTape() as tape:
    safe = tf.where(x > 0.0, x ** 0.5, tf.zeros_like(x))
    loss = tf.reduce_sum(safe)
print(tape.gradient(loss, x))
