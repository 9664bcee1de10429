"""Specs for ops/reduction_ops.py: every differentiable reduction, over all axes, a single axis,
several (non-trailing) axes, keepdims, and empty inputs.

Random inputs have no ties, so max/min are smooth where checked (tie sharing is tested by
value in tests/test_reduction_ops.py). Prod stays away from 0 (its zero handling is also tested
by value there).
"""
import tapegrad as tf
from grad_specs import GradSpec, unary

M = tf.math
NOT_SCALAR = [(3,), (2, 3), (0,), (2, 0)]
# Reductions whose value over nothing is not finite (mean NaN, max -inf, logsumexp -inf) only
# meet empty inputs where no output element reduces over an empty axis.
NOT_EMPTY = [(), (3,), (2, 3)]
ROWS = [(3,), (2, 3), (0, 3)]
THREE_D = [((2, 3, 4),), ((3, 1, 2),), ((2, 0, 3),)]

SPECS = [
    unary("reduce_sum_axis_keepdims", lambda x: M.reduce_sum(x * x, axis=-1, keepdims=True),
          shapes=NOT_SCALAR),
    GradSpec("reduce_sum_axes_02", lambda x: M.reduce_sum(x * x, axis=[0, 2]), THREE_D),
    unary("reduce_mean", lambda x: M.reduce_mean(x * x), shapes=NOT_EMPTY),
    unary("reduce_mean_axis0", lambda x: M.reduce_mean(x * x, axis=0), shapes=[(3,), (2, 3), (2, 0)]),
    GradSpec("reduce_mean_axes_keepdims", lambda x: M.reduce_mean(
        tf.exp(x), axis=[2, 0], keepdims=True), THREE_D),
    unary("reduce_max", lambda x: M.reduce_max(x * x), shapes=NOT_EMPTY),
    unary("reduce_max_axis", lambda x: M.reduce_max(x * x, axis=1), shapes=[(2, 3), (3, 1), (0, 2)]),
    GradSpec("reduce_max_axes", lambda x: M.reduce_max(tf.sin(x), axis=[0, 2], keepdims=True),
             THREE_D),
    unary("reduce_min", lambda x: M.reduce_min(tf.exp(x)), shapes=NOT_EMPTY),
    unary("reduce_min_axis", lambda x: M.reduce_min(x * x, axis=-1, keepdims=True),
          shapes=ROWS),
    unary("reduce_prod", lambda x: M.reduce_prod(x), domain=(0.5, 1.5)),
    unary("reduce_prod_axis", lambda x: M.reduce_prod(x * x, axis=1), domain=(0.5, 1.5),
          shapes=[(2, 3), (3, 1), (2, 0)]),
    GradSpec("reduce_prod_axes_transposed", lambda x: M.reduce_prod(x, axis=[0, 2]), THREE_D,
             domain=(0.5, 1.5)),
    GradSpec("reduce_prod_middle_keepdims", lambda x: M.reduce_prod(x, axis=1, keepdims=True),
             THREE_D, domain=(0.5, 1.5)),
    unary("reduce_logsumexp", lambda x: M.reduce_logsumexp(x * 3.0), shapes=NOT_EMPTY),
    unary("reduce_logsumexp_axis", lambda x: M.reduce_logsumexp(x, axis=-1, keepdims=True),
          shapes=ROWS),
    GradSpec("reduce_logsumexp_axes", lambda x: M.reduce_logsumexp(x * 2.0, axis=[0, 2]),
             THREE_D),
    unary("reduce_variance", lambda x: M.reduce_variance(x), shapes=NOT_EMPTY),
    unary("reduce_variance_axis", lambda x: M.reduce_variance(x, axis=0, keepdims=True),
          shapes=[(3,), (2, 3), (3, 2)]),
    # std is sqrt(variance): a single element has variance 0, where the gradient is NaN (as TF).
    unary("reduce_std", lambda x: M.reduce_std(x), shapes=[(3,), (2, 3), (4, 2)]),
    unary("reduce_std_axis", lambda x: M.reduce_std(x, axis=1), shapes=[(2, 3), (3, 2)]),
]
