"""Specs for the engine's own ops and the basic arithmetic in ops/math_ops.py."""
import tapegrad as tf
from grad_specs import binary, unary

SPECS = [
    binary("add", lambda x, y: x + y),
    binary("subtract", lambda x, y: x - y),
    binary("multiply", lambda x, y: x * y),
    binary("divide", lambda x, y: x / y, domain=[(-2, 2), (0.5, 2)]),
    binary("pow", lambda x, y: tf.pow(x, y), domain=[(0.5, 2), (-1.5, 1.5)]),
    binary("floormod", lambda x, y: tf.math.floormod(x, y), domain=[(0.1, 0.9), (1.0, 1.0 + 1e-9)],
           order=1),
    unary("negative", lambda x: -x),
    unary("exp", tf.math.exp),
    unary("log", tf.math.log, domain=(0.2, 3)),
    unary("tanh", tf.math.tanh),
    unary("square", tf.math.square),
    unary("sqrt", tf.math.sqrt, domain=(0.3, 3)),
    unary("cast_f64", lambda x: tf.cast(tf.cast(x, tf.float32), tf.float64) * 1.0,
          float32=False, order=1, eps=1e-2),
    unary("reduce_sum", lambda x: tf.reduce_sum(x)),
    unary("reshape", lambda x: tf.reshape(x, [-1]) * 2.0),
    unary("broadcast_to", lambda x: tf.broadcast_to(x, (4,) + tuple(x.shape)) * 1.5),
    unary("identity", lambda x: tf.identity(x) * x),
    unary("fill", lambda x: tf.fill([3], tf.reduce_sum(x))),
    unary("concat_split", lambda x: tf.concat(tf.split(x * x, 1, axis=0) + [x], axis=0),
          shapes=[(3,), (2, 3)]),
    unary("split_sizes", lambda x: tf.split(x, [1, 2], axis=-1)[1] * 3.0,
          shapes=[(3,), (2, 3), (0, 3)]),
    # pieces of different sizes (and an empty piece) along the concat axis
    binary("concat_uneven", lambda x, y: tf.square(tf.concat([x, y], axis=-1)),
           shapes=[((3,), (2,)), ((2, 3), (2, 1)), ((2, 3), (2, 0)), ((0,), (2,))]),
    binary("floordiv", lambda x, y: tf.math.floordiv(x, y) + x * y,
           domain=[(0.1, 0.9), (1.0, 1.0 + 1e-9)], order=1),
    unary("real_of_complex", lambda x: tf.math.real(tf.cast(x, tf.complex128)) * x,
          float32=False),
    unary("check_numerics", lambda x: tf.debugging.check_numerics(x * x, "spec")),
    binary("select", lambda x, y: tf.where(x > 0, x * y, y), shapes=[((3,), (3,)), ((2, 3), (3,))]),
]
