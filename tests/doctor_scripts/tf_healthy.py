"""Unmodified TF code: runs under `tapegrad doctor --tensorflow`."""
import tensorflow as tf
from tensorflow.keras.optimizers import Adam

w = tf.Variable(tf.random.normal([3, 1], seed=1))
x = tf.constant([[1.0, 0.0, 2.0], [0.0, 1.0, -1.0]])
y = tf.constant([[1.0], [0.0]])
opt = Adam(learning_rate=0.05)
for _ in range(10):
    with tf.GradientTape() as tape:
        loss = tf.reduce_mean(tf.square(tf.matmul(x, w) - y))
    opt.apply_gradients(zip(tape.gradient(loss, [w]), [w]))
print(tf.__name__, "loss", round(float(loss), 4))
