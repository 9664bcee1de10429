"""Specs for ops/sort_ops.py. Inputs are well separated (no ties, and no reordering under the
finite-difference step), since the order of the entries decides the gradient."""
import numpy as np

import tapegrad as tf
from grad_specs import GradSpec, unary
from tapegrad.ops import sort_ops

SQ = tf.math.square


def _distinct(rng, shapes):
    out = []
    for s in shapes:
        n = int(np.prod(s))
        out.append((rng.permutation(n) * 0.4 - 0.2 * n + rng.uniform(-0.05, 0.05, n)).reshape(s))
    return out


SORT_SHAPES = [(3,), (2, 3), (0,), (2, 0)]

SPECS = [
    unary("sort", lambda x: SQ(tf.sort(x)) * tf.sort(x), shapes=SORT_SHAPES,
          make_args=_distinct),
    unary("sort_descending_axis0", lambda x: SQ(tf.sort(x, axis=0, direction="DESCENDING")),
          shapes=[(3,), (3, 2), (0, 2)], make_args=_distinct),
    unary("top_k", lambda x: SQ(tf.math.top_k(x, 2).values), shapes=[(3,), (2, 3), (2, 2)],
          make_args=_distinct),
    unary("top_k_zero", lambda x: SQ(tf.math.top_k(x, 0).values) + 1.0, shapes=[(3,), (2, 3)],
          make_args=_distinct),
    # The gather behind sort's second derivative, on its own (indices fixed).
    GradSpec("take_along_axis", lambda x: SQ(sort_ops._take_along(
        x, tf.constant(np.array([[2, 0], [1, 0]][:x.shape[0]], np.int32)), axis=-1)),
        [((2, 3),), ((1, 3),)]),
]
