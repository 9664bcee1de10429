"""tile, pad (CONSTANT / REFLECT / SYMMETRIC), reverse and roll, each with its gradient: ops
that copy elements into a new layout, so each gradient gathers them back."""
from .._core.backend import xp as np
from .._core.registry import defop
from .._core.tensor import Tensor, convert_to_tensor
from . import reduction_ops
from .array_ops import _fail, _ints, _reshape, _tensorlike


# -- tile, pad ----------------------------------------------------------------------------------

@defop("Tile", same_dtype=False)
def _tile(x, *, multiples):
    return np.tile(x, multiples)


@_tile.def_grad
def _tile_grad(op, grad):
    """Sum the copies: view the gradient as (m0, d0, m1, d1, ...) and sum the m axes."""
    shape = op.inputs[0]._value.shape
    if not shape:
        return grad
    split = []
    for m, d in zip(op.attrs["multiples"], shape):
        split += [m, d]
    g = _reshape(grad, shape=tuple(split))
    return reduction_ops._sum(g, axis=tuple(range(0, 2 * len(shape), 2)), keepdims=False)


def tile(input, multiples, name=None):
    """Repeats ``input`` ``multiples[i]`` times along each dimension i."""
    x = convert_to_tensor(input)
    m = _ints(multiples, "Tmultiples", _tile, [x])
    n = x._value.ndim
    if len(m) != n:
        raise _fail(_tile, [x], f"Expected multiples argument to be a vector of length {n} but "
                                f"got length {len(m)}")
    for i, k in enumerate(m):
        if k < 0:
            raise _fail(_tile, [x], f"Expected multiples[{i}] >= 0, but got {k}")
    return _tile(x, multiples=m)


@defop("PadV2")
def _pad(x, c, *, paddings):
    shape = tuple(d + a + b for d, (a, b) in zip(x.shape, paddings))
    out = np.full(shape, c, dtype=x.dtype)
    out[tuple(slice(a, a + d) for d, (a, _) in zip(x.shape, paddings))] = x
    return out


@_pad.def_grad
def _pad_grad(op, grad):
    """The input's part of the upstream gradient; the constant gets None (as TF)."""
    return _pad_crop(grad, paddings=op.attrs["paddings"]), None


@defop("PadGrad", same_dtype=False)
def _pad_crop(g, *, paddings):
    return g[tuple(slice(a, d - b) for d, (a, b) in zip(g.shape, paddings))]


@_pad_crop.def_grad
def _pad_crop_grad(op, grad):
    return _pad(grad, _zero(grad._dtype), paddings=op.attrs["paddings"])


@defop("MirrorPad", same_dtype=False)
def _mirror_pad(x, *, paddings, mode):
    off = 1 if mode == "REFLECT" else 0  # REFLECT skips the edge entry, SYMMETRIC repeats it
    for ax, (a, b) in enumerate(paddings):
        if a or b:  # one gather per padded axis (several times faster than np.pad)
            n = x.shape[ax]
            idx = np.concatenate((np.arange(a - 1 + off, off - 1, -1), np.arange(n),
                                  np.arange(n - 1 - off, n - 1 - off - b, -1)))
            x = np.take(x, idx, axis=ax)
    return x


@_mirror_pad.def_grad
def _mirror_pad_grad(op, grad):
    return _mirror_pad_fold(grad, paddings=op.attrs["paddings"], mode=op.attrs["mode"])


@defop("MirrorPadGrad", same_dtype=False)
def _mirror_pad_fold(g, *, paddings, mode):
    """Adds each mirrored border back onto the entries it copied (one axis at a time)."""
    off = 1 if mode == "REFLECT" else 0
    for ax, (a, b) in enumerate(paddings):
        if not a and not b:
            continue
        g = np.moveaxis(g, ax, 0)
        n = g.shape[0] - a - b
        core = g[a:a + n].copy()
        if a:
            core[off:off + a] += g[:a][::-1]
        if b:
            core[n - off - b:n - off] += g[a + n:][::-1]
        g = np.moveaxis(core, 0, ax)
    return g


@_mirror_pad_fold.def_grad
def _mirror_pad_fold_grad(op, grad):
    return _mirror_pad(grad, paddings=op.attrs["paddings"], mode=op.attrs["mode"])


def _zero(dtype):
    return Tensor(np.zeros((), dtype._np), dtype)


def pad(tensor, paddings, mode="CONSTANT", constant_values=0, name=None):
    """Pads with a constant, or mirrors the borders (``REFLECT``, ``SYMMETRIC``)."""
    x = convert_to_tensor(tensor)
    mode_u = str(mode).upper()
    if mode_u not in ("CONSTANT", "REFLECT", "SYMMETRIC"):
        raise ValueError(f'Value of argument `mode` expected to be one of "CONSTANT", '
                         f'"REFLECT", or "SYMMETRIC". Received `mode` = {mode}')
    opdef = _pad if mode_u == "CONSTANT" else _mirror_pad
    shape = x._value.shape
    n = len(shape)
    ok = False
    if paddings.__class__ in (list, tuple):  # the usual case, nested Python ints: no conversion
        try:
            p = tuple((a, b) for a, b in paddings)
            ok = len(p) == n > 0 and all(a.__class__ is int and b.__class__ is int for a, b in p)
        except (TypeError, ValueError):
            pass
    if not ok:
        flat = _ints(paddings, "Tpaddings", opdef, [x])
        rows = np.shape(getattr(paddings, "_value", paddings))
        if len(rows) != 2 or rows[1] != 2:  # [] for a scalar too: only a (0, 2) array fits
            raise _fail(opdef, [x], f"paddings must be a matrix with 2 columns: "
                                    f"[{','.join(map(str, rows))}]")
        if rows != (n, 2):
            raise _fail(opdef, [x], f"The first dimension of paddings must be the rank of inputs"
                                    f"[{','.join(map(str, rows))}] [{','.join(map(str, shape))}]")
        p = tuple(zip(flat[::2], flat[1::2]))
    for a, b in p:
        if a < 0 or b < 0:
            raise _fail(opdef, [x], f"Paddings must be non-negative: {a} {b}")
    if mode_u == "CONSTANT":
        if constant_values.__class__ in (int, float, bool) and constant_values == 0:
            c = _zero(x._dtype)  # also right for bool, where 0 would not convert
        else:
            c = (convert_to_tensor(constant_values) if _tensorlike(constant_values)
                 else convert_to_tensor(constant_values, dtype=x._dtype))
            if c._value.ndim:
                raise _fail(_pad, [x, c], f"constant_values must be a scalar. Shape of "
                                          f"constant_values: {list(c._value.shape)}")
        return _pad(x, c, paddings=p)
    for (a, b), d in zip(p, shape):
        if mode_u == "REFLECT" and (a >= d or b >= d):
            raise _fail(opdef, [x], f"paddings must be less than the dimension size: {a}, {b} "
                                    f"not less than {d}")
        if mode_u == "SYMMETRIC" and (a > d or b > d):
            raise _fail(opdef, [x], f"paddings must be no greater than the dimension size: "
                                    f"{a}, {b} greater than {d}")
    return _mirror_pad(x, paddings=p, mode=mode_u)


# -- reverse, roll ------------------------------------------------------------------------------

@defop("ReverseV2", same_dtype=False)
def _reverse(x, *, axis):
    return np.flip(x, axis) if axis else x


@_reverse.def_grad
def _reverse_grad(op, grad):
    return _reverse(grad, axis=op.attrs["axis"])


def reverse(tensor, axis, name=None):
    """Reverses the order of entries along each axis listed in ``axis``."""
    x = convert_to_tensor(tensor)
    n = x._value.ndim
    if np.ndim(getattr(axis, "_value", axis)) != 1:
        raise _fail(_reverse, [x], f"'dims' must be 1-dimension, not "
                                   f"{np.ndim(getattr(axis, '_value', axis))}")
    axes = []
    for i, a in enumerate(_ints(axis, "Tidx", _reverse, [x])):
        if not -n <= a < n:
            raise _fail(_reverse, [x], f"'axis'[{i}] = {a} is out of valid range [0, {n})")
        if a % n in axes:
            raise _fail(_reverse, [x], f"axis {a % n} specified more than once.")
        axes.append(a % n)
    return _reverse(x, axis=tuple(axes))


@defop("Roll", same_dtype=False)
def _roll(x, *, shift, axis):
    return np.roll(x, shift, axis)


@_roll.def_grad
def _roll_grad(op, grad):
    return _roll(grad, shift=tuple(-s for s in op.attrs["shift"]), axis=op.attrs["axis"])


def roll(input, shift, axis, name=None):
    """Rotates entries by ``shift`` along ``axis`` (shifts on a repeated axis add up)."""
    x = convert_to_tensor(input)
    n = x._value.ndim
    # TF compares the shapes, not just the counts: a scalar shift with a 1-element axis fails.
    shapes = [np.shape(getattr(v, "_value", v)) for v in (shift, axis)]
    shift = _ints(shift, "Tshift", _roll, [x])
    axes = _ints(axis, "Taxis", _roll, [x])
    if n == 0:
        raise _fail(_roll, [x], "input must be 1-D or higher")
    for what, shp in zip(("shift", "axis"), shapes):
        if len(shp) > 1:
            raise _fail(_roll, [x], f"{what} must be a scalar or a 1-D vector. Found: "
                                    f"[{','.join(map(str, shp))}]")
    if len(shift) != len(axes) or shapes[0] != shapes[1]:
        raise _fail(_roll, [x], "shift and axis must have the same size")
    for a in axes:
        if not -n <= a < n:
            raise _fail(_roll, [x], f"axis {a} is out of range")
    return _roll(x, shift=shift, axis=tuple(a % n for a in axes))
