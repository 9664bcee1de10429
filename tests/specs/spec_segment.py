"""Specs for ops/segment_ops.py: sorted and unsorted segment reductions (with negative ids,
empty segments, multi-dimensional ids), dynamic_partition and dynamic_stitch.

Random inputs have no ties, so max/min pick one element per segment. Products are multilinear,
so central differences stay exact at zeros: one zero in a segment is checked to second order;
two zeros only to first (TF's rule passes nothing back there, so its own gradient is cut)."""
import tapegrad as tf
from grad_specs import GradSpec, binary, unary

IDS = [0, 0, 2, 3]                 # sorted, segment 1 empty
UIDS = [1, -1, 1, 0]               # unsorted, one dropped element
ROWS = [(4,), (4, 3), (4, 0)]
SQ = tf.math.square


def _with_zeros(count):
    def make(rng, shapes):
        out = []
        for s in shapes:
            a = rng.uniform(0.5, 2.0, s) * rng.choice([-1.0, 1.0], s)
            a[0] = 0.0                      # segment 0 holds rows 0 and 1
            if count > 1:
                a[1] = 0.0
            out.append(a)
        return out
    return make


def _sorted(name, fn, **kw):
    return unary(name, lambda x: fn(x * x + x, IDS), shapes=ROWS, **kw)


def _unsorted(name, fn, num=3, **kw):
    return unary(name, lambda x: fn(x * x + x, UIDS, num), shapes=ROWS, **kw)


M = tf.math
SPECS = [
    _sorted("segment_sum", M.segment_sum),
    _sorted("segment_mean", M.segment_mean),
    _sorted("segment_max", M.segment_max),
    _sorted("segment_min", M.segment_min),
    _sorted("segment_prod", M.segment_prod),
    unary("segment_sum_empty", lambda x: M.segment_sum(x, tf.constant([], tf.int32)) * 2.0,
          shapes=[(0,), (0, 2)]),
    unary("segment_reductions_empty", lambda x: [
        f(x * x, tf.zeros([0], tf.int32)) for f in (M.segment_sum, M.segment_mean, M.segment_max,
                                                     M.segment_min, M.segment_prod)],
        shapes=[(0,), (0, 2)]),
    unary("unsorted_segment_reductions_empty_data", lambda x: [
        f(x * x, tf.zeros([0], tf.int32), 2) for f in (
            M.unsorted_segment_sum, M.unsorted_segment_max, M.unsorted_segment_min,
            M.unsorted_segment_prod, M.unsorted_segment_mean, M.unsorted_segment_sqrt_n)],
        shapes=[(0,), (0, 2)]),
    unary("segment_prod_one_zero", lambda x: M.segment_prod(x, IDS), shapes=ROWS,
          make_args=_with_zeros(1)),
    unary("segment_prod_two_zeros", lambda x: M.segment_prod(x, IDS), shapes=ROWS,
          make_args=_with_zeros(2), order=1),
    unary("segment_sum_then_gather", lambda x: tf.gather(M.segment_sum(x, IDS), [3, 0]) * 2.0,
          shapes=ROWS),
    _unsorted("unsorted_segment_sum", M.unsorted_segment_sum),
    _unsorted("unsorted_segment_max", M.unsorted_segment_max, num=2),
    _unsorted("unsorted_segment_min", M.unsorted_segment_min, num=2),
    _unsorted("unsorted_segment_prod", M.unsorted_segment_prod),
    _unsorted("unsorted_segment_mean", M.unsorted_segment_mean),
    _unsorted("unsorted_segment_sqrt_n", M.unsorted_segment_sqrt_n),
    unary("unsorted_segment_prod_one_zero", lambda x: M.unsorted_segment_prod(x, [0, 0, 1, 1], 2),
          shapes=ROWS, make_args=_with_zeros(1)),
    unary("unsorted_segment_sum_2d_ids",
          lambda x: M.unsorted_segment_sum(SQ(x), [[0, 1], [1, -1]], 3),
          shapes=[(2, 2), (2, 2, 3), (2, 2, 0)]),
    unary("unsorted_segment_max_2d_ids",
          lambda x: M.unsorted_segment_max(SQ(x), [[0, 1], [1, -1]], 2),
          shapes=[(2, 2), (2, 2, 3)]),
    unary("dynamic_partition",
          lambda x: [SQ(p) * (k + 1.0) for k, p in enumerate(tf.dynamic_partition(x, [1, 0, 1, 3],
                                                                                   4))],
          shapes=ROWS),
    unary("dynamic_partition_2d",
          lambda x: [SQ(p) for p in tf.dynamic_partition(x, [[1, 0], [0, 0]], 2)],
          shapes=[(2, 2), (2, 2, 3)]),
    unary("dynamic_partition_scalar", lambda x: [SQ(p) for p in tf.dynamic_partition(x, 1, 2)],
          shapes=[()]),
    binary("dynamic_stitch_scalars", lambda a, b: SQ(tf.dynamic_stitch([1, 0], [a, a * b])),
           shapes=[((), ())]),
    binary("dynamic_stitch", lambda a, b: SQ(tf.dynamic_stitch([[0, 3], [2, 1]], [a * b, b])),
           shapes=[((2,), (2,)), ((2, 3), (2, 3)), ((2, 0), (2, 0))]),
    GradSpec("dynamic_stitch_2d_indices",
             lambda a, b: SQ(tf.dynamic_stitch([[[0, 2], [4, 1]], [3]], [a, b])),
             [((2, 2), (1,)), ((2, 2, 3), (1, 3))]),
]
