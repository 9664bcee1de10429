"""TF code using an API tapegrad does not have (Keras layers)."""
import tensorflow as tf

x = tf.constant([[1.0, 2.0]])
layer = tf.keras.layers.Dense(4)
print(layer(x))
