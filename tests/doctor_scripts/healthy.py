"""A small regression trained correctly: doctor finds nothing."""
import numpy as np
import tapegrad as tf

x = tf.constant(np.linspace(-1.0, 1.0, 16, dtype=np.float32).reshape(8, 2))
y = tf.reduce_sum(x, axis=1, keepdims=True) * 3.0
w = tf.Variable(tf.zeros([2, 1]))
b = tf.Variable(0.0)
opt = tf.keras.optimizers.SGD(learning_rate=0.1)
for step in range(20):
    with tf.GradientTape() as tape:
        loss = tf.reduce_mean((tf.matmul(x, w) + b - y) ** 2)
    grads = tape.gradient(loss, [w, b])
    opt.apply_gradients(zip(grads, [w, b]))
print(f"final loss {float(loss):.4f}")
