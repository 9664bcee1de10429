"""Specs for tf.nn (ops/nn_ops.py) and the clipping ops (ops/clip_ops.py).

Inputs of piecewise ops are drawn away from their kinks (``_away``): the float64 seed changes
between runs, so luck cannot be relied on.
"""
import numpy as np

import tapegrad as tf
from grad_specs import SHAPES_1, GradSpec, binary, unary

MATS = [(3,), (2, 3)]
_LABELS = np.array([[0.2, 0.3, 0.5], [1.0, 0.0, 0.0]])


def _away(*kinks, lo=-2.0, hi=2.0, gap=0.2):
    """make_args drawing every input uniformly in [lo, hi] but at least ``gap`` from each kink."""
    def make(rng, shapes):
        out = []
        for s in shapes:
            v = rng.uniform(lo, hi, size=s)
            for k in kinks:
                near = np.abs(v - k) < gap
                v = np.where(near, k + np.where(v >= k, gap, -gap), v)
            out.append(v)
        return out
    return make


def _sparse(x):
    labels = np.arange(int(np.prod(x.shape[:-1]))).reshape(x.shape[:-1]) % x.shape[-1]
    return tf.nn.sparse_softmax_cross_entropy_with_logits(tf.constant(labels), x)


def _dropout(x):
    tf.random.set_seed(3)  # the same mask on every call of the check
    return tf.nn.dropout(x, 0.4, seed=1)


def _drop_none(result):
    clipped, norm = result
    return [c for c in clipped if c is not None] + [norm]


def _clip_args(rng, shapes):
    """x well inside or outside [lo, hi], lo near -1, hi near 1."""
    xs, los, his = shapes
    x = rng.choice([-1.8, -0.3, 0.0, 0.4, 1.7], size=xs) + rng.uniform(-0.1, 0.1, size=xs)
    return [x, rng.uniform(-1.1, -0.9, size=los), rng.uniform(0.9, 1.1, size=his)]


def _norm_args(rng, shapes):
    """Inputs whose norm stays clear of the clip value 0.5 (each |x| >= 0.7)."""
    return [np.where(rng.random(s) < 0.5, -1, 1) * rng.uniform(0.7, 2.0, size=s) for s in shapes]


SPECS = [
    unary("relu", tf.nn.relu, make_args=_away(0.0)),
    unary("relu6", tf.nn.relu6, make_args=_away(0.0, 6.0, lo=-2, hi=8)),
    unary("leaky_relu", lambda x: tf.nn.leaky_relu(x, alpha=0.3), make_args=_away(0.0)),
    unary("elu", tf.nn.elu, make_args=_away(0.0)),
    unary("selu", tf.nn.selu, make_args=_away(0.0)),
    unary("gelu", tf.nn.gelu, domain=(-3, 3)),
    unary("gelu_approximate", lambda x: tf.nn.gelu(x, approximate=True), domain=(-3, 3)),
    unary("silu", tf.nn.silu, domain=(-3, 3)),
    GradSpec("swish_beta", lambda x, b: tf.nn.swish(x, beta=b), [((3,), ()), ((2, 3), ())],
             domain=[(-3, 3), (0.5, 2)]),
    unary("log_sigmoid", tf.math.log_sigmoid, domain=(-5, 5)),
    unary("softmax", tf.nn.softmax, shapes=MATS + [(0,)], domain=(-3, 3)),
    unary("softmax_axis0", lambda x: tf.nn.softmax(x, axis=0), shapes=MATS, domain=(-3, 3)),
    unary("log_softmax", tf.nn.log_softmax, shapes=MATS + [(0,)], domain=(-3, 3)),
    unary("log_softmax_axis0", lambda x: tf.nn.log_softmax(x, axis=0), shapes=[(2, 3)]),
    # Labels must be distributions (TF's gradient for the logits is softmax - labels), and as
    # in TF they get no second-order term through the fused backprop: order 2 for logits only.
    binary("softmax_xent",
           lambda r, x: tf.nn.softmax_cross_entropy_with_logits(tf.nn.softmax(r), x), order=1,
           shapes=[((3,), (3,)), ((2, 3), (2, 3)), ((3,), (2, 3)), ((2, 0), (2, 0))],
           domain=(-3, 3)),
    unary("softmax_xent_logits", lambda x: tf.nn.softmax_cross_entropy_with_logits(
        tf.constant(_LABELS[: x.shape[0]], x.dtype), x), shapes=[(1, 3), (2, 3)], domain=(-3, 3)),
    binary("softmax_xent_axis0", lambda r, x: tf.nn.softmax_cross_entropy_with_logits(
        tf.nn.softmax(r, axis=0), x, axis=0), order=1, shapes=[((2, 3), (2, 3))],
        domain=(-3, 3)),
    unary("sparse_softmax_xent", _sparse, shapes=[(3,), (2, 3), (2, 2, 3), (0, 3)],
          domain=(-3, 3)),
    binary("sigmoid_xent",
           lambda z, x: tf.nn.sigmoid_cross_entropy_with_logits(labels=z, logits=x),
           shapes=[((), ()), ((3,), (3,)), ((2, 3), (2, 3)), ((0,), (0,))],
           domain=[(0, 1), (-4, 4)]),
    GradSpec("weighted_xent", lambda z, x, w: tf.nn.weighted_cross_entropy_with_logits(z, x, w),
             [((3,), (3,), ()), ((2, 3), (2, 3), (3,))],
             make_args=lambda rng, s: [rng.uniform(0, 1, s[0]), _away(0.0, lo=-4, hi=4)(
                 rng, [s[1]])[0], rng.uniform(0.5, 3, s[2])]),
    unary("l2_loss", tf.nn.l2_loss),
    unary("l2_normalize", tf.math.l2_normalize, shapes=[(), (3,), (2, 3)]),
    unary("l2_normalize_axis", lambda x: tf.math.l2_normalize(x, axis=-1), shapes=[(2, 3)]),
    unary("moments_mean", lambda x: tf.nn.moments(x, axes=[0])[0], shapes=[(3,), (2, 3)]),
    # TF's variance treats the mean as a constant: exact first derivatives only (see nn_ops)
    unary("moments_variance", lambda x: tf.nn.moments(x, axes=[0])[1], order=1,
          shapes=[(3,), (2, 3), (4, 1)]),
    unary("moments_keepdims", lambda x: tf.nn.moments(x, axes=[0, 1], keepdims=True), order=1,
          shapes=[(2, 3)]),
    unary("dropout", _dropout, shapes=SHAPES_1),
    binary("bias_add", tf.nn.bias_add,
           shapes=[((2, 3), (3,)), ((2, 3, 4), (4,)), ((0, 3), (3,))]),
    binary("bias_add_nchw", lambda v, b: tf.nn.bias_add(v, b, data_format="NCHW"),
           shapes=[((2, 3, 4), (3,)), ((2, 3), (3,))]),
    GradSpec("clip_by_value", tf.clip_by_value,
             [((5,), (), ()), ((2, 3), (3,), ()), ((), (), ()), ((0, 3), (3,), ())],
             make_args=_clip_args),
    unary("clip_by_norm", lambda x: tf.clip_by_norm(x, 0.5), make_args=_norm_args),
    unary("clip_by_norm_unclipped", lambda x: tf.clip_by_norm(x, 100.0), shapes=[(3,)]),
    unary("clip_by_norm_axes", lambda x: tf.clip_by_norm(x, 0.5, axes=[1]), shapes=[(2, 3)],
          make_args=_norm_args),
    GradSpec("clip_by_norm_tensor", lambda x, c: tf.clip_by_norm(x, c),
             [((3,), ()), ((2, 3), ())],
             make_args=lambda rng, s: [_norm_args(rng, [s[0]])[0], rng.uniform(0.2, 0.5, s[1])]),
    binary("global_norm", lambda a, b: tf.linalg.global_norm([a, None, b]),
           shapes=[((), ()), ((3,), (2, 3))]),
    binary("clip_by_global_norm",
           lambda a, b: _drop_none(tf.clip_by_global_norm([a, None, b], 0.7)), shapes=[((), ()), ((3,), (2, 3))], make_args=_norm_args),
    GradSpec("clip_by_global_norm_tensor",
             lambda a, c: tf.clip_by_global_norm([a], c), [((3,), ()), ((2, 3), ())],
             make_args=lambda rng, s: [_norm_args(rng, [s[0]])[0], rng.uniform(0.2, 0.5, s[1])]),
]
