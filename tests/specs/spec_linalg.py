"""Specs for ops/linalg_ops.py: matmul (2-D, transposed, batched with broadcast batch dims,
empty), einsum (contractions, diagonals, broadcasting, 3 operands), tensordot, norms, trace,
diag_part, det and inv.

det/inv get well-conditioned matrices (a random matrix plus a multiple of the identity); norms
stay away from the zero vector, where TF's gradient is NaN (tested in test_linalg_ops.py).
Complex rules are checked through real functions of real inputs (|f(x + iy)|).
"""
import numpy as np

import tapegrad as tf
from grad_specs import GradSpec, binary, unary

L = tf.linalg

MATMUL_SHAPES = [((2, 3), (3, 4)), ((1, 1), (1, 1)), ((3, 3), (3, 1)), ((2, 2, 3), (3, 4)),
                 ((2, 1, 2, 3), (4, 3, 2)), ((0, 3), (3, 2)), ((2, 0), (0, 3)),
                 ((0, 2, 3), (3, 2)), ((2, 2, 0), (2, 0, 3))]


def _well_conditioned(rng, shapes):
    return [rng.uniform(-1, 1, s) + 3.0 * np.eye(s[-1]) for s in shapes]


def _away_from_zero(rng, shapes):
    return [rng.uniform(0.3, 2.0, s) * rng.choice([-1.0, 1.0], s) for s in shapes]


def _z(x, y):
    ct = tf.complex128 if x.dtype == tf.float64 else tf.complex64
    return tf.cast(x, ct) + tf.cast(y, ct) * 1j


SQUARE = [((3, 3),), ((2, 2, 2),), ((1, 1),), ((0, 2, 2),)]

SPECS = [
    binary("matmul", lambda a, b: tf.matmul(a, b), shapes=MATMUL_SHAPES),
    binary("matmul_operator", lambda a, b: (a @ b) * (a @ b), shapes=MATMUL_SHAPES[:4]),
    binary("matmul_transpose_a", lambda a, b: tf.matmul(a, b, transpose_a=True),
           shapes=[((3, 2), (3, 4)), ((2, 3, 2), (3, 4))]),
    binary("matmul_transpose_b", lambda a, b: tf.matmul(a, b, transpose_b=True),
           shapes=[((2, 3), (4, 3)), ((2, 3), (2, 4, 3))]),
    binary("matmul_transpose_both", lambda a, b: tf.matmul(a, b, transpose_a=True,
                                                           transpose_b=True),
           shapes=[((3, 2), (4, 3)), ((2, 3, 2), (1, 4, 3))]),
    binary("matmul_adjoint", lambda a, b: tf.matmul(a, b, adjoint_a=True, adjoint_b=True),
           shapes=[((3, 2), (4, 3))]),
    binary("matmul_complex", lambda x, y: tf.abs(tf.matmul(_z(x, y), _z(y, x), adjoint_b=True)),
           shapes=[((2, 2), (2, 2)), ((2, 2, 2), (2, 2, 2))], make_args=_away_from_zero),
    binary("einsum_matmul", lambda a, b: L.einsum("ij,jk->ik", a, b),
           shapes=[((2, 3), (3, 4)), ((1, 2), (2, 1))]),
    binary("einsum_batch_bcast", lambda a, b: L.einsum("...ij,...jk->...ik", a, b),
           shapes=[((2, 1, 2, 3), (4, 3, 2)), ((2, 3), (3, 3, 2)), ((2, 3), (3, 2))]),
    binary("einsum_dot_outer", lambda a, b: L.einsum("bi,bj->bij", a, b) * 2.0,
           shapes=[((2, 3), (2, 4)), ((0, 3), (0, 2))]),
    binary("einsum_sum_only_one", lambda a, b: L.einsum("ij,j->i", a * a, b),
           shapes=[((2, 3), (3,))]),
    binary("einsum_implicit", lambda a, b: L.einsum("ij,kj", a, b),
           shapes=[((2, 3), (4, 3))]),
    binary("einsum_complex", lambda x, y: tf.abs(L.einsum("ij,jk->ik", _z(x, y), _z(y, x))),
           shapes=[((2, 2), (2, 2))], make_args=_away_from_zero),
    unary("einsum_transpose", lambda a: L.einsum("ij->ji", a * a), shapes=[(2, 3), (1, 4)]),
    unary("einsum_diag", lambda a: L.einsum("ii->i", a) * L.einsum("ij->", a),
          shapes=[(3, 3), (1, 1)]),
    unary("einsum_trace", lambda a: L.einsum("ii", a * a), shapes=[(3, 3)]),
    unary("einsum_batch_diag", lambda a: L.einsum("...ii->...i", a), shapes=[(2, 3, 3)]),
    binary("einsum_scalar_operand", lambda a, b: L.einsum(",i->i", a, b) * b,
           shapes=[((), (3,)), ((), (0,))]),
    GradSpec("einsum_3", lambda a, b, c: L.einsum("ij,jk,kl->il", a, b, c),
             [((2, 3), (3, 4), (4, 2)), ((1, 2), (2, 2), (2, 3))]),
    GradSpec("einsum_3_bcast", lambda a, b, c: L.einsum("...i,...i,i->...", a, b, c),
             [((2, 3), (4, 1, 3), (3,))]),
    binary("tensordot_1", lambda a, b: L.tensordot(a, b, axes=1),
           shapes=[((2, 3), (3, 4)), ((3,), (3,))]),
    binary("tensordot_pairs", lambda a, b: L.tensordot(a, b, axes=[[0, 2], [1, 0]]),
           shapes=[((2, 3, 4), (4, 2, 5))]),
    binary("tensordot_outer", lambda a, b: L.tensordot(a, b, axes=0),
           shapes=[((2,), (3,)), ((2, 2), (3,))]),
    unary("matrix_transpose", lambda a: L.matrix_transpose(a) * 2.0,
          shapes=[(2, 3), (2, 3, 4), (0, 2)]),
    unary("norm", lambda x: L.norm(x), shapes=[(3,), (2, 3)], make_args=_away_from_zero),
    unary("norm_axis", lambda x: L.norm(x, axis=-1, keepdims=True), shapes=[(3,), (2, 3)],
          make_args=_away_from_zero),
    unary("norm_1", lambda x: L.norm(x, ord=1, axis=0), shapes=[(3,), (2, 3)],
          make_args=_away_from_zero),
    unary("norm_inf", lambda x: L.norm(x, ord=np.inf), shapes=[(3,), (2, 3)],
          make_args=_away_from_zero),
    unary("norm_3", lambda x: L.norm(x, ord=3, axis=1), shapes=[(2, 3), (1, 4)],
          make_args=_away_from_zero),
    unary("norm_fro", lambda x: L.norm(x, ord="fro", axis=[0, 1]), shapes=[(2, 3), (3, 3)],
          make_args=_away_from_zero),
    unary("norm_matrix_1_inf", lambda x: L.norm(x, ord=1, axis=[-1, 0]) *
          tf.reduce_sum(L.norm(x, ord=np.inf, axis=[1, 2], keepdims=True)), shapes=[(2, 3, 4)],
          make_args=_away_from_zero),
    # The spectral norm's rule (u1 v1^T) is first order only: its own gradient raises.
    unary("norm_spectral", lambda x: L.norm(x, ord=2, axis=[0, 1]), order=1,
          shapes=[(2, 3), (3, 3)]),
    unary("norm_spectral_batched", lambda x: L.norm(x, ord=2, axis=[2, 0]), order=1,
          shapes=[(3, 2, 4), (3, 0, 4)]),
    unary("trace", lambda x: L.trace(x * x), shapes=[(3, 3), (2, 3), (2, 3, 3), (0, 3, 3)]),
    unary("diag_part", lambda x: L.diag_part(x) * 3.0,
          shapes=[(3, 3), (2, 4), (2, 3, 2), (3, 0)]),
    unary("diag_part_k", lambda x: L.diag_part(x, k=1) * tf.reduce_sum(L.diag_part(x, k=-1)),
          shapes=[(3, 4), (2, 3, 3)]),
    GradSpec("det", lambda x: L.det(x), SQUARE, make_args=_well_conditioned),
    GradSpec("inv", lambda x: L.inv(x), SQUARE, make_args=_well_conditioned),
    GradSpec("inv_adjoint", lambda x: L.inv(x, adjoint=True), SQUARE[:2],
             make_args=_well_conditioned),
]
