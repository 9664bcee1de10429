"""TF code using an API tapegrad does not have (Keras callbacks)."""
import tensorflow as tf

x = tf.constant([[1.0, 2.0]])
stop = tf.keras.callbacks.EarlyStopping(patience=2)
print(stop, x)
