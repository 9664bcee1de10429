"""A gradient that goes missing: the loss is built from a value taken out of tapegrad."""
import numpy as np
import tapegrad as tf

w = tf.Variable([[0.5], [-0.3]], name="w")
x = tf.constant([[1.0, 2.0]])

with tf.GradientTape() as tape:
    logits = tf.matmul(x, w)
    probs = 1.0 / (1.0 + np.exp(-logits.numpy()))  # leaves the tape
    loss = tf.reduce_mean(tf.square(tf.constant(probs) - 1.0))

print(tape.gradient(loss, w))      # None, as in TensorFlow
print(tape.explain(loss, w))       # why
