"""Numerical gradient checking: tape VJPs against central differences, to any order.

``check_gradients(fn, args)`` draws a random direction ``u`` per input and a random cotangent
``v``, and compares ``<u, VJP(v)>`` from the tape with ``<(f(x+eps*u) - f(x-eps*u))/(2*eps), v>``.
``order=2`` repeats the check on the function ``x -> <VJP(v)(x), w>`` built through a nested
tape, so second derivatives (the gradient rules' own gradients) are checked too.
"""
import numpy as np

from .._core import nest
from .._core.tape import GradientTape
from .._core.tensor import Tensor, convert_to_tensor


class GradientCheckError(AssertionError):
    pass


def _flat_outputs(out):
    return [convert_to_tensor(o) for o in nest.flatten(out)]


def _value(fn, arrays, dtype):
    outs = _flat_outputs(fn(*[Tensor(np.asarray(a, dtype), _dtype_of(dtype)) for a in arrays]))
    return [np.asarray(o._value, np.float64) for o in outs]


def _dtype_of(np_dtype):
    from .._core.dtypes import from_numpy
    return from_numpy(np.dtype(np_dtype))


def check_gradients(fn, args, order=2, eps=None, rtol=None, atol=None, seed=0,
                    dtype=np.float64, seen_ops=None):
    """Raise GradientCheckError if the tape's gradients of ``fn`` disagree with finite
    differences at ``args`` (arrays), up to ``order``. Returns the set of op types run under
    the tape (so a coverage test can tell which ops were really checked)."""
    dtype = np.dtype(dtype)
    if eps is None:
        eps = 1e-6 if dtype == np.float64 else 1e-2
    if rtol is None:
        rtol = 1e-5 if dtype == np.float64 else 2e-2
    if atol is None:
        atol = 1e-6 if dtype == np.float64 else 2e-2
    rng = np.random.default_rng(seed)
    arrays = [np.asarray(a, dtype) for a in args]
    seen = set() if seen_ops is None else seen_ops
    _check(fn, arrays, order, eps, rtol, atol, rng, dtype, seen)
    return seen


def _vjp(fn, arrays, cot, dtype, seen, outer=None):
    xs = [Tensor(np.asarray(a, dtype), _dtype_of(dtype)) for a in arrays]
    with GradientTape() as tape:
        tape.watch(xs)
        outs = _flat_outputs(fn(*xs))
    seen.update(op.opdef.type for op in tape._records)
    grads = tape.gradient(outs, xs, output_gradients=[Tensor(c.astype(dtype), _dtype_of(dtype))
                                                      for c in cot])
    return outs, grads


def _check(fn, arrays, order, eps, rtol, atol, rng, dtype, seen):
    outs0 = _value(fn, arrays, dtype)
    cot = [rng.standard_normal(o.shape) for o in outs0]
    _, grads = _vjp(fn, arrays, cot, dtype, seen)
    for i, a in enumerate(arrays):
        u = rng.standard_normal(a.shape)
        g = grads[i]
        tape_dir = 0.0 if g is None else float(np.sum(np.asarray(convert_to_tensor(g)._value,
                                                                  np.float64) * u))
        plus = [x.copy() for x in arrays]
        minus = [x.copy() for x in arrays]
        plus[i] = (a + eps * u).astype(dtype)
        minus[i] = (a - eps * u).astype(dtype)
        fp, fm = _value(fn, plus, dtype), _value(fn, minus, dtype)
        num_dir = sum(float(np.sum((p - m) / (2 * eps) * c)) for p, m, c in zip(fp, fm, cot))
        if not np.isclose(tape_dir, num_dir, rtol=rtol, atol=atol * max(1.0, abs(num_dir))):
            raise GradientCheckError(
                f"order-{order} gradient of input {i} (shape {a.shape}) disagrees with central "
                f"differences: tape {tape_dir!r} vs numeric {num_dir!r}")
    if order > 1:
        ws = [rng.standard_normal(a.shape) for a in arrays]

        def vjp_dot(*xs):
            with GradientTape() as tape:
                tape.watch(list(xs))
                outs = _flat_outputs(fn(*xs))
            gs = tape.gradient(outs, list(xs), output_gradients=[
                Tensor(c.astype(dtype), _dtype_of(dtype)) for c in cot])
            total = None
            for g, w in zip(gs, ws):
                if g is None:
                    continue
                term = _dot(convert_to_tensor(g), Tensor(w.astype(dtype), _dtype_of(dtype)))
                total = term if total is None else total + term
            return total if total is not None else Tensor(np.zeros((), dtype), _dtype_of(dtype))
        _check(vjp_dot, arrays, order - 1, eps, rtol, atol, rng, dtype, seen)


def _dot(a, b):
    from ..ops.reduction_ops import reduce_sum
    return reduce_sum(a * b)
