"""Small helpers shared by the behaviour tests of the control ops."""
import numpy as np

import tapegrad as tf


def _np(t):
    return None if t is None else np.asarray(t.numpy())


def _grad(fn, x, **tape_kw):
    """(fn(x), d fn / d x) with x watched."""
    with tf.GradientTape(**tape_kw) as g:
        g.watch(x)
        y = fn(x)
    return y, g.gradient(y, x)


def _watched(fn, *xs):
    """(fn(*xs), the tape that watched xs)."""
    with tf.GradientTape() as g:
        g.watch(list(xs))
        y = fn(*xs)
    return y, g
