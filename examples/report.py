"""A gradient report: healthy, dead-ReLU, structurally zero and disconnected sources."""
import numpy as np
import tapegrad as tf

rng = np.random.default_rng(0)
x = tf.constant(rng.normal(size=(8, 4)).astype("float32"))
w = tf.Variable(rng.normal(size=(4, 1)).astype("float32"), name="w")
w_dead = tf.Variable(rng.normal(size=(4, 3)).astype("float32"), name="w_dead")
b_dead = tf.Variable(np.full(3, -100.0, "float32"), name="b_dead")  # every unit dead
t = tf.Variable(0.5, name="t")
step = tf.Variable(0, name="step")

with tf.GradientTape() as tape:
    dead = tf.nn.relu(tf.matmul(x, w_dead) + b_dead)
    loss = tf.reduce_mean(tf.square(tf.matmul(x, w) + tf.reduce_sum(dead) + tf.sign(t)))
print(tf.debugging.gradient_report(tape, loss, [w, w_dead, b_dead, t, step]))
