"""Accuracy as a loss: no variable gets a gradient, so the optimizer refuses the step."""
import tapegrad as tf

w = tf.Variable([[0.3, -0.2], [0.1, 0.4]])
x = tf.constant([[1.0, 2.0], [3.0, -1.0]])
labels = tf.constant([1, 0], tf.int64)
opt = tf.keras.optimizers.Adam(learning_rate=0.01)
with tf.GradientTape() as tape:
    logits = tf.matmul(x, w)
    hits = tf.cast(tf.equal(tf.argmax(logits, axis=1), labels), tf.float32)
    loss = 1.0 - tf.reduce_mean(hits)
grads = tape.gradient(loss, [w])
opt.apply_gradients(zip(grads, [w]))
print("not reached")
