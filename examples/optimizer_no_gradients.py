"""The optimizer's "No gradients provided for any variable", with the reason for each one."""
import tapegrad as tf

w = tf.Variable(2.0, name="w")
b = tf.Variable(0.5, name="b", trainable=False)
opt = tf.keras.optimizers.SGD(learning_rate=0.1)

with tf.GradientTape() as tape:
    pred = tf.cast(tf.round(w * 3.0), tf.int32)
    loss = tf.cast(pred, tf.float32) + b
try:
    opt.apply_gradients(zip(tape.gradient(loss, [w, b]), [w, b]))
except ValueError as e:
    print(e)
