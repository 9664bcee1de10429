"""TF code with a None gradient (stop_gradient on the path), diagnosed with --tensorflow."""
import tensorflow as tf

x = tf.Variable(2.0)
with tf.GradientTape() as tape:
    y = tf.stop_gradient(x * x)
    z = y + 1.0
print(tape.gradient(z, x))
