"""Forward-mode autodiff: ``tf.autodiff.ForwardAccumulator``.

Jacobian-vector products come from the reverse-mode machinery by the double-VJP trick. The
accumulator keeps a persistent tape of what runs in its context. For a target ``y`` and a
cotangent ``u`` shaped like ``y``, the VJP ``g(u) = u . dy/dx`` is linear in ``u``, so
``<g(u), v> = u . (dy/dx v)`` and its gradient with respect to ``u`` is the JVP ``dy/dx v``.
Both passes are ordinary recorded ops, so any outer tape (or outer accumulator) differentiates
the result again: forward-over-back Hessian-vector products, back-over-forward, nesting.
"""
import numpy as np

from . import nest
from .registry import REGISTRY
from .tape import GradientTape, UnconnectedGradients
from .tensor import IndexedSlices, Tensor, convert_to_tensor


def _is_leaf_source(x):
    return isinstance(x, Tensor) or getattr(x, "_is_variable", False)


def _skeleton(s):
    """The nesting of a structure with the leaves blanked out (lists and tuples alike)."""
    if isinstance(s, dict):
        return {k: _skeleton(s[k]) for k in sorted(s)}
    if isinstance(s, (list, tuple)):
        return [_skeleton(v) for v in s]
    return None


class ForwardAccumulator:
    """Computes Jacobian-vector products of what runs inside its context with respect to
    ``primals``, along ``tangents`` (same structure; each tangent takes its primal's dtype)."""

    def __init__(self, primals, tangents):
        if _skeleton(primals) != _skeleton(tangents):
            raise ValueError("The two structures don't have the same nested structure.")
        self._primals = nest.flatten(primals)
        for p in self._primals:
            if not _is_leaf_source(p):  # TF fails reading the dtype; say what is expected
                raise AttributeError(f"'{type(p).__name__}' object has no attribute 'dtype': "
                                     f"primals must be Tensors or Variables")
        self._tangents = [convert_to_tensor(t, dtype=p.dtype)
                          for p, t in zip(self._primals, nest.flatten(tangents))]
        self._tape = GradientTape(persistent=True, watch_accessed_variables=False)
        self._tape._watch_now([p for p in self._primals if p.dtype.differentiable])

    def __enter__(self):
        self._tape.__enter__()
        return self

    def __exit__(self, typ, value, tb):
        return self._tape.__exit__(typ, value, tb)

    def jvp(self, primals, unconnected_gradients=UnconnectedGradients.NONE):
        """The JVP of each tensor in ``primals`` (any structure): None where it does not depend
        on the accumulator's primals through ops run in its context (or zeros with
        ``unconnected_gradients="zero"``)."""
        mode = UnconnectedGradients(unconnected_gradients)
        out = []
        for target in nest.flatten(primals):
            result = self._push_forward(target) if target.dtype.differentiable else None
            if result is None and mode is UnconnectedGradients.ZERO:
                result = Tensor(np.zeros(target.shape, target.dtype._np), target.dtype)
            out.append(result)
        return nest.pack_sequence_as(primals, out)

    def _push_forward(self, target):
        dtype = target.dtype
        u = Tensor(np.zeros(tuple(target.shape), dtype._np), dtype)
        with GradientTape() as probe:
            probe.watch(u)
            if self._tape._active:  # the accumulator needs no record of its own JVP work
                with self._tape.stop_recording():
                    vjps = self._tape.gradient(target, self._primals, output_gradients=u)
            else:
                vjps = self._tape.gradient(target, self._primals, output_gradients=u)
            terms = []
            for g, tangent in zip(vjps, self._tangents):
                if g is None:
                    continue
                if isinstance(g, IndexedSlices):
                    g = convert_to_tensor(g)
                prod = REGISTRY["Mul"](g, tangent)
                terms.append(REGISTRY["Sum"](prod, axis=tuple(range(prod._value.ndim)),
                                             keepdims=False))
        if not terms:
            return None
        return probe.gradient(terms, u)  # summed over the terms, each cast to u's dtype
