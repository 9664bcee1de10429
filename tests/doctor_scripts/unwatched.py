"""The gradient with respect to a constant that was never watched."""
import tapegrad as tf

scale = tf.constant(2.0)
x = tf.Variable(3.0)
with tf.GradientTape() as tape:
    y = scale * x * x
dscale, dx = tape.gradient(y, [scale, x])
print(dscale, float(dx))
