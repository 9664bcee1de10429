"""The op parity table: for every public op, how to call it and on which inputs.

Read by ``tools/tf_fixtures/generate.py`` (run under TensorFlow, writes
``tests/fixtures/tf_ops.json``) and by ``tests/test_tf_parity_ops.py`` (runs the same calls on
tapegrad). Calls are written against a ``tf`` parameter: ``lambda tf, x, y: tf.math.add(x, y)``.

Each entry expands into one case per dtype in ``dtypes`` (the ``R`` arguments take that dtype)
plus any explicit ``cases``. For a case, every input is ``tf.constant(array)``; the float and
complex inputs are watched, and the target is the sum over outputs of
``reduce_sum(output * weights)`` (weights fixed per case), with integer/bool outputs passed as
raw targets (they carry no gradient). Forward values, dtypes and shapes and the gradient with
respect to each watched input are recorded.
"""
import dataclasses
import zlib
from typing import Callable, Optional, Sequence

import numpy as np

F = ("float32", "float64")
FI = F + ("int32",)
F32 = ("float32",)
BOOL = ("bool",)
NAN, INF = float("nan"), float("inf")


@dataclasses.dataclass
class R:
    """A random input of the case's dtype: uniform in [lo, hi], 3 decimals, distinct values,
    at least ``away`` from zero. Integer cases draw integers from ``ints``."""
    shape: tuple
    lo: float = -2.0
    hi: float = 2.0
    away: float = 0.05
    ints: tuple = (-5, 5)


@dataclasses.dataclass
class K:
    """Fixed values; ``dtype`` None takes the case's dtype."""
    values: object
    dtype: Optional[str] = None


@dataclasses.dataclass
class Entry:
    name: str                 # public name as called, e.g. "math.add" or "gather"
    fn: Callable
    args: Sequence
    dtypes: Sequence
    tag: str = ""
    cases: Sequence = ()      # extra (label, args) pairs, float32 unless K says otherwise
    rtol: Optional[float] = None
    atol: Optional[float] = None

    @property
    def key(self):
        return self.name + (":" + self.tag if self.tag else "")


TABLE = []


def op(name, fn, *args, dtypes=F, tag="", cases=(), rtol=None, atol=None):
    TABLE.append(Entry(name, fn, args, dtypes, tag, cases, rtol, atol))


# -- materialising inputs (generator only; the test reads them back from the fixture) ----------

def _draw(spec, dtype, rng):
    if isinstance(spec, K):
        return np.array(spec.values, dtype=spec.dtype or dtype)
    shape = spec.shape
    if dtype == "bool":
        return rng.integers(0, 2, shape).astype(bool)
    if np.dtype(dtype).kind in "iu":
        lo, hi = spec.ints
        a = rng.integers(lo, hi + 1, shape)
        if spec.away > 0:
            a = np.where(a == 0, hi, a)
        return a.astype(dtype)
    n = int(np.prod(shape, dtype=np.int64))
    vals = []
    while len(vals) < n:
        v = round(float(rng.uniform(spec.lo, spec.hi)), 3)
        if abs(v) >= spec.away and v not in vals:
            vals.append(v)
    a = np.array(vals, np.float64).reshape(shape)
    if np.dtype(dtype).kind == "c":
        im = np.round(rng.uniform(-1, 1, shape), 3)
        return (a + 1j * im).astype(dtype)
    return a.astype(dtype)


def expand(entry):
    """[(case_id, [np arrays])] for an entry."""
    out = []
    for label, specs, dtype in ([(d, entry.args, d) for d in entry.dtypes]
                                + [(lab, a, "float32") for lab, a in entry.cases]):
        cid = f"{entry.key}[{label}]"
        rng = np.random.default_rng(zlib.crc32(cid.encode()))
        out.append((cid, [_draw(s, dtype, rng) for s in specs]))
    return out


def make_weights(outputs, case_id):
    """Fixed weights per float/complex output (None for integer/bool outputs)."""
    rng = np.random.default_rng(zlib.crc32(("w" + case_id).encode()))
    ws = []
    for o in outputs:
        a = np.asarray(o)
        if a.dtype.kind in "fc":
            w = np.round(rng.uniform(0.5, 1.5, a.shape), 2)
            if a.dtype.kind == "c":
                w = w + 1j * np.round(rng.uniform(-0.5, 0.5, a.shape), 2)
            ws.append(w.astype(a.dtype))
        else:
            ws.append(None)
    return ws


# -- the harness: identical on both sides --------------------------------------------------------

def flatten(out):
    if isinstance(out, (list, tuple)):
        return [leaf for o in out for leaf in flatten(o)]
    return [out]


def is_float(dtype_name):
    return dtype_name.startswith(("float", "complex", "half", "double", "bfloat"))


def forward(tf, entry, arrays):
    """Outputs of the op on constant inputs, flattened (no tape)."""
    xs = [tf.constant(a) for a in arrays]
    return flatten(entry.fn(tf, *xs))


def run(tf, entry, arrays, weights):
    """Run the op on a tape: (outputs, tape, target, watched inputs); the caller then calls
    ``tape.gradient(target, sources)``. Exceptions propagate."""
    xs = [tf.constant(a) for a in arrays]
    diff = [i for i, a in enumerate(arrays) if np.asarray(a).dtype.kind in "fc"]
    with tf.GradientTape() as tape:
        for i in diff:
            tape.watch(xs[i])
        outs = flatten(entry.fn(tf, *xs))
        target = [o if w is None else tf.reduce_sum(o * tf.constant(w))
                  for o, w in zip(outs, weights)]
    return outs, tape, target, [xs[i] for i in diff]


# ================================================================================================
# The table. Shapes are small on purpose (fixtures stay small); binary ops broadcast (2,3)x(3,).
# ================================================================================================
X = R((2, 3))
Y = R((3,))
POS = R((2, 3), 0.2, 3.0)
UNIT = R((2, 3), -0.9, 0.9)
DEN = R((3,), -2.0, 2.0, away=0.5, ints=(-4, 4))
IDX = K([2, 0, 2], "int32")

# -- math: arithmetic ------------------------------------------------------------------------
op("math.add", lambda tf, x, y: tf.math.add(x, y), X, Y, dtypes=FI + ("complex64",))
op("math.subtract", lambda tf, x, y: tf.math.subtract(x, y), X, Y, dtypes=FI)
op("math.multiply", lambda tf, x, y: tf.math.multiply(x, y), X, Y, dtypes=FI + ("complex64",))
op("math.divide", lambda tf, x, y: tf.math.divide(x, y), X, DEN, dtypes=FI)
op("math.truediv", lambda tf, x, y: tf.math.truediv(x, y), X, DEN, dtypes=FI)
op("math.floordiv", lambda tf, x, y: tf.math.floordiv(x, y), X, DEN, dtypes=FI)
op("math.floormod", lambda tf, x, y: tf.math.floormod(x, y), X, DEN, dtypes=FI)
op("math.mod", lambda tf, x, y: tf.math.mod(x, y), X, DEN, dtypes=FI)
op("math.pow", lambda tf, x, y: tf.math.pow(x, y), R((2, 3), 0.3, 2.0, ints=(0, 4)),
   R((3,), -2.0, 2.0, ints=(0, 3)), dtypes=FI)
op("math.pow", lambda tf, x: tf.math.pow(x, 2.0), K([0.0, 1.5, -2.0]), dtypes=F32,
   tag="at_zero")
op("math.negative", lambda tf, x: tf.math.negative(x), X, dtypes=FI)
op("math.exp", lambda tf, x: tf.math.exp(x), X, dtypes=F + ("complex64",))
op("math.log", lambda tf, x: tf.math.log(x), POS)
op("math.tanh", lambda tf, x: tf.math.tanh(x), X)
op("math.square", lambda tf, x: tf.math.square(x), X, dtypes=FI)
op("math.sqrt", lambda tf, x: tf.math.sqrt(x), POS)
op("math.conj", lambda tf, x: tf.math.conj(x), X, dtypes=("complex64", "float32"))
op("math.real", lambda tf, x: tf.math.real(x), X, dtypes=("complex64", "float32"))
op("math.imag", lambda tf, x: tf.math.imag(x), X, dtypes=("complex64", "float32"))
op("math.abs", lambda tf, x: tf.math.abs(x), X, dtypes=FI + ("complex64",))
op("math.sign", lambda tf, x: tf.math.sign(x), X, dtypes=FI)

# -- math: unary functions -----------------------------------------------------------------------
op("math.rsqrt", lambda tf, x: tf.math.rsqrt(x), POS)
op("math.expm1", lambda tf, x: tf.math.expm1(x), X)
op("math.log1p", lambda tf, x: tf.math.log1p(x), R((2, 3), -0.5, 2.0))
op("math.sin", lambda tf, x: tf.math.sin(x), X)
op("math.cos", lambda tf, x: tf.math.cos(x), X)
op("math.tan", lambda tf, x: tf.math.tan(x), R((2, 3), -1.2, 1.2))
op("math.asin", lambda tf, x: tf.math.asin(x), UNIT)
op("math.acos", lambda tf, x: tf.math.acos(x), UNIT)
op("math.atan", lambda tf, x: tf.math.atan(x), X)
op("math.sinh", lambda tf, x: tf.math.sinh(x), X)
op("math.cosh", lambda tf, x: tf.math.cosh(x), X)
op("math.asinh", lambda tf, x: tf.math.asinh(x), X)
op("math.acosh", lambda tf, x: tf.math.acosh(x), R((2, 3), 1.2, 3.0))
op("math.atanh", lambda tf, x: tf.math.atanh(x), UNIT)
op("math.sigmoid", lambda tf, x: tf.math.sigmoid(x), X)
op("math.softplus", lambda tf, x: tf.math.softplus(x), X)
op("math.softsign", lambda tf, x: tf.math.softsign(x), X)
op("math.erf", lambda tf, x: tf.math.erf(x), X)
op("math.erfc", lambda tf, x: tf.math.erfc(x), X)
op("math.lgamma", lambda tf, x: tf.math.lgamma(x), POS, rtol=1e-4)
op("math.digamma", lambda tf, x: tf.math.digamma(x), R((2, 3), 0.5, 3.0), rtol=1e-4)
op("math.reciprocal", lambda tf, x: tf.math.reciprocal(x), R((2, 3), away=0.3))
op("math.floor", lambda tf, x: tf.math.floor(x), X)
op("math.ceil", lambda tf, x: tf.math.ceil(x), X)
op("math.round", lambda tf, x: tf.math.round(x), K([[0.5, 1.5, 2.5], [-0.5, -1.7, 0.2]]),
   dtypes=F)
op("math.rint", lambda tf, x: tf.math.rint(x), K([[0.5, 1.5, 2.5], [-0.5, -1.7, 0.2]]))
SPECIAL = K([[1.0, NAN, INF], [-INF, 0.0, -2.5]])
op("math.is_nan", lambda tf, x: tf.math.is_nan(x), SPECIAL)
op("math.is_finite", lambda tf, x: tf.math.is_finite(x), SPECIAL)
op("math.is_inf", lambda tf, x: tf.math.is_inf(x), SPECIAL)
op("math.log_sigmoid", lambda tf, x: tf.math.log_sigmoid(x), X)
op("math.polygamma", lambda tf, a, x: tf.math.polygamma(a, x),
   K([[0.0, 1.0, 2.0], [3.0, 1.0, 0.0]]), R((2, 3), 0.5, 3.0), rtol=1e-4)

# -- math: binary functions ----------------------------------------------------------------------
TIES_A, TIES_B = K([1.0, 1.0, 0.5]), K([1.0, 0.0, 1.0])
op("math.atan2", lambda tf, y, x: tf.math.atan2(y, x), X, DEN)
op("math.maximum", lambda tf, x, y: tf.math.maximum(x, y), X, Y, dtypes=FI,
   cases=[("ties", [TIES_A, TIES_B])])
op("math.minimum", lambda tf, x, y: tf.math.minimum(x, y), X, Y, dtypes=FI,
   cases=[("ties", [TIES_A, TIES_B])])
op("math.squared_difference", lambda tf, x, y: tf.math.squared_difference(x, y), X, Y,
   dtypes=FI)
op("math.xlogy", lambda tf, x, y: tf.math.xlogy(x, y), X, R((3,), 0.2, 3.0),
   cases=[("zero_x", [K([0.0, 1.0, 0.0]), K([0.0, 2.0, 3.0])])])
op("math.xdivy", lambda tf, x, y: tf.math.xdivy(x, y), X, DEN,
   cases=[("zero_x", [K([0.0, 1.0, 0.0]), K([0.0, 2.0, 3.0])])])
op("math.divide_no_nan", lambda tf, x, y: tf.math.divide_no_nan(x, y), X,
   K([1.5, 0.0, -0.75]))
op("math.multiply_no_nan", lambda tf, x, y: tf.math.multiply_no_nan(x, y),
   K([[1.0, INF, 2.0], [NAN, 3.0, -1.0]]), K([0.5, 0.0, 2.0]), dtypes=F32,
   cases=[("finite", [X, Y])])
op("math.add_n", lambda tf, a, b, c: tf.math.add_n([a, b, c]), X, X, X, dtypes=FI)
op("math.cumsum", lambda tf, x: tf.math.cumsum(x, axis=1), X, dtypes=FI)
op("math.cumsum", lambda tf, x: tf.math.cumsum(x, axis=1, exclusive=True, reverse=True), X,
   tag="exclusive_reverse")
op("math.cumprod", lambda tf, x: tf.math.cumprod(x, axis=1), X, dtypes=FI)
op("math.cumprod", lambda tf, x: tf.math.cumprod(x, axis=0, exclusive=True), X,
   tag="exclusive")

# -- math: reductions ------------------------------------------------------------------------------
M = R((3, 4))
op("math.reduce_sum", lambda tf, x: tf.math.reduce_sum(x), M, dtypes=FI)
op("math.reduce_sum", lambda tf, x: tf.math.reduce_sum(x, axis=1, keepdims=True), M,
   tag="axis1_keepdims")
op("math.reduce_mean", lambda tf, x: tf.math.reduce_mean(x, axis=0), M, dtypes=FI)
op("math.reduce_max", lambda tf, x: tf.math.reduce_max(x, axis=1), M, dtypes=FI,
   cases=[("ties", [K([[1.0, 1.0, 0.5], [2.0, -1.0, 2.0]])])])
op("math.reduce_min", lambda tf, x: tf.math.reduce_min(x), M, dtypes=FI,
   cases=[("ties", [K([0.5, 0.5, 1.0])])])
op("math.reduce_prod", lambda tf, x: tf.math.reduce_prod(x, axis=0), M, dtypes=FI,
   cases=[("with_zero", [K([[1.5, 0.0, 2.0], [0.0, 0.0, 3.0]])])])
op("math.reduce_logsumexp", lambda tf, x: tf.math.reduce_logsumexp(x, axis=1), M)
op("math.reduce_variance", lambda tf, x: tf.math.reduce_variance(x, axis=0), M)
op("math.reduce_std", lambda tf, x: tf.math.reduce_std(x), M)
op("math.reduce_any", lambda tf, x: tf.math.reduce_any(x, axis=0), M, dtypes=BOOL)
op("math.reduce_all", lambda tf, x: tf.math.reduce_all(x, axis=1), M, dtypes=BOOL)
op("math.count_nonzero", lambda tf, x: tf.math.count_nonzero(x, axis=1),
   K([[0.0, 1.0, 2.0], [0.0, 0.0, -1.0]]), dtypes=FI)
op("math.argmax", lambda tf, x: tf.math.argmax(x), M, dtypes=FI)
op("math.argmin", lambda tf, x: tf.math.argmin(x, axis=1), M, dtypes=FI)
op("math.top_k", lambda tf, x: tf.math.top_k(x, k=2), R((2, 4)), dtypes=FI)

# -- math: comparisons and logic -------------------------------------------------------------------
CMP_A, CMP_B = R((2, 3), ints=(-2, 2)), R((3,), ints=(-2, 2))
op("math.equal", lambda tf, x, y: tf.math.equal(x, y), CMP_A, CMP_B, dtypes=FI)
op("math.not_equal", lambda tf, x, y: tf.math.not_equal(x, y), CMP_A, CMP_B, dtypes=FI)
op("math.less", lambda tf, x, y: tf.math.less(x, y), CMP_A, CMP_B, dtypes=FI)
op("math.less_equal", lambda tf, x, y: tf.math.less_equal(x, y), CMP_A, CMP_B, dtypes=FI)
op("math.greater", lambda tf, x, y: tf.math.greater(x, y), CMP_A, CMP_B, dtypes=FI)
op("math.greater_equal", lambda tf, x, y: tf.math.greater_equal(x, y), CMP_A, CMP_B,
   dtypes=FI)
op("math.logical_and", lambda tf, x, y: tf.math.logical_and(x, y), X, Y, dtypes=BOOL)
op("math.logical_or", lambda tf, x, y: tf.math.logical_or(x, y), X, Y, dtypes=BOOL)
op("math.logical_xor", lambda tf, x, y: tf.math.logical_xor(x, y), X, Y, dtypes=BOOL)
op("math.logical_not", lambda tf, x: tf.math.logical_not(x), X, dtypes=BOOL)

# -- linalg ---------------------------------------------------------------------------------------
SQ = K([[2.0, 0.5, -0.3], [0.4, 1.5, 0.2], [-0.1, 0.3, 1.8]])
op("linalg.matmul", lambda tf, a, b: tf.linalg.matmul(a, b), R((2, 3)), R((3, 4)), dtypes=FI)
op("linalg.matmul", lambda tf, a, b: tf.linalg.matmul(a, b, transpose_b=True), R((2, 3)),
   R((4, 3)), tag="transpose_b")
op("linalg.matmul", lambda tf, a, b: tf.linalg.matmul(a, b), R((2, 2, 3)), R((2, 3, 2)),
   tag="batched")
op("linalg.tensordot", lambda tf, a, b: tf.linalg.tensordot(a, b, axes=1), R((2, 3)),
   R((3, 2)))
op("linalg.tensordot", lambda tf, a, b: tf.linalg.tensordot(a, b, axes=[[0], [1]]),
   R((3, 2)), R((2, 3)), tag="axes_pairs")
op("linalg.einsum", lambda tf, a, b: tf.linalg.einsum("ij,jk->ik", a, b), R((2, 3)),
   R((3, 2)))
op("linalg.einsum", lambda tf, a, b: tf.linalg.einsum("bi,bi->b", a, b), R((2, 3)),
   R((2, 3)), tag="batch_dot")
op("linalg.einsum", lambda tf, a: tf.linalg.einsum("ij->ji", a), R((2, 3)), tag="transpose")
op("linalg.matrix_transpose", lambda tf, x: tf.linalg.matrix_transpose(x), R((2, 3, 2)),
   dtypes=FI)
op("linalg.norm", lambda tf, x: tf.linalg.norm(x), X)
op("linalg.norm", lambda tf, x: tf.linalg.norm(x, ord=1, axis=1), X, tag="ord1_axis1")
op("linalg.norm", lambda tf, x: tf.linalg.norm(x, axis=[0, 1], keepdims=True), X,
   tag="fro_keepdims")
op("linalg.trace", lambda tf, x: tf.linalg.trace(x), R((3, 3)), dtypes=FI)
op("linalg.diag_part", lambda tf, x: tf.linalg.diag_part(x), R((3, 3)), dtypes=FI)
op("linalg.det", lambda tf, x: tf.linalg.det(x), SQ, rtol=1e-4)
op("linalg.inv", lambda tf, x: tf.linalg.inv(x), SQ, rtol=1e-4)
op("linalg.l2_normalize", lambda tf, x: tf.linalg.l2_normalize(x, axis=1), X)

# -- nn --------------------------------------------------------------------------------------------
LOGITS = R((2, 3), -3.0, 3.0)
PROBS = K([[0.2, 0.3, 0.5], [0.0, 1.0, 0.0]])
op("nn.relu", lambda tf, x: tf.nn.relu(x), X, dtypes=FI)
op("nn.relu6", lambda tf, x: tf.nn.relu6(x), R((2, 3), -3.0, 8.0))
op("nn.leaky_relu", lambda tf, x: tf.nn.leaky_relu(x, alpha=0.3), X)
op("nn.elu", lambda tf, x: tf.nn.elu(x), X)
op("nn.selu", lambda tf, x: tf.nn.selu(x), X)
op("nn.gelu", lambda tf, x: tf.nn.gelu(x), X)
op("nn.gelu", lambda tf, x: tf.nn.gelu(x, approximate=True), X, tag="approximate")
op("nn.silu", lambda tf, x: tf.nn.silu(x), X)
op("nn.swish", lambda tf, x: tf.nn.swish(x), X)
op("nn.softmax", lambda tf, x: tf.nn.softmax(x), LOGITS)
op("nn.softmax", lambda tf, x: tf.nn.softmax(x, axis=0), LOGITS, tag="axis0")
op("nn.log_softmax", lambda tf, x: tf.nn.log_softmax(x), LOGITS)
op("nn.softmax_cross_entropy_with_logits",
   lambda tf, lab, lg: tf.nn.softmax_cross_entropy_with_logits(labels=lab, logits=lg),
   PROBS, LOGITS)
op("nn.sparse_softmax_cross_entropy_with_logits",
   lambda tf, lab, lg: tf.nn.sparse_softmax_cross_entropy_with_logits(labels=lab, logits=lg),
   K([2, 0], "int32"), LOGITS)
op("nn.sigmoid_cross_entropy_with_logits",
   lambda tf, lab, lg: tf.nn.sigmoid_cross_entropy_with_logits(labels=lab, logits=lg),
   R((2, 3), 0.0, 1.0, away=0.0), LOGITS)
op("nn.weighted_cross_entropy_with_logits",
   lambda tf, lab, lg: tf.nn.weighted_cross_entropy_with_logits(lab, lg, pos_weight=2.5),
   R((2, 3), 0.0, 1.0, away=0.0), LOGITS)
op("nn.l2_loss", lambda tf, x: tf.nn.l2_loss(x), X)
op("nn.l2_normalize", lambda tf, x: tf.nn.l2_normalize(x), X, tag="all_axes")
op("nn.moments", lambda tf, x: tf.nn.moments(x, axes=[0]), M)
op("nn.moments", lambda tf, x: tf.nn.moments(x, axes=[1], keepdims=True), M, tag="keepdims")
op("nn.dropout", lambda tf, x: tf.nn.dropout(x, rate=0.0), X)
op("nn.bias_add", lambda tf, x, b: tf.nn.bias_add(x, b), X, Y, dtypes=FI)
op("nn.embedding_lookup", lambda tf, p, i: tf.nn.embedding_lookup(p, i), R((4, 3)), IDX)
op("math.log_sigmoid", lambda tf, x: tf.math.log_sigmoid(x), R((2, 3), -30.0, 30.0),
   dtypes=F32, tag="wide")

# -- array ops -------------------------------------------------------------------------------------
op("cast", lambda tf, x: tf.cast(x, tf.int32), X, dtypes=F32)
op("cast", lambda tf, x: tf.cast(x, tf.float64), X, dtypes=F32, tag="to_float64")
op("cast", lambda tf, x: tf.cast(x, tf.float32), X, dtypes=("int32", "float64"),
   tag="to_float32")
op("cast", lambda tf, x: tf.cast(x, tf.bool), X, dtypes=F32, tag="to_bool")
op("reshape", lambda tf, x: tf.reshape(x, [3, 2]), X, dtypes=FI)
op("reshape", lambda tf, x: tf.reshape(x, [-1]), X, tag="flat")
op("transpose", lambda tf, x: tf.transpose(x), X, dtypes=FI)
op("transpose", lambda tf, x: tf.transpose(x, perm=[1, 2, 0]), R((2, 3, 2)), tag="perm")
op("expand_dims", lambda tf, x: tf.expand_dims(x, 1), X, dtypes=FI)
op("squeeze", lambda tf, x: tf.squeeze(x), R((2, 1, 3)), dtypes=FI)
op("squeeze", lambda tf, x: tf.squeeze(x, axis=[2]), R((1, 3, 1)), tag="axis")
op("concat", lambda tf, a, b: tf.concat([a, b], axis=0), X, R((1, 3)), dtypes=FI)
op("concat", lambda tf, a, b: tf.concat([a, b], axis=-1), X, R((2, 1)), tag="axis_last")
op("stack", lambda tf, a, b: tf.stack([a, b], axis=1), X, X, dtypes=FI)
op("unstack", lambda tf, x: tf.unstack(x, axis=1), X, dtypes=FI)
op("split", lambda tf, x: tf.split(x, 3, axis=1), X, dtypes=FI)
op("split", lambda tf, x: tf.split(x, [1, 2], axis=1), X, tag="sizes")
op("tile", lambda tf, x: tf.tile(x, [2, 1]), X, dtypes=FI)
op("pad", lambda tf, x: tf.pad(x, [[1, 0], [0, 2]]), X, dtypes=FI)
op("pad", lambda tf, x: tf.pad(x, [[1, 1], [2, 1]], mode="REFLECT"), X, tag="reflect")
op("pad", lambda tf, x: tf.pad(x, [[0, 1], [1, 0]], constant_values=7), X, dtypes=F32,
   tag="constant_values")
op("broadcast_to", lambda tf, x: tf.broadcast_to(x, [2, 3]), Y, dtypes=FI)
op("reverse", lambda tf, x: tf.reverse(x, [1]), X, dtypes=FI)
op("roll", lambda tf, x: tf.roll(x, shift=1, axis=1), X, dtypes=FI)
op("roll", lambda tf, x: tf.roll(x, shift=[-1, 2], axis=[0, 1]), X, tag="two_axes")
op("one_hot", lambda tf, i: tf.one_hot(i, 3), K([0, 2, 1, -1]), dtypes=("int32",))
op("one_hot", lambda tf, i, on, off: tf.one_hot(i, 3, on_value=on, off_value=off),
   K([0, 2], "int32"), K(2.5), K(-1.0), dtypes=F32, tag="on_off")
op("where", lambda tf, c, x, y: tf.where(c, x, y), K([[True, False, True], [False, True, True]],
   "bool"), X, Y, dtypes=FI)
op("where", lambda tf, x: tf.where(x > 0, tf.sqrt(tf.maximum(x, 0.0)), 0.0),
   K([1.5, -2.5, 3.7, 0.0]), dtypes=F32, tag="sqrt_guard")
op("identity", lambda tf, x: tf.identity(x), X, dtypes=FI)
op("convert_to_tensor", lambda tf, x: tf.convert_to_tensor(x), X, dtypes=FI)

# -- indexing --------------------------------------------------------------------------------------
V5 = R((5,))
op("slice", lambda tf, x: tf.slice(x, [1, 0], [2, 3]), R((3, 4)), dtypes=FI)
op("strided_slice", lambda tf, x: tf.strided_slice(x, [0, 1], [3, 4], [2, 1]), R((3, 4)),
   dtypes=FI)
op("gather", lambda tf, p, i: tf.gather(p, i), R((4, 3)), IDX, dtypes=FI)
op("gather", lambda tf, p, i: tf.gather(p, i, axis=1), R((2, 3)), IDX, tag="axis1")
op("gather_nd", lambda tf, p, i: tf.gather_nd(p, i), R((3, 2)),
   K([[0, 1], [2, 0], [0, 1]], "int32"), dtypes=FI)
op("gather_nd", lambda tf, p, i: tf.gather_nd(p, i), R((3, 2)), K([[1], [0], [1]], "int32"),
   tag="rows")
op("scatter_nd", lambda tf, i, u: tf.scatter_nd(i, u, [5]), K([[1], [3]], "int32"), R((2,)),
   dtypes=FI)
for _name in ("update", "add", "sub", "max", "min"):
    op(f"tensor_scatter_nd_{_name}",
       (lambda fname: lambda tf, t, i, u: getattr(tf, fname)(t, i, u))(
           f"tensor_scatter_nd_{_name}"),
       V5, K([[1], [3]], "int32"), R((2,)), dtypes=FI,
       cases=[("dup_idx", [V5, K([[1], [1]], "int32"), R((2,))])])
op("boolean_mask", lambda tf, x, m: tf.boolean_mask(x, m), X,
   K([[True, False, True], [False, False, True]], "bool"), dtypes=FI)
op("boolean_mask", lambda tf, x, m: tf.boolean_mask(x, m), X, K([False, True], "bool"),
   tag="rows")

# -- sorting ---------------------------------------------------------------------------------------
op("sort", lambda tf, x: tf.sort(x), X, dtypes=FI)
op("sort", lambda tf, x: tf.sort(x, axis=0, direction="DESCENDING"), X, tag="descending")
op("argsort", lambda tf, x: tf.argsort(x), X, dtypes=FI)
op("unique", lambda tf, x: tf.unique(x), K([1.5, -2.0, 1.5, 3.0, -2.0]), dtypes=FI)

# -- segments, partitions, counting ---------------------------------------------------------------
SEG_X = R((5, 2))
SEG_IDS = K([0, 0, 2, 3, 3], "int32")            # sorted; segment 1 empty
USEG_IDS = K([1, -1, 1, 0, 1], "int32")          # unsorted; one dropped row
SEG_TIES = K([[1.0, 2.0], [1.0, 0.5], [3.0, 3.0], [0.0, -1.0], [0.0, -1.0]])
SEG_ZEROS = K([[0.0, 2.0], [1.5, 0.0], [0.0, 3.0], [0.0, -1.0], [2.0, -1.5]])
for _name in ("sum", "mean", "max", "min", "prod"):
    op(f"math.segment_{_name}",
       (lambda f: lambda tf, x, i: getattr(tf.math, f)(x, i))(f"segment_{_name}"),
       SEG_X, SEG_IDS, dtypes=FI,
       cases=[("ties", [SEG_TIES, SEG_IDS]), ("zeros", [SEG_ZEROS, SEG_IDS])])
for _name, _num in (("sum", 3), ("mean", 3), ("sqrt_n", 3), ("prod", 3), ("max", 2), ("min", 2)):
    op(f"math.unsorted_segment_{_name}",
       (lambda f, n: lambda tf, x, i: getattr(tf.math, f)(x, i, n))(
           f"unsorted_segment_{_name}", _num),
       SEG_X, USEG_IDS, dtypes=F if _name == "sqrt_n" else FI,
       cases=[("ties", [SEG_TIES, USEG_IDS]), ("zeros", [SEG_ZEROS, USEG_IDS])])
for _name in ("max", "min"):
    op(f"math.unsorted_segment_{_name}",
       (lambda f: lambda tf, x, i: getattr(tf.math, f)(x, i, 3))(f"unsorted_segment_{_name}"),
       SEG_X, USEG_IDS, dtypes=("int32",), tag="empty_segment")
op("math.unsorted_segment_sum", lambda tf, x, i: tf.math.unsorted_segment_sum(x, i, 3),
   R((2, 2, 3)), K([[0, 2], [-1, 0]], "int32"), tag="2d_ids")
op("dynamic_partition", lambda tf, x, p: tf.dynamic_partition(x, p, 4), SEG_X,
   K([1, 0, 1, 3, 0], "int32"), dtypes=FI)
op("dynamic_partition", lambda tf, x, p: tf.dynamic_partition(x, p, 2), R((2, 2, 3)),
   K([[1, 0], [0, 0]], "int32"), tag="2d_partitions")
op("dynamic_stitch", lambda tf, a, b: tf.dynamic_stitch([[0, 3], [2, 1]], [a, b]), R((2, 3)),
   R((2, 3)), dtypes=FI)
op("dynamic_stitch", lambda tf, a, b: tf.dynamic_stitch([[0, 2], [1, 2]], [a, b]), R((2, 3)),
   R((2, 3)), tag="overlap")
SORTED = K([[-1.0, 0.0, 0.0, 2.0], [0.5, 1.0, 1.5, 3.0]])
SEARCH = K([[0.0, -2.0, 2.5], [1.0, 0.7, 4.0]])
op("searchsorted", lambda tf, s, v: tf.searchsorted(s, v), SORTED, SEARCH, dtypes=F)
op("searchsorted", lambda tf, s, v: tf.searchsorted(s, v, side="right", out_type=tf.int64),
   SORTED, SEARCH, tag="right_int64")
op("math.bincount", lambda tf, a: tf.math.bincount(a, minlength=7), K([1, 1, 3, 0, 5], "int32"),
   dtypes=("int32",))
op("math.bincount", lambda tf, a, w: tf.math.bincount(a, weights=w), K([1, 1, 3, 0, 5], "int32"),
   R((5,)), dtypes=F, tag="weights")
op("math.bincount", lambda tf, a: tf.math.bincount(a, axis=-1, binary_output=True),
   K([[1, 1, 2], [3, 0, 0]], "int32"), dtypes=("int32",), tag="rows_binary")
op("histogram_fixed_width", lambda tf, v: tf.histogram_fixed_width(v, [-1.0, 1.0], nbins=5),
   R((3, 7), -1.5, 1.5, away=0.0), dtypes=F)
op("histogram_fixed_width", lambda tf, v: tf.histogram_fixed_width(v, [-2, 6], nbins=4),
   R((8,), ints=(-4, 9)), dtypes=("int32",), tag="int")

# -- clipping --------------------------------------------------------------------------------------
op("clip_by_value", lambda tf, x: tf.clip_by_value(x, -1.0, 1.0), X, dtypes=F)
op("clip_by_value", lambda tf, x: tf.clip_by_value(x, -1, 1), X, dtypes=("int32",),
   tag="int")
op("clip_by_value", lambda tf, x: tf.clip_by_value(x, -1.0, 1.0), K([-1.0, 1.0, 0.5, -3.0]),
   dtypes=F32, tag="at_bounds")
op("clip_by_value", lambda tf, x, lo, hi: tf.clip_by_value(x, lo, hi), X, K(-0.5), K(0.7),
   dtypes=F32, tag="tensor_bounds")
op("clip_by_norm", lambda tf, x: tf.clip_by_norm(x, 1.0), X)
op("clip_by_norm", lambda tf, x: tf.clip_by_norm(x, 1.0, axes=[1]), X, tag="axes")
op("clip_by_norm", lambda tf, x: tf.clip_by_norm(x, 100.0), X, dtypes=F32, tag="no_clip")
op("clip_by_global_norm", lambda tf, a, b: tf.clip_by_global_norm([a, b], 1.0), X, Y)
op("linalg.global_norm", lambda tf, a, b: tf.linalg.global_norm([a, b]), X, Y)

# -- control / gradient plumbing -------------------------------------------------------------------
def _custom_gradient(tf, x):
    @tf.custom_gradient
    def f(a):
        def grad(dy):
            return dy * 3.0
        return a * a, grad
    return f(x)


op("stop_gradient", lambda tf, x: tf.stop_gradient(x), X, dtypes=FI)
op("stop_gradient", lambda tf, x: tf.stop_gradient(x) * x + x, X, tag="mixed")
op("py_function", lambda tf, x: tf.py_function(lambda a: a * a, [x], tf.float32), X,
   dtypes=F32)
op("numpy_function", lambda tf, x: tf.numpy_function(lambda a: a * 2, [x], tf.float32), X,
   dtypes=F32)
op("grad_pass_through", lambda tf, x: tf.grad_pass_through(tf.round)(x * 1.3), X)
op("recompute_grad", lambda tf, x: tf.recompute_grad(lambda a: tf.sin(a) * a)(x), X)
op("custom_gradient", _custom_gradient, X)

# -- creation ops that take tensors ----------------------------------------------------------------
op("zeros_like", lambda tf, x: tf.zeros_like(x), X, dtypes=FI)
op("ones_like", lambda tf, x: tf.ones_like(x), X, dtypes=FI)
op("fill", lambda tf, v: tf.fill([2, 3], v), K(1.25), dtypes=FI)
op("shape", lambda tf, x: tf.shape(x), X, dtypes=FI)
op("size", lambda tf, x: tf.size(x), X, dtypes=FI)
op("rank", lambda tf, x: tf.rank(x), X, dtypes=FI)
op("linspace", lambda tf, a, b: tf.linspace(a, b, 5), K(-1.0), K(2.0))
op("range", lambda tf, a, b, d: tf.range(a, b, d), K(1.0), K(4.0), K(0.5), dtypes=F32)
op("range", lambda tf, a, b, d: tf.range(a, b, d), K(1), K(8), K(3), dtypes=("int32",),
   tag="int")

ENTRIES = {e.key: e for e in TABLE}
assert len(ENTRIES) == len(TABLE), "duplicate (name, tag) in the op table"
