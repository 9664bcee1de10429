"""Specs for the elementwise math of ops/unary_ops.py and ops/binary_ops.py (add_n, scans).

Domains keep away from kinks and poles. Complex rules are checked through real-valued
functions of real inputs (z = x + iy, then abs), which any consistent convention must get right.
TF's complex rules for Xlogy, Xdivy, MulNoNan and Cumprod do not conjugate (we match them, see
tests/test_math_ops.py), so they have no complex spec here.
"""
import tapegrad as tf
from grad_specs import GradSpec, binary, unary

M = tf.math
SAME_2 = [((), ()), ((3,), (3,)), ((2, 3), (2, 3)), ((0,), (0,))]
SCAN_SHAPES = [((3,),), ((2, 3),), ((0,),), ((2, 0),)]


def _away_from_zero(lo=0.3, hi=2.0):
    """Inputs with random sign and |x| in [lo, hi]."""
    def make(rng, shapes):
        return [rng.uniform(lo, hi, s) * rng.choice([-1.0, 1.0], s) for s in shapes]
    return make


def _nz(rng, shape, lo=0.3, hi=2.0):
    return _away_from_zero(lo, hi)(rng, [shape])[0]


def _z(x, y):
    """x + iy, complex128 for float64 inputs, complex64 for float32."""
    ct = tf.complex128 if x.dtype == tf.float64 else tf.complex64
    return tf.cast(x, ct) + tf.cast(y, ct) * 1j


def _complex(name, f, domain=[(0.3, 1.2), (0.3, 1.2)], order=2):
    return binary(f"{name}_complex", lambda x, y: M.abs(f(_z(x, y))), domain=domain, order=order,
                  shapes=[((3,), (3,)), ((2, 3), (3,))])


def _scan(name, f, **kw):
    return GradSpec(name, f, SCAN_SHAPES, **kw)


SPECS = [
    # ComplexAbs and Conj on scalars, empty and broadcast shapes (the _complex specs are 1-D/2-D)
    binary("complex_abs_conj_shapes", lambda x, y: M.abs(M.conj(_z(x, y)) * _z(y, x)),
           domain=[(0.3, 1.2), (0.3, 1.2)], shapes=[((), ()), ((2, 3), (3,)), ((3,), ()),
                                                    ((0,), (0,))]),
    # abs / sign
    unary("abs", M.abs, make_args=_away_from_zero()),
    unary("abs_builtin", lambda x: abs(x) * x, make_args=_away_from_zero()),
    unary("sign", lambda x: M.sign(x) * x, make_args=_away_from_zero()),
    # fused backward ops (ReciprocalGrad, RsqrtGrad, SigmoidGrad)
    unary("reciprocal", M.reciprocal, make_args=_away_from_zero(0.4, 2.0)),
    unary("rsqrt", M.rsqrt, domain=(0.3, 3.0)),
    unary("sigmoid", M.sigmoid, domain=(-4.0, 4.0)),
    # exp/log family
    unary("expm1", M.expm1),
    unary("log1p", M.log1p, domain=(-0.6, 2.0)),
    unary("softplus", M.softplus, domain=(-4.0, 4.0)),
    unary("softsign", M.softsign, order=1),  # TF has no gradient for SoftsignGrad
    # trigonometric / hyperbolic
    unary("sin", M.sin),
    unary("cos", M.cos),
    unary("tan", M.tan, domain=(-1.2, 1.2)),
    unary("asin", M.asin, domain=(-0.8, 0.8)),
    unary("acos", M.acos, domain=(-0.8, 0.8)),
    unary("atan", M.atan),
    unary("sinh", M.sinh),
    unary("cosh", M.cosh),
    unary("asinh", M.asinh),
    unary("acosh", M.acosh, domain=(1.2, 3.0)),
    unary("atanh", M.atanh, domain=(-0.8, 0.8)),
    # special functions
    unary("erf", M.erf),
    unary("erfc", M.erfc),
    unary("lgamma", M.lgamma, domain=(0.3, 4.0)),
    unary("lgamma_negative", M.lgamma, domain=(-2.8, -2.2)),
    unary("digamma", M.digamma, domain=(0.4, 4.0)),
    unary("digamma_negative", M.digamma, domain=(-1.8, -1.2)),
    unary("polygamma", lambda x: M.polygamma(2.0, x), domain=(0.5, 3.0)),
    # complex forms, through abs (ComplexAbs, Imag, complex sign)
    _complex("abs", lambda z: z),
    _complex("sign", lambda z: M.sign(z) * 2.0 + z),
    binary("imag_complex", lambda x, y: M.imag(_z(x, y) * (1 + 2j)) * M.imag(_z(y, x))),
    _complex("reciprocal", M.reciprocal),
    _complex("rsqrt", M.rsqrt),
    _complex("sigmoid", M.sigmoid),
    _complex("expm1", M.expm1),
    _complex("log1p", M.log1p),
    _complex("sin", M.sin),
    _complex("cos", M.cos),
    _complex("tan", M.tan),
    _complex("asin", M.asin),
    _complex("acos", M.acos),
    _complex("atan", M.atan),
    _complex("sinh", M.sinh),
    _complex("cosh", M.cosh),
    _complex("asinh", M.asinh),
    _complex("acosh", M.acosh),
    _complex("atanh", M.atanh, domain=[(0.1, 0.5), (0.1, 0.5)]),
    # binary
    binary("atan2", M.atan2, domain=[(-2.0, 2.0), (0.4, 2.0)]),
    binary("maximum", M.maximum),
    binary("minimum", M.minimum),
    binary("maximum_scalar", lambda x, y: M.maximum(x * y, 0.5) * x),
    binary("squared_difference", M.squared_difference),
    binary("xlogy", M.xlogy, make_args=lambda rng, s: [_nz(rng, s[0]), rng.uniform(0.3, 2, s[1])]),
    binary("xdivy", M.xdivy, make_args=lambda rng, s: [_nz(rng, s[0]), _nz(rng, s[1], 0.5)]),
    binary("divide_no_nan", M.divide_no_nan,
           make_args=lambda rng, s: [rng.uniform(-2, 2, s[0]), _nz(rng, s[1], 0.5)]),
    binary("multiply_no_nan", M.multiply_no_nan,
           make_args=lambda rng, s: [rng.uniform(-2, 2, s[0]), _nz(rng, s[1])]),
    binary("squared_difference_complex",
           lambda x, y: M.abs(M.squared_difference(_z(x, y), _z(y, x * 0.5))),
           domain=[(0.3, 1.2), (-1.2, -0.3)], shapes=[((3,), (3,)), ((2, 3), (3,))],
           order=1),  # TF's rule 2*g*(x-y) assumes a real upstream g: exact at first order only
    binary("divide_no_nan_complex", lambda x, y: M.abs(M.divide_no_nan(_z(x, y), _z(y, x))),
           domain=[(0.3, 1.2), (0.3, 1.2)], shapes=[((3,), (3,))]),
    binary("add_n", lambda x, y: M.add_n([x, y, x * y, x]), shapes=SAME_2),
    # scans (cumprod: inputs away from zero, where TF's rule is exact)
    _scan("cumsum", lambda x: M.cumsum(x, axis=-1) * x),
    _scan("cumsum_exclusive_reverse",
          lambda x: M.cumsum(x, axis=0, exclusive=True, reverse=True) * x),
    _scan("cumprod", lambda x: M.cumprod(x, axis=-1), make_args=_away_from_zero(0.5, 1.5)),
    _scan("cumprod_exclusive", lambda x: M.cumprod(x, axis=0, exclusive=True) * x,
          make_args=_away_from_zero(0.5, 1.5)),
    _scan("cumprod_reverse", lambda x: M.cumprod(x, axis=-1, reverse=True),
          make_args=_away_from_zero(0.5, 1.5)),
    _scan("cumprod_exclusive_reverse", lambda x: M.cumprod(x, exclusive=True, reverse=True),
          make_args=_away_from_zero(0.5, 1.5)),
]

assert len({s.name for s in SPECS}) == len(SPECS)
