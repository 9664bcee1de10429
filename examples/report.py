"""A gradient report per layer: a dead ReLU layer shows up as numeric_zero."""
import numpy as np
import tapegrad as tf

rng = np.random.default_rng(0)
x = tf.constant(rng.normal(size=(8, 4)).astype("float32"))
w1 = tf.Variable(rng.normal(size=(4, 3)).astype("float32"), name="w1")
b1 = tf.Variable(np.full(3, -100.0, "float32"), name="b1")   # every unit dead
w2 = tf.Variable(rng.normal(size=(3, 1)).astype("float32"), name="w2")
step = tf.Variable(0, name="step")

with tf.GradientTape(persistent=True) as tape:
    h = tf.nn.relu(tf.matmul(x, w1) + b1)
    loss = tf.reduce_mean(tf.square(tf.matmul(h, w2) + tf.sign(tf.reduce_sum(x)) * 0.0))
print(tf.debugging.gradient_report(tape, loss, [w1, b1, w2, step]))
