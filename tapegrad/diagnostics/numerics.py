"""Why NaN: check_numerics finds the op where a non-finite value first appears.

Forward: the first op whose inputs were all finite and whose output is not raises. Backward:
the first gradient rule that turned finite upstream gradients into non-finite ones raises,
naming the op and its forward line; when the upstream was zero exactly where the result is
non-finite and the op feeds a ``where``, that is the masked-branch trap (0 * inf in the branch
the where did not select), and the fix is the double where.
"""
import cmath
import math

import numpy as np

from .._core import registry
from .._core.callsite import format_site, site_text, user_site
from .._core.errors import InvalidArgumentError
from .._core.tensor import Tensor
from .explain import Explanation, _fix


def enable_check_numerics(stack_height_limit=30, path_length_limit=50):
    """Raise at the first op (forward or backward) that produces NaN or Inf from finite inputs."""
    registry.CHECK_NUMERICS[0] = True


def disable_check_numerics():
    registry.CHECK_NUMERICS[0] = False


def _finite(value):
    # This runs on every op output and gradient while checks are on, so it is one BLAS pass
    # with no temporary: a sum of squares is finite only when every element is (NaN and Inf
    # survive it); only when it is not (or squares overflow) is each element looked at.
    v = value if type(value) is np.ndarray else np.asarray(value)
    if v.dtype.kind not in "fc":
        return True
    if v.ndim == 0:
        return cmath.isfinite(v) if v.dtype.kind == "c" else math.isfinite(v)
    return math.isfinite(np.vdot(v, v).real) or bool(np.isfinite(v).all())


def _counts(v):
    v = np.asarray(v)
    return (f"# of +Inf elements: {int(np.sum(np.isposinf(v)))}, "
            f"# of -Inf elements: {int(np.sum(np.isneginf(v)))}, "
            f"# of NaN elements: {int(np.sum(np.isnan(v)))}")


def _sample(value, mask, limit=3):
    """Up to ``limit`` (index, value) pairs where ``mask`` holds, for the report."""
    v = np.asarray(value)
    if v.ndim == 0:
        return [((), v.item())] if bool(mask) else []
    idx = np.argwhere(np.broadcast_to(mask, v.shape))[:limit]
    return [(tuple(int(i) for i in ix), v[tuple(ix)].item()) for ix in idx]


def _fmt_sample(pairs):
    return ", ".join(f"[{','.join(map(str, ix))}]={val!r}" for ix, val in pairs)


def check_forward(opdef, inputs, outputs):
    """Called by the engine after an op when checks are on."""
    for k, out in enumerate(outputs):
        if _finite(out._value):
            continue
        if not all(_finite(t._value) for t in inputs):
            return  # propagated from an earlier non-finite value, not born here
        site = user_site(2)  # only now: the walk is not free, and finite outputs need no site
        bad = ~np.isfinite(np.asarray(out._value))
        samples = [f"input {i} {_fmt_sample(_sample(t._value, bad if np.shape(t._value) == bad.shape else np.ones(np.shape(t._value), bool)))}"
                   for i, t in enumerate(inputs) if np.asarray(t._value).dtype.kind in "fc"]
        exp = Explanation("nonfinite_forward", "non-finite value", op=opdef.type, site=site,
                          detail=f"{opdef.type} produced non-finite values from finite inputs "
                                 f"({_counts(out._value)}); at {'; '.join(samples)}",
                          fix=_fix("nonfinite_forward", "", op=opdef.type))
        _raise(f'!!! Detected Infinity or NaN in output {k} of eagerly-executing op '
               f'"{opdef.type}" (# of outputs: {len(outputs)}) !!!', out, exp)


def check_backward(e, out_grads, in_grads, path):
    """Called by the engine after a gradient rule when checks are on."""
    upstream_checked = False
    for k, g in enumerate(in_grads):
        if g is None:
            continue
        arr = _arr(g)
        if _finite(arr):
            continue
        # Upstream is looked at only now (most rules give finite results): a non-finite
        # upstream means the value was born further down the backward pass.
        if not upstream_checked:
            if not all(u is None or _finite(_arr(u)) for u in out_grads):
                return
            upstream_checked = True
        bad = ~np.isfinite(arr)
        up = _arr(out_grads[0])
        masked = False
        try:
            zero_up = np.broadcast_to(up == 0, np.broadcast_shapes(np.shape(up), bad.shape))
            masked = bool(np.any(np.broadcast_to(bad, zero_up.shape) & zero_up))
        except ValueError:
            pass
        where = _consuming_mask(e, path, bad) if masked else None
        x = e.inputs[k]
        xval = getattr(x, "_value", None)
        sample = _fmt_sample(_sample(xval, bad if np.shape(xval) == bad.shape else
                                     np.ones(np.shape(xval), bool))) if xval is not None else ""
        if where is not None:
            mask_op, kind = where
            how = (f"tf.where at {format_site(mask_op.site)} gave that element an upstream "
                   "gradient of 0 (the branch it did not select)" if kind == "where" else
                   f"the multiplication at {format_site(mask_op.site)} by a mask that is 0 "
                   "there gave that element an upstream gradient of 0")
            exp = Explanation(
                "masked_branch", "non-finite gradient", op=e.opdef.type, site=e.site,
                detail=f"the derivative of {e.opdef.type} is infinite at input {k} = {sample}; "
                       f"{how}, and 0 * inf = NaN",
                fix=_fix("masked_branch", "", op=e.opdef.type, fn=_fn_name(e.opdef.type)))
        else:
            exp = Explanation(
                "nonfinite_backward", "non-finite gradient", op=e.opdef.type, site=e.site,
                detail=f"the gradient rule of {e.opdef.type} turned finite upstream gradients "
                       f"into non-finite ones for input {k} ({_counts(arr)}) at {sample}",
                fix=_fix("nonfinite_backward", "", op=e.opdef.type))
        _raise(f'!!! Detected Infinity or NaN in the gradient of input {k} of op '
               f'"{e.opdef.type}" (called at {format_site(e.site)}) !!!', None, exp)


def _arr(g):
    v = g._value if type(g) is Tensor else getattr(g, "values", g)  # IndexedSlices: the values
    return np.asarray(getattr(v, "_value", v))


def _consuming_mask(e, path, bad):
    """The op that zeroed the upstream gradient of ``e``'s output: a where that did not select
    it, or a multiplication by a mask that is 0 where the derivative is infinite."""
    out_ids = {o._id for o in e.outputs}
    for other in path:
        if other is None:
            continue
        t = other.opdef.type
        if t == "SelectV2" and any(x._id in out_ids for x in other.inputs[1:]):
            return other, "where"
        if t == "Mul" and len(other.inputs) == 2:
            a, b = other.inputs
            mask = b if a._id in out_ids else a if b._id in out_ids else None
            if mask is not None and _zero_at(mask, bad):
                return other, "mask"
    return None


def _zero_at(mask, bad):
    m = getattr(mask, "_value", None)
    if m is None:
        return False
    try:
        shape = np.broadcast_shapes(np.shape(m), bad.shape)
        return bool(np.all(np.broadcast_to(np.asarray(m) == 0, shape)[np.broadcast_to(bad, shape)]))
    except ValueError:
        return False


_FN_NAMES = {"Sqrt": "tf.sqrt", "Log": "tf.math.log", "Pow": "tf.pow", "RealDiv": "tf.math.divide",
             "Rsqrt": "tf.math.rsqrt", "Acos": "tf.math.acos", "Asin": "tf.math.asin"}


def _fn_name(op_type):
    return _FN_NAMES.get(op_type, f"tf.{op_type.lower()}")


def _raise(head, out, exp):
    text = str(exp)
    lines = [head, text]
    if exp.site is not None and not site_text(exp.site):
        lines.append(f"  at {format_site(exp.site)}")
    err = InvalidArgumentError(None, None, "\n".join(lines))
    err.explanation = exp
    raise err
