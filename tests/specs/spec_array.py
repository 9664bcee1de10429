"""Specs for the shape ops of ops/array_ops.py (transpose ... roll, where).

These ops are linear, so each spec squares (or multiplies) the result: the first gradient then
depends on x and the second-order check runs each rule's own gradient (PadGrad, MirrorPadGrad,
Unpack ...).
"""
import tapegrad as tf
from grad_specs import GradSpec, binary, unary

SQ = tf.math.square
SAME_2 = [((), ()), ((3,), (3,)), ((2, 3), (2, 3)), ((0,), (0,))]


def _away_from_zero(rng, shapes):
    """Inputs with random sign and |x| in [0.3, 2] (where's condition x > 0 must not flip)."""
    return [rng.uniform(0.3, 2.0, s) * rng.choice([-1.0, 1.0], s) for s in shapes]


def _z(x, y):
    ct = tf.complex128 if x.dtype == tf.float64 else tf.complex64
    return tf.cast(x, ct) + tf.cast(y, ct) * 1j


SPECS = [
    unary("transpose", lambda x: SQ(tf.transpose(x))),
    GradSpec("transpose_perm", lambda x: SQ(tf.transpose(x, perm=[1, -1, 0])),
             [((2, 3, 4),), ((2, 0, 3),)]),
    binary("transpose_conjugate", lambda x, y: tf.math.abs(
        tf.transpose(_z(x, y) * _z(y, x), conjugate=True)) * tf.transpose(x),
        shapes=[((2, 3), (2, 3)), ((3,), (3,))], domain=(0.3, 1.5)),
    unary("expand_dims", lambda x: SQ(tf.expand_dims(x, -1))),
    unary("expand_dims_front", lambda x: SQ(tf.expand_dims(x, 0)) * 2.0),
    unary("squeeze", lambda x: SQ(tf.squeeze(x)), shapes=[(), (1,), (2, 1, 3), (1, 0)]),
    unary("squeeze_axis", lambda x: SQ(tf.squeeze(x, axis=[0, -1])),
          shapes=[(1, 3, 1), (1, 1), (1, 0, 1)]),
    binary("stack", lambda x, y: SQ(tf.stack([x, x * y])), shapes=SAME_2),
    binary("stack_last_axis", lambda x, y: SQ(tf.stack([y, x, y], axis=-1)), shapes=SAME_2),
    unary("unstack", lambda x: tf.unstack(SQ(x), axis=-1), shapes=[(3,), (2, 3), (2, 0)]),
    unary("unstack_one_used", lambda x: SQ(tf.unstack(x)[1]), shapes=[(3,), (2, 3)]),
    unary("iterate", lambda x: [SQ(row) * (i + 1.0) for i, row in enumerate(x)],
          shapes=[(3,), (2, 3), (0,)]),
    unary("autopack", lambda x: SQ(tf.convert_to_tensor([[tf.reduce_sum(x), 2.0], [1.0, x]]))
          if not x.shape else SQ(tf.convert_to_tensor([tf.reduce_sum(x), 2.0]))),
    unary("tile", lambda x: SQ(tf.tile(x, [3, 2][:len(x.shape)]))),
    unary("pad_constant", lambda x: SQ(tf.pad(  # a scalar takes a (0, 2) matrix, as in TF
        x, [[1, 2]] * len(x.shape) or tf.zeros([0, 2], tf.int32), constant_values=0.5))),
    unary("pad_reflect", lambda x: SQ(tf.pad(x, [[1, 1], [2, 1]][-len(x.shape):],
                                             mode="REFLECT")),
          shapes=[(3,), (2, 3), (4, 3)]),
    unary("pad_symmetric", lambda x: SQ(tf.pad(x, [[2, 1], [3, 2]][-len(x.shape):],
                                               mode="SYMMETRIC")),
          shapes=[(3,), (2, 3), (2, 4)]),
    # an empty dimension can only take zero padding (REFLECT refuses even that, as TF)
    unary("pad_symmetric_empty_rows", lambda x: SQ(tf.pad(x, [[0, 0], [2, 1]], mode="SYMMETRIC")),
          shapes=[(0, 3)]),
    unary("reverse", lambda x: SQ(tf.reverse(x, [-1])), shapes=[(3,), (2, 3), (0,)]),
    unary("reverse_two_axes", lambda x: SQ(tf.reverse(x, [1, 0])), shapes=[(2, 3), (3, 1)]),
    unary("roll", lambda x: SQ(tf.roll(x, 1, -1)), shapes=[(3,), (2, 3), (0,)]),
    unary("roll_two_axes", lambda x: SQ(tf.roll(x, [-1, 2], [0, 1])), shapes=[(2, 3), (3, 4)]),
    binary("where", lambda x, y: tf.where(x > 0, x * x, y), make_args=_away_from_zero),
    unary("where_sqrt_guard", lambda x: tf.where(x > 0, tf.sqrt(tf.math.abs(x)), 0.0),
          make_args=_away_from_zero),
]
