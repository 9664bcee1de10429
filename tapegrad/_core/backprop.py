"""Reverse-mode accumulation over a tape's records.

The tape is a flat list in execution order, which is already topological: we prune it to the
ops on a path from the sources to the targets, then walk that list backwards once, with no
recursion and no sort. Gradients are Tensors (or IndexedSlices) built with tapegrad ops, so an
outer tape records this walk and higher derivatives work.

The engine owns broadcasting, dtype casts and shape checks: a rule returns one gradient per
input in whatever broadcast shape is natural, and ``_conform`` sums it back to the input's
shape, casts it to the input's dtype and checks it, naming the op when a rule got it wrong.

First-order fast path: when no tape records the walk (no higher derivative is being taken),
gradients travel as bare NumPy arrays, and ops whose rule has an
array twin (``OpDef.def_fast_grad``) run it directly, skipping the Tensor/op wrapping of the
recorded rule. Other rules still run on Tensors (wrapped and unwrapped around the call).
"""
import numpy as np

from . import dtypes as _dt
from .callsite import format_site
from .context import state
from .registry import _BY_NP, CHECK_NUMERICS, GRADIENTS, REGISTRY, numerics_module
from .tensor import IndexedSlices, Tensor, convert_to_tensor

_MISSING = object()
FAST_RULES = [True]  # switched off by tests that compare both paths


def prune(records, source_ids, target_ids):
    """The records on a path from a source to a target, in reverse execution order.

    As TF's tape, an op joins the path only through an input of a trainable dtype (float,
    complex, a variable): an op fed only integer/bool values that descend from a source is
    not on it (unique(cast(x, int32)) gives None, not LookupError)."""
    reached = set(source_ids)
    forward = []
    for e in records:
        for t in e.inputs:
            if t._id in reached and (t._dtype.differentiable or hasattr(t, "_is_variable")):
                break
        else:
            continue
        forward.append(e)
        for o in e.outputs:
            reached.add(o._id)
    needed = set(target_ids)
    path = []
    for e in reversed(forward):
        for o in e.outputs:
            if o._id in needed:
                break
        else:
            continue
        path.append(e)
        for t in e.inputs:
            needed.add(t._id)
    return path, reached


def imperative_grad(records, targets, seeds, source_ids, release=False, tracked=None,
                    rule_nones=None):
    """Gradients of sum(targets * seeds) for each source id (None where there is no path).

    ``tracked``: ids the tape watches or produced (other sources get None).
    ``records``: the tape's list (it is emptied as the walk goes when ``release`` is set, so a
    non-persistent tape frees each op's arrays once its gradient is done).
    ``rule_nones``: a list that receives (op type, site, input index, input id) wherever a rule
    returned None for an input on the path (what explain reports when the graph connects).
    """
    # Only what the tape tracks can be a source: an unwatched constant gets None, as in TF.
    starts = source_ids if tracked is None else [s for s in source_ids if s in tracked]
    path, reached = prune(records, starts, [t._id for t in targets])
    if release:
        records.clear()
    check = CHECK_NUMERICS[0]
    if check:
        release = False  # the NaN check looks downstream along the path
    sources = set(source_ids)
    grads = {}
    fast = FAST_RULES[0] and not any(t._recording for t in state.tapes) and all(
        type(s) is Tensor and s._dtype is t._dtype and s._value.shape == t._value.shape
        for t, s in zip(targets, seeds))  # odd output_gradients meet the rules' own checks
    # Integer/bool targets are seeded too, as in TF: the rules on their path decide (Cast and
    # ArgMax give None, an op without a gradient entry raises LookupError).
    for t, seed in zip(targets, seeds):
        if t._id in reached:
            _accumulate(grads, t._id, seed._value if fast and type(seed) is Tensor else seed,
                        fast)
    for i in range(len(path)):
        e = path[i]
        if release:
            path[i] = None
        outs = e.outputs
        if len(outs) == 1:
            oid = outs[0]._id
            g = grads.get(oid) if oid in sources else grads.pop(oid, None)
            if g is None:
                continue
            out_grads = (g,)
        else:
            out_grads = [grads.get(o._id) if o._id in sources else grads.pop(o._id, None)
                         for o in outs]
            if all(g is None for g in out_grads):
                continue
            # Rules of multi-output ops get zeros, not None, for outputs that did not flow.
            out_grads = [(_zeros_like(o)._value if fast else _zeros_like(o)) if g is None else g
                         for o, g in zip(outs, out_grads)]
        fn = GRADIENTS.get(e.opdef.type, _MISSING)
        if fn is None:
            continue
        if fn is _MISSING:
            raise LookupError(f"gradient registry has no entry for: {e.opdef.type} "
                              f"(the op at {format_site(e.site)} is on the path to the target)")
        e.reached = reached
        twin = fast and getattr(fn, "fast", None)
        if twin and IndexedSlices in map(type, out_grads):
            twin = None  # the recorded rule knows how each op treats sparse gradients
        if twin:
            in_grads = twin(e, *out_grads)
            if check:
                _check_backward(e, out_grads, in_grads, path)
        else:
            if fast:
                out_grads = [_as_tensor(g) for g in out_grads]
            in_grads = _checked_rule(fn, e, out_grads, path) if check else fn(e, *out_grads)
        e.reached = None
        inputs = e.inputs
        if type(in_grads) is not tuple and type(in_grads) is not list:
            in_grads = (in_grads,)
        if len(in_grads) != len(inputs):
            raise ValueError(f"The gradient of {e.opdef.type} (called at {format_site(e.site)}) "
                             f"returned {len(in_grads)} gradients for {len(inputs)} inputs")
        for k, (x, g) in enumerate(zip(inputs, in_grads)):
            if g is None:
                if rule_nones is not None and x._id in reached and x._dtype.differentiable:
                    rule_nones.append((e.opdef.type, e.site, k, x._id))
                continue
            if x._id not in reached or not x._dtype.differentiable:
                continue
            if twin:
                g = _conform_array(e, k, x, g)
            else:
                g = _conform(e, k, x, g)
                if fast and type(g) is Tensor:
                    g = g._value
            _accumulate(grads, x._id, g, fast)
    if fast:
        return [_as_tensor(grads.get(s)) for s in source_ids]
    return [grads.get(s) for s in source_ids]


def _as_tensor(g):
    """A gradient of the fast path (array, IndexedSlices or None) as the Tensor API shows it."""
    if g is None or type(g) is IndexedSlices:
        return g
    return Tensor(g, _BY_NP[g.dtype])


def _checked_rule(fn, e, out_grads, path):
    CHECK_NUMERICS[1] = True
    try:
        in_grads = fn(e, *out_grads)
    finally:
        CHECK_NUMERICS[1] = False
    _check_backward(e, out_grads, in_grads, path)
    return in_grads


def _check_backward(e, out_grads, in_grads, path):
    numerics_module().check_backward(e, out_grads, in_grads if isinstance(in_grads, (tuple, list))
                                else (in_grads,), path)


def _zeros_like(t):
    return Tensor(np.zeros(t._value.shape, t._dtype._np), t._dtype)


def _accumulate(grads, key, g, fast=False):
    old = grads.get(key)
    if old is None:
        grads[key] = g
    elif fast:
        if type(old) is not IndexedSlices and type(g) is not IndexedSlices:
            grads[key] = old + g
        else:
            s = add_gradients(_as_tensor(old), _as_tensor(g))
            grads[key] = s if type(s) is IndexedSlices else s._value
    elif type(old) is Tensor and type(g) is Tensor:
        grads[key] = REGISTRY["AddV2"](old, g)
    else:
        grads[key] = add_gradients(old, g)


def add_gradients(a, b):
    """Sum two gradients where either may be IndexedSlices (kept sparse only if both are)."""
    if isinstance(a, IndexedSlices) and isinstance(b, IndexedSlices):
        # ``b`` arrived later in the backward walk, so it comes from an earlier op: put it
        # first, which keeps TF's forward order of the indices (gather [0] then [1] -> [0, 1]).
        concat = REGISTRY["ConcatV2"]
        ia, ib = convert_to_tensor(a.indices), convert_to_tensor(b.indices)
        if ia._dtype is not ib._dtype:  # int32 with int64: widen both, as TF does
            ia, ib = (REGISTRY["Cast"](i, dtype=_dt.int64) for i in (ia, ib))
        return IndexedSlices(concat(b.values, a.values, axis=0), concat(ib, ia, axis=0),
                             a.dense_shape)
    a = convert_to_tensor(a) if isinstance(a, IndexedSlices) else a
    b = convert_to_tensor(b) if isinstance(b, IndexedSlices) else b
    return REGISTRY["AddV2"](a, b)


def _conform(e, k, x, g):
    """Bring rule output ``g`` for input ``k`` (tensor ``x``) to x's shape and dtype."""
    if type(g) is not Tensor:
        if isinstance(g, IndexedSlices):
            if g.values._dtype is not x._dtype:
                g = IndexedSlices(REGISTRY["Cast"](g.values, dtype=x._dtype), g.indices, g.dense_shape)
            return g
        g = convert_to_tensor(g, dtype_hint=x._dtype)
    if g._dtype is not x._dtype:
        if not g._dtype.differentiable and not x._dtype.is_bool:
            raise TypeError(f"The gradient of {e.opdef.type} (called at {format_site(e.site)}) "
                            f"for input {k} has dtype {g._dtype.name}; expected {x._dtype.name}")
        g = REGISTRY["Cast"](g, dtype=x._dtype)
    gshape = g._value.shape
    xshape = x._value.shape
    if gshape != xshape:
        g = unbroadcast(g, xshape, e, k)
    return g


def _sum_axes(gshape, shape, e, k):
    """The axes to sum a gradient of shape ``gshape`` over to reach ``shape``; None when it
    should pass through as is (smaller than the input but broadcastable to it, as TF allows)."""
    lead = len(gshape) - len(shape)
    if lead < 0 or any(gs == 1 and s != 1 for gs, s in zip(gshape[::-1], shape[::-1])):
        try:
            if np.broadcast_shapes(gshape, shape) == tuple(shape):
                return None
        except ValueError:
            pass
    ok = lead >= 0 and all(s == 1 or s == gs for s, gs in zip(shape, gshape[lead:]))
    if not ok:
        where = f"{e.opdef.type} (called at {format_site(e.site)})" if e is not None else "an op"
        raise ValueError(f"The gradient of {where} for input {k} has shape {list(gshape)}, "
                         f"which does not reduce to the input's shape {list(shape)}")
    return tuple(range(lead)) + tuple(
        lead + i for i, s in enumerate(shape) if s == 1 and gshape[lead + i] != 1)


def unbroadcast(g, shape, e=None, k=0):
    """Sum ``g`` over the axes that broadcasting added or stretched, to get ``shape``."""
    axes = _sum_axes(g._value.shape, shape, e, k)
    if axes is None:
        return g
    if axes:
        g = REGISTRY["Sum"](g, axis=axes, keepdims=False)
    if g._value.shape != shape:
        g = REGISTRY["Reshape"](g, shape=tuple(shape))
    return g


def _conform_array(e, k, x, g):
    """``_conform`` for the fast path: ``g`` is an array (or NumPy scalar) from an array rule."""
    xdt = x._dtype._np
    gdt = g.dtype
    if gdt is not xdt and gdt != xdt:
        g = np.real(g).astype(xdt) if gdt.kind == "c" and xdt.kind != "c" else g.astype(xdt)
    shape = x._value.shape
    if g.shape != shape:
        axes = _sum_axes(g.shape, shape, e, k)
        if axes is None:
            return g
        if axes:
            g = np.add.reduce(g, axis=axes, dtype=xdt)
        if g.shape != shape:
            g = g.reshape(shape)
    return g


def ones_like_target(t):
    return Tensor(np.ones(t._value.shape, t._dtype._np), t._dtype)


def zeros_for(source):
    return Tensor(np.zeros(source._value.shape, source._dtype._np), source._dtype)


def is_differentiable_dtype(dtype):
    return _dt.as_dtype(dtype).differentiable
