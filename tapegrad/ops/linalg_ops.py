"""Matrix products and linear algebra: matmul, tensordot, einsum, norm, trace, diag_part, det,
inv, each primitive with its gradient.

MatMul is the MLP hot path: its forward is a plain ``a @ b`` and its gradient two matmuls whose
transposes are BLAS flags on views (no copies). Transpose attributes are plain transposes;
adjoints conjugate first, and rules conjugate the other operand (TF's complex convention).
"""
import string

from .._core import dtypes as _dt
from .._core.backend import xp as np
from .._core.errors import InvalidArgumentError, NotFoundError
from .._core.registry import defop, op_error, tf_type_name
from .._core.tensor import Tensor, convert_to_tensor
from . import array_ops
from .math_ops import _conj, _conj_np, conj, sqrt
from .reduction_ops import _max, _sum, normalize_axis

_F = (_dt.float16, _dt.float32, _dt.float64, _dt.complex64, _dt.complex128)
_MATMUL_OK = frozenset(id(d) for d in _F + (_dt.int32, _dt.int64))
_BATCH_OK = _MATMUL_OK | {id(_dt.int16)}
_NO_KERNEL = frozenset(id(d) for d in (_dt.uint8, _dt.uint16, _dt.uint32, _dt.uint64))
_FAST = frozenset(id(d) for d in (_dt.float32, _dt.float64))


def _as_tensor(v, like=None):
    if v.__class__ is Tensor:
        return v
    if like is not None and not getattr(v, "_is_variable", False):
        return convert_to_tensor(v, dtype_hint=like._dtype)
    return convert_to_tensor(v)


def _fail(opdef, inputs, msg, cls=InvalidArgumentError):
    """TF's exception for bad input, naming the op, the inputs and the user's line."""
    return op_error(opdef, inputs, cls(None, None, msg))


def _check_dtype(opdef, inputs, allowed, listing):
    """TF's two failures: a dtype outside the op's list (InvalidArgumentError), or one it lists
    but has no CPU kernel for (NotFoundError: unsigned matmuls; any other einsum dtype)."""
    dt = inputs[0]._dtype
    if id(dt) in allowed:
        return
    if opdef is _einsum or id(dt) in _NO_KERNEL:
        raise _fail(opdef, inputs, f"Could not find device for node: {opdef.type}[T=DT_"
                                   f"{dt.name.upper()}]: no CPU kernel for {tf_type_name(dt)}",
                    NotFoundError)
    raise _fail(opdef, inputs, f"Value for attr 'T' of {tf_type_name(dt)} is not in the list of "
                               f"allowed values: {listing}")


# -- matmul -------------------------------------------------------------------------------------

def _size_error(a, b, batched):
    shapes = f"In[0]: {list(a.shape)}, In[1]: {list(b.shape)}"
    if batched:
        try:
            np.broadcast_shapes(a.shape[:-2], b.shape[:-2])
        except ValueError:
            return InvalidArgumentError(None, None, f"In[0] and In[1] must have compatible batch "
                                                    f"dimensions: {list(a.shape)} vs. "
                                                    f"{list(b.shape)}")
    return InvalidArgumentError(None, None, f"Matrix size-incompatible: {shapes}")


@defop("MatMul")
def _matmul(a, b, transpose_a=False, transpose_b=False):
    try:
        return (a.T if transpose_a else a) @ (b.T if transpose_b else b)
    except ValueError:
        raise _size_error(a, b, False) from None


@defop("BatchMatMulV2")
def _batch_matmul(a, b, transpose_a=False, transpose_b=False):
    try:
        return np.matmul(np.swapaxes(a, -1, -2) if transpose_a else a,
                         np.swapaxes(b, -1, -2) if transpose_b else b)
    except ValueError:
        raise _size_error(a, b, True) from None


def _matmul_grad(op, grad):
    """C = op(A) op(B): each input's gradient is one matmul of the upstream gradient with the
    other (conjugated) input, transposes picked so no array is copied. Batch dims that were
    broadcast are summed back by the engine."""
    a, b = op.inputs
    mm = _matmul if op.opdef is _matmul else _batch_matmul
    return _matmul_pair(op, grad, mm, _conj, a, b)


def _matmul_grad_np(op, grad):
    """The array twin: the same products with the forward function on bare arrays."""
    a, b = op.inputs
    return _matmul_pair(op, grad, op.opdef.forward, _conj_np, a._value, b._value)


def _matmul_pair(op, grad, mm, conj_, a, b):
    ta = op.attrs.get("transpose_a", False)
    tb = op.attrs.get("transpose_b", False)
    ga = gb = None
    if op.needs(0):
        b = conj_(b)
        ga = mm(b, grad, transpose_a=tb, transpose_b=True) if ta else \
            mm(grad, b, transpose_b=not tb)
    if op.needs(1):
        a = conj_(a)
        gb = mm(grad, a, transpose_a=True, transpose_b=ta) if tb else \
            mm(a, grad, transpose_a=not ta)
    return ga, gb


_matmul.def_grad(_matmul_grad)
_batch_matmul.def_grad(_matmul_grad)
_matmul.def_fast_grad(_matmul_grad_np)  # shared with BatchMatMulV2, as the recorded rule is


def matmul(a, b, transpose_a=False, transpose_b=False, adjoint_a=False, adjoint_b=False,
           a_is_sparse=False, b_is_sparse=False, output_type=None, grad_a=False, grad_b=False,
           name=None):
    """Matrix product of the last two dims, batch dims broadcast (``@`` on tensors)."""
    if a.__class__ is not Tensor:
        a = _as_tensor(a)
    if b.__class__ is not Tensor:
        b = _as_tensor(b, a)
    va = a._value
    vb = b._value
    if (va.ndim == 2 and vb.ndim == 2 and id(a._dtype) in _FAST and not adjoint_a
            and not adjoint_b and output_type is None):
        if transpose_a or transpose_b:
            return _matmul(a, b, transpose_a=bool(transpose_a), transpose_b=bool(transpose_b))
        return _matmul(a, b)
    return _matmul_general(a, b, transpose_a, transpose_b, adjoint_a, adjoint_b, output_type)


def _matmul_general(a, b, transpose_a, transpose_b, adjoint_a, adjoint_b, output_type):
    for t, adj, which in ((transpose_a, adjoint_a, "a"), (transpose_b, adjoint_b, "b")):
        if t and adj:
            raise ValueError(f"Only one of `transpose_{which}` and `adjoint_{which}` can be True. "
                             f"Received `transpose_{which}`=True, `adjoint_{which}`=True.")
    batched = a._value.ndim > 2 or b._value.ndim > 2  # TF's choice of kernel
    opdef = _batch_matmul if batched else _matmul
    if a._dtype is b._dtype:
        _check_dtype(opdef, [a, b], _BATCH_OK if batched else _MATMUL_OK,
                     "bfloat16, half, float, double, " + ("int16, " if batched else "")
                     + "int32, int64, uint8, uint16, uint32, uint64, complex64, complex128")
    if output_type is not None and _dt.as_dtype(output_type) is not a._dtype:
        raise _fail(opdef, [a, b], f"Could not find device for node: BatchMatMulV3 with "
                                   f"Ta={a._dtype.name}, Tout={_dt.as_dtype(output_type).name} "
                                   f"[Op:BatchMatMulV3]", NotFoundError)
    for i, t in enumerate((a, b)):
        if t._value.ndim < 2:
            got = f": {t._value.ndim}" if batched else ""
            raise _fail(opdef, [a, b], f"In[{i}] ndims must be >= 2{got}")
    if a._dtype.is_complex:
        a = conj(a) if adjoint_a else a
        b = conj(b) if adjoint_b else b
    ta = bool(transpose_a or adjoint_a)
    tb = bool(transpose_b or adjoint_b)
    return opdef(a, b, transpose_a=ta, transpose_b=tb)


def _mm(a, b, adjoint_a=False, adjoint_b=False):
    """Internal matmul for rules: adjoints, any rank >= 2."""
    return _matmul_general(a, b, False, False, adjoint_a, adjoint_b, None)


# -- einsum (and tensordot on top of it) --------------------------------------------------------

_LETTERS = string.ascii_lowercase + string.ascii_uppercase
_PARSED = {}    # (equation, ranks) -> (explicit equation, input subscripts, output, ellipsis letters)
_SPLIT = {}     # explicit equation -> (input subscripts, output)
_OPTIMIZE_AT = 32768  # iteration-space size above which np.einsum's BLAS path pays off


def _parse(equation, ranks):
    key = (equation, ranks)
    hit = _PARSED.get(key)
    if hit is not None:
        return hit
    eq = equation.replace(" ", "")
    if "->" in eq:
        lhs, out = eq.split("->", 1)
    else:
        lhs, out = eq, None
    ins = lhs.split(",")
    if len(ins) != len(ranks):
        raise ValueError(f'Got {len(ranks)} inputs for equation "{equation}", expecting '
                         f'{len(ins)}')
    if out is None:  # implicit mode: letters seen once, sorted; TF adds no ellipsis
        flat = lhs.replace(",", "").replace("...", "")
        out = "".join(sorted(c for c in set(flat) if flat.count(c) == 1))
    used = set(lhs + out) - set(".,")
    for c in used:
        if c not in _LETTERS:
            raise ValueError(f"Invalid character '{c}' in einsum equation \"{equation}\"")
    fresh = [c for c in _LETTERS if c not in used]
    n_ell = [r - len(s.replace("...", "")) if "..." in s else 0 for s, r in zip(ins, ranks)]
    n_broadcast = max(n_ell, default=0)
    ell = "".join(fresh[:n_broadcast])
    explicit = []
    for i, (s, r) in enumerate(zip(ins, ranks)):
        if "..." in s:
            if n_ell[i] < 0:
                raise InvalidArgumentError(None, None, f"Input {i} of einsum has rank {r}, fewer "
                                                       f"than the {len(s) - 3} labels of '{s}'")
            s = s.replace("...", ell[n_broadcast - n_ell[i]:])
        elif len(s) != r:
            raise InvalidArgumentError(None, None, f"Input {i} of einsum has rank {r} but its "
                                                   f"subscripts '{s}' have {len(s)} labels")
        explicit.append(s)
    if "..." in out:
        out = out.replace("...", ell)
    elif n_broadcast:
        raise InvalidArgumentError(None, None, f"Output contains {n_broadcast} broadcasting "
                                               f"dimension(s) but no ellipsis (...) was found in "
                                               f"the output subscripts.")
    for c in out:
        if c not in "".join(explicit):
            raise ValueError(f"Output subscripts contain the label {c} not present in the input "
                             f"subscripts.")
        if out.count(c) > 1:
            raise ValueError(f"Output subscripts contain the label {c} more than once.")
    full = ",".join(explicit) + "->" + out
    hit = _PARSED[key] = (full, explicit, out, set(ell))
    _SPLIT[full] = (explicit, out)
    return hit


def _letter_sizes(subs, shapes, loose):
    """Each letter's size; a mismatch is an error except 1-vs-n on ellipsis letters."""
    sizes = {}
    for i, (s, shape) in enumerate(zip(subs, shapes)):
        for axis, (c, d) in enumerate(zip(s, shape)):
            have = sizes.get(c)
            if have is None or have == d:
                sizes[c] = d
            elif c in loose and (have == 1 or d == 1):
                sizes[c] = max(have, d)
            else:
                raise InvalidArgumentError(None, None, f"Expected dimension {have} at axis "
                                                       f"{axis} of the input shaped {list(shape)} "
                                                       f"but got dimension {d}")
    return sizes


def _optimize(n_operands, sizes):
    if n_operands < 2:
        return False
    space = 1
    for d in sizes.values():
        space *= d
    return "greedy" if space > _OPTIMIZE_AT else False


@defop("Einsum")
def _einsum(*operands, equation, optimize=False):
    return np.einsum(equation, *operands, optimize=optimize)


@_einsum.def_grad
def _einsum_grad(op, grad):
    """Operand i's gradient is the einsum of the upstream gradient with the other (conjugated)
    operands, written to operand i's subscripts. Labels only operand i has are restored with a
    ones vector, repeated labels (a diagonal) with an identity matrix."""
    subs, out = _SPLIT[op.attrs["equation"]]
    xs = op.inputs
    dt = grad._dtype
    spare = [c for c in _LETTERS if c not in set("".join(subs) + out)]
    grads = []
    for i, x in enumerate(xs):
        if not op.needs(i):
            grads.append(None)
            continue
        args = [grad] + [_conj(xs[j]) for j in range(len(xs)) if j != i]
        arg_subs = [out] + [subs[j] for j in range(len(xs)) if j != i]
        have = set("".join(arg_subs))
        target = ""
        k = 0
        for c, d in zip(subs[i], x._value.shape):
            if c in target:  # a repeated label: a fresh one, tied to c by an identity
                args.append(Tensor(np.eye(d, dtype=dt._np), dt))
                arg_subs.append(c + spare[k])
                c = spare[k]
                k += 1
            elif c not in have:
                args.append(Tensor(np.ones(d, dt._np), dt))
                arg_subs.append(c)
                have.add(c)
            target += c
        eq = ",".join(arg_subs) + "->" + target
        _SPLIT.setdefault(eq, (arg_subs, target))
        sizes = _letter_sizes(arg_subs, [a._value.shape for a in args], set(_LETTERS))
        grads.append(_einsum(*args, equation=eq, optimize=_optimize(len(args), sizes)))
    return grads


_EINSUM_OK = frozenset(id(d) for d in _F + (_dt.int32, _dt.int64))


def einsum(equation, *inputs, **kwargs):
    """Einstein summation over 1 or more operands, with '...' broadcasting."""
    bad = set(kwargs) - {"name", "optimize"}
    if bad:
        raise TypeError(f"Invalid keyword argument(s): {sorted(bad)}")
    if len(inputs) == 1 and isinstance(inputs[0], (list, tuple)):
        inputs = tuple(inputs[0])
    xs = [_as_tensor(x) for x in inputs]
    try:
        full, subs, out, ell = _parse(equation, tuple(x._value.ndim for x in xs))
        sizes = _letter_sizes(subs, [x._value.shape for x in xs], ell)
    except InvalidArgumentError as e:
        raise op_error(_einsum, xs, e) from None
    if xs and all(x._dtype is xs[0]._dtype for x in xs):
        _check_dtype(_einsum, xs, _EINSUM_OK, "")
    return _einsum(*xs, equation=full, optimize=_optimize(len(xs), sizes))


def tensordot(a, b, axes, name=None):
    """Sums the products of ``a`` and ``b`` over the given axes (an int N: a's last N with b's
    first N; or a pair of axis lists)."""
    a = _as_tensor(a)
    b = _as_tensor(b, a)
    ra, rb = a._value.ndim, b._value.ndim
    if isinstance(axes, Tensor):
        axes = axes._value.tolist()
    if isinstance(axes, (int, np.integer)):
        n = int(axes)
        if n < 0:
            raise ValueError(f"`axes` must be at least 0. Received: {n}.")
        if n > ra or n > rb:
            raise ValueError(f"`axes` must not be larger than the number of dimensions of "
                             f"tensor {(a if n > ra else b)._value}.  Received {n}, vs tensor dimensions "
                             f"{ra if n > ra else rb}.")
        a_axes, b_axes = list(range(ra - n, ra)), list(range(n))
    else:
        axes = list(axes)
        if len(axes) != 2:
            raise ValueError(f"`axes` must be an integer or have length 2. Received {axes}.")
        a_axes, b_axes = ([int(v) for v in np.asarray(getattr(s, "_value", s)).reshape(-1)]
                          for s in axes)
        if len(a_axes) != len(b_axes):
            raise ValueError(f"Different number of contraction axes `a` and `b`, "
                             f"{len(a_axes)} != {len(b_axes)}.")
    a_axes = [v % ra if ra else v for v in a_axes]
    b_axes = [v % rb if rb else v for v in b_axes]
    if a._dtype is b._dtype:
        _check_dtype(_matmul, [a, b], _MATMUL_OK, "bfloat16, half, float, double, int32, int64, "
                                               "uint8, uint16, uint32, uint64, complex64, "
                                               "complex128")
    la = list(_LETTERS[:ra])
    lb = list(_LETTERS[ra:ra + rb])
    for i, j in zip(a_axes, b_axes):
        if a._value.shape[i] != b._value.shape[j]:
            raise _fail(_einsum, [a, b], f"Matrix size-incompatible: tensordot contracts axis {i} "
                                         f"of a {list(a.shape)} with axis {j} of b "
                                         f"{list(b.shape)}")
        lb[j] = la[i]
    out = [c for k, c in enumerate(la) if k not in a_axes] + \
          [c for k, c in enumerate(lb) if k not in b_axes]
    return einsum("".join(la) + "," + "".join(lb) + "->" + "".join(out), a, b)


# -- transpose, norm ----------------------------------------------------------------------------

def matrix_transpose(a, name="matrix_transpose", conjugate=False):
    """Swaps the last two dims (conjugating complex values when ``conjugate``)."""
    x = _as_tensor(a)
    n = x._value.ndim
    if n < 2:
        raise ValueError(f"Argument `a` should be a (batch) matrix with rank >= 2.  Received "
                         f"`a` = {x._value} with shape: {tuple(x._value.shape)}")
    return array_ops.transpose(x, list(range(n - 2)) + [n - 1, n - 2], conjugate=conjugate)


_INF = float("inf")


def _is_ord(ord, value):
    return not isinstance(ord, str) and ord == value


@defop("MatrixSpectralNorm", dtypes=_dt.FLOATS)
def _spectral_norm(x):
    """Largest singular value of each matrix in the last two dims."""
    y = np.linalg.norm(x.astype(np.float32) if x.dtype == np.float16 else x, 2, axis=(-2, -1))
    return np.asarray(y).astype(x.dtype)


@_spectral_norm.def_grad
def _spectral_norm_grad(op, grad):
    """u1 v1^T, the top singular pair's outer product (first order only: its own gradient
    would need the whole SVD's, so differentiating it again raises LookupError)."""
    return _kept_matrix(grad) * _top_singular_outer(op.inputs[0])


@defop("MatrixSpectralNormGrad", dtypes=_dt.FLOATS, differentiable="lookup_error")
def _top_singular_outer(x):
    u, _, vh = np.linalg.svd(x.astype(np.float32) if x.dtype == np.float16 else x)
    return (u[..., :, :1] * vh[..., :1, :]).astype(x.dtype)


def _kept_matrix(t):
    return array_ops.reshape(t, tuple(t._value.shape) + (1, 1))


def norm(tensor, ord="euclidean", axis=None, keepdims=None, name=None):  # noqa: A002
    """Vector p-norm (ord 'euclidean'/2, 1, inf or any p > 0) or matrix norm (axis a pair; ord
    'fro'/'euclidean', 1, 2, inf)."""
    from .unary_ops import abs as _abs
    x = _as_tensor(tensor)
    nd = x._value.ndim
    if isinstance(axis, Tensor):
        axis = axis._value.tolist()
    is_matrix = isinstance(axis, (tuple, list)) and len(axis) == 2 and axis[0] != axis[1]
    if not (axis is None or isinstance(axis, (int, np.integer)) or is_matrix):
        raise ValueError(f"'axis' must be None, an integer, or a tuple of 2 unique integers, "
                         f"got {axis}")
    if is_matrix:
        if not (ord in ("euclidean", "fro") or any(_is_ord(ord, v) for v in (1, 2, _INF))):
            raise ValueError(f"'ord' must be a supported matrix norm in ['euclidean', 'fro', 1, "
                             f"2, inf], got {ord}")
        rows, cols = (int(v) for v in axis)
        axes = _norm_axes([rows, cols], x)
        rows, cols = rows % nd, cols % nd
    else:
        if not (ord == "euclidean" or (not isinstance(ord, (str, bool)) and
                                        isinstance(ord, (int, float, np.number)) and ord > 0)):
            raise ValueError(f"'ord' must be a supported vector norm, got {ord}")
        axes = _norm_axes(axis, x)
    if ord in ("euclidean", "fro") or (not is_matrix and _is_ord(ord, 2)):
        if x._dtype.is_bool:  # TF's conj(x) rejects bool in Python, before any kernel
            raise TypeError("Expected numeric or variant tensor, got dtype tf.bool.")
        y = sqrt(_sum(x * _conj(x), axis=axes, keepdims=True))
    elif is_matrix and _is_ord(ord, 2):
        perm = [i for i in range(nd) if i not in axes] + [rows, cols]
        y = _spectral_norm(array_ops.transpose(x, perm))
        y = array_ops.reshape(y, _kept_shape_of(x, axes))
    elif is_matrix:  # 1: max column sum; inf: max row sum
        first, second = (rows, cols) if _is_ord(ord, 1) else (cols, rows)
        y = _max(_sum(_abs(x), axis=(first,), keepdims=True), axis=(second,), keepdims=True)
    elif _is_ord(ord, 1):
        y = _sum(_abs(x), axis=axes, keepdims=True)
    elif _is_ord(ord, _INF):
        y = _max(_abs(x), axis=axes, keepdims=True)
    else:
        y = _sum(_abs(x) ** ord, axis=axes, keepdims=True) ** (1.0 / ord)
    if not keepdims:
        y = array_ops.reshape(y, [d for i, d in enumerate(x._value.shape) if i not in axes])
    return y


def _norm_axes(axis, x):
    try:
        return normalize_axis(axis, x._value.ndim)
    except InvalidArgumentError as e:
        raise op_error(_sum, [x], e) from None


def _kept_shape_of(x, axes):
    return [1 if i in axes else d for i, d in enumerate(x._value.shape)]


# -- diagonals and trace ------------------------------------------------------------------------

def _need_matrix(opdef, x, what="input must be at least 2-dim, received shape: "):
    if x._value.ndim < 2:
        raise _fail(opdef, [x], f"{what}{list(x._value.shape)}")


@defop("MatrixDiagPartV3", same_dtype=False)
def _diag_part(x, *, k):
    return np.diagonal(x, k, -2, -1)


@_diag_part.def_grad
def _diag_part_grad(op, grad):
    rows, cols = op.inputs[0]._value.shape[-2:]
    return _diag_embed(grad, k=op.attrs["k"], rows=rows, cols=cols)


@defop("MatrixDiagV3", same_dtype=False)
def _diag_embed(d, *, k, rows, cols):
    """Matrices of zeros with ``d`` on diagonal ``k`` (the adjoint of diag_part)."""
    out = np.zeros(d.shape[:-1] + (rows, cols), d.dtype)
    i = np.arange(d.shape[-1])
    out[..., i + max(-k, 0), i + max(k, 0)] = d
    return out


@_diag_embed.def_grad
def _diag_embed_grad(op, grad):
    return _diag_part(grad, k=op.attrs["k"])


def diag_part(input, name="diag_part", k=0, padding_value=0, align="RIGHT_LEFT"):  # noqa: A002
    """Diagonal ``k`` (0: main, > 0 above, < 0 below) of each matrix in the last two dims."""
    x = _as_tensor(input)
    _need_matrix(_diag_part, x)
    if isinstance(k, Tensor):
        k = k._value.tolist()
    if isinstance(k, (list, tuple)):
        if len(k) == 2 and k[0] != k[1]:
            raise NotImplementedError("diag_part with a band of diagonals (k=(lo, hi), lo < hi) "
                                      "is not supported by tapegrad yet")
        k = k[0]
    k = int(k)
    rows, cols = x._value.shape[-2:]
    if not -rows <= k <= cols:
        raise _fail(_diag_part, [x], f"lower_diag_index is out of bound: {k}. It must be between "
                                     f"{-rows} and {cols}")
    return _diag_part(x, k=k)


def trace(x, name=None):
    """Sum of the main diagonal of each matrix in the last two dims."""
    x = _as_tensor(x)
    _need_matrix(_diag_part, x)
    d = _diag_part(x, k=0)
    return _sum(d, axis=(d._value.ndim - 1,), keepdims=False)


# -- determinant and inverse --------------------------------------------------------------------

def _square(opdef, x):
    _need_matrix(opdef, x, "Input tensor 0 must have rank >= 2, got shape ")
    r, c = x._value.shape[-2:]
    if r != c:
        raise _fail(opdef, [x], "Input matrix must be square.")


@defop("MatrixDeterminant", dtypes=_dt.INEXACT - {_dt.float16})
def _det(x):
    return np.asarray(np.linalg.det(x)).astype(x.dtype, copy=False)


@_det.def_grad
def _det_grad(op, grad):
    """d det(A) = det(A) * inv(A)^T; raises where A is singular. For complex A this is TF's
    formula as TF computes it: det(A) * inv(A)^H, with det(A) left unconjugated."""
    return _kept_matrix(grad * op.outputs[0]) * inv(op.inputs[0], adjoint=True)


def det(input, name=None):  # noqa: A002
    """Determinant of each square matrix in the last two dims."""
    x = _as_tensor(input)
    if x._dtype is _dt.float16:
        raise _fail(_det, [x], "Could not find device for node: MatrixDeterminant[T=DT_HALF]: "
                               "no CPU kernel for half", NotFoundError)
    _square(_det, x)
    return _det(x)


@defop("MatrixInverse", dtypes=_dt.INEXACT)
def _inv(x, *, adjoint):
    if adjoint:
        x = np.conj(np.swapaxes(x, -1, -2))
    a = x.astype(np.float32) if x.dtype == np.float16 else x
    try:
        return np.linalg.inv(a).astype(x.dtype, copy=False)
    except np.linalg.LinAlgError:
        raise InvalidArgumentError(None, None, "Input is not invertible.") from None


@_inv.def_grad
def _inv_grad(op, grad):
    """Y = A^-1: dA = -Y^H G Y^H; for the adjoint Y = A^-H: dA = -Y G^H Y."""
    y = op.outputs[0]
    if op.attrs["adjoint"]:
        return -_mm(y, _mm(grad, y, adjoint_a=True))
    return -_mm(y, _mm(grad, y, adjoint_b=True), adjoint_a=True)


def inv(input, adjoint=False, name=None):  # noqa: A002
    """Inverse of each square matrix (of its adjoint when ``adjoint``)."""
    x = _as_tensor(input)
    _square(_inv, x)
    return _inv(x, adjoint=bool(adjoint))
