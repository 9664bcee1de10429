"""A loss finished in NumPy: w's gradient is None at every step (reported once)."""
import numpy as np
import tapegrad as tf

w = tf.Variable([0.5, -1.5])
b = tf.Variable(1.0)
opt = tf.keras.optimizers.SGD(learning_rate=0.1)
for step in range(5):
    with tf.GradientTape() as tape:
        pred = w * 2.0
        loss = tf.constant(np.sum(pred.numpy() ** 2)) + b * b
    grads = tape.gradient(loss, [w, b])
    opt.apply_gradients(zip(grads, [w, b]))
print("trained", b.numpy())
