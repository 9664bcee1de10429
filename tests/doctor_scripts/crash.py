"""A shape bug: the script itself fails inside a tapegrad op."""
import tapegrad as tf


def forward(a, b):
    return tf.matmul(a, b)


a = tf.ones([2, 3])
b = tf.ones([2, 3])
print(forward(a, b))
