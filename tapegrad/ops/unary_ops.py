"""Elementwise unary math (trigonometric, hyperbolic, special functions, rounding, tests).

Each forward works on arrays; its gradient rule sits right below it, written with tapegrad ops
so nested tapes differentiate it again. Complex gradients follow TF's conjugate convention.
The special functions use ``scipy.special`` when it can be imported and the pure-NumPy
fallbacks of _special_np.py otherwise (``_sp`` is looked up on every call, so tests can switch
paths).
"""
import importlib.util
import math as _math

from .._core import dtypes as _dt
from .._core.backend import xp as np
from .._core.errors import NotFoundError
from .._core.registry import defop
from .._core.tensor import Tensor, convert_to_tensor
from .binary_ops import divide_no_nan
from .math_ops import _cast, _conj, exp, square
from ._special_np import _by_element, _digamma_np, _gamma1, _lgamma1, _zeta_np  # noqa: F401


class _LazySpecial:
    """scipy.special, imported when first used (importing it costs ~25 MB and 0.1 s)."""
    def __getattr__(self, name):
        global _sp
        from scipy import special
        _sp = special
        return getattr(special, name)


_sp = _LazySpecial() if importlib.util.find_spec("scipy") is not None else None

FLOATS = _dt.FLOATS
INEXACT = _dt.INEXACT
_SIGNED = frozenset({_dt.int8, _dt.int16, _dt.int32, _dt.int64})
_2_OVER_SQRT_PI = 2.0 / _math.sqrt(_math.pi)


def _zeros(t):
    """A constant zero gradient (TF's zeros_like: nothing flows through it at second order)."""
    return Tensor(np.zeros(t._value.shape, t._dtype._np), t._dtype)


def _no_kernel(op_type, x):
    """TF lists the dtype for the op but registers no CPU kernel for it."""
    return NotFoundError(None, None, f"Could not find device for node: {{{{node {op_type}}}}} = "
                                     f"{op_type}[T=DT_{x.dtype.name.upper()}]")


# -- abs and sign -------------------------------------------------------------------------------

@defop("Abs", dtypes=FLOATS | _SIGNED)
def _abs(x):
    return np.abs(x)


@_abs.def_grad
def _abs_grad(op, grad):
    """d|x| = sign(x), so 0 at 0 (as TF)."""
    return grad * sign(op.inputs[0])


@defop("ComplexAbs", dtypes=_dt.COMPLEX)
def _complex_abs(x):
    return np.abs(x)


@_complex_abs.def_grad
def _complex_abs_grad(op, grad):
    """TF's rule: grad * x / |x|, taken as 0 where x == 0."""
    x = op.inputs[0]
    return divide_no_nan(_cast(grad, dtype=x._dtype) * x, _cast(op.outputs[0], dtype=x._dtype))


def abs(x, name=None):  # noqa: A001 - TF's public name
    """Absolute value; for complex input, the magnitude in the matching real dtype."""
    x = convert_to_tensor(x)
    return _complex_abs(x) if x._dtype.is_complex else _abs(x)


@defop("Sign", dtypes=FLOATS | _SIGNED)
def _sign(x):
    return np.sign(x)


@_sign.def_grad
def _sign_grad(op, grad):
    """Piecewise constant: TF's rule returns zeros (not None)."""
    return _zeros(op.inputs[0])


def sign(x, name=None):
    """-1, 0 or 1 by the sign of x; x/|x| (0 at 0) for complex x."""
    x = convert_to_tensor(x)
    if x._dtype.is_complex:  # composed, so differentiable, as TF composes it
        return divide_no_nan(x, _cast(_complex_abs(x), dtype=x._dtype))
    return _sign(x)


# -- reciprocal, rsqrt, sigmoid: each with a fused backward op, as in TF ----------------------

@defop("Reciprocal", dtypes=INEXACT | _SIGNED)
def reciprocal(x):
    """1 / x."""
    if x.dtype.kind == "i":
        raise _no_kernel("Reciprocal", x)
    return 1 / x


@reciprocal.def_grad
def _reciprocal_grad(op, grad):
    return _reciprocal_backward(op.outputs[0], grad)


# TF's ReciprocalGrad and RsqrtGrad kernels conjugate y themselves and give 0 where the upstream
# gradient is 0 (so ``where(x > 0, 1/x, 0)`` has no NaN gradient at 0).
@defop("ReciprocalGrad", dtypes=INEXACT)
def _reciprocal_backward(y, g):
    if y.dtype.kind == "c":
        y = np.conj(y)
    return np.where(g == 0, np.zeros((), g.dtype), -g * y * y)


@_reciprocal_backward.def_grad
def _reciprocal_backward_grad(op, grad):
    """d(-g*y**2)/dy = -2*g*y;  d/dg = -y**2 (TF's conjugation)."""
    y, g = op.inputs
    cy = _conj(y)
    return _conj(grad) * -2 * g * cy, _reciprocal_backward(cy, grad)


@defop("Rsqrt", dtypes=INEXACT)
def rsqrt(x):
    """1 / sqrt(x)."""
    return 1 / np.sqrt(x)


@rsqrt.def_grad
def _rsqrt_grad(op, grad):
    return _rsqrt_backward(op.outputs[0], grad)


@defop("RsqrtGrad", dtypes=INEXACT)
def _rsqrt_backward(y, g):
    if y.dtype.kind == "c":
        y = np.conj(y)
    return np.where(g == 0, np.zeros((), g.dtype), g * -0.5 * (y * y * y))


@_rsqrt_backward.def_grad
def _rsqrt_backward_grad(op, grad):
    """d(-g*y**3/2)/dy = -1.5*g*y**2;  d/dg = -y**3/2 (TF's conjugation)."""
    y, g = op.inputs
    cy = _conj(y)
    return -1.5 * _conj(grad) * g * square(cy), _rsqrt_backward(cy, grad)


@defop("Sigmoid", dtypes=INEXACT)
def sigmoid(x):
    """1 / (1 + exp(-x)); exp overflowing to inf gives the exact limit 0."""
    if _sp is not None and x.dtype.kind == "f":
        out = _sp.expit(x)  # one ufunc: the fastest on small arrays
        return out if out.dtype == x.dtype else out.astype(x.dtype)
    return 1 / (1 + np.exp(-x))


@sigmoid.def_grad
def _sigmoid_grad(op, grad):
    """d sigmoid = y*(1-y), from the output (no cancellation for large |x|)."""
    return _sigmoid_backward(_conj(op.outputs[0]), grad)


@sigmoid.def_fast_grad
def _sigmoid_grad_np(op, g):
    y = op.outputs[0]._value
    return _sigmoid_backward.forward(np.conj(y) if y.dtype.kind == "c" else y, g)


@defop("SigmoidGrad", dtypes=INEXACT)
def _sigmoid_backward(y, g):
    return g * (y * (1 - y))


@_sigmoid_backward.def_grad
def _sigmoid_backward_grad(op, grad):
    """d(g*y*(1-y))/dy = g*(1-2y);  d/dg = y*(1-y) (TF's conjugation)."""
    y, g = op.inputs
    y, g = _conj(y), _conj(g)
    gg = grad * g
    return gg - 2 * gg * y, _sigmoid_backward(y, grad)


# -- exponential, logarithmic, softplus family --------------------------------------------------

@defop("Expm1", dtypes=INEXACT)
def expm1(x):
    """exp(x) - 1, accurate near 0."""
    return np.expm1(x)


@expm1.def_grad
def _expm1_grad(op, grad):
    return grad * exp(_conj(op.inputs[0]))


@defop("Log1p", dtypes=INEXACT)
def log1p(x):
    """log(1 + x), accurate near 0."""
    return np.log1p(x)


@log1p.def_grad
def _log1p_grad(op, grad):
    return grad * reciprocal(1 + _conj(op.inputs[0]))


@defop("Softplus", dtypes=FLOATS)
def softplus(features):
    """log(1 + exp(x)), computed without overflow for large |x|."""
    return np.logaddexp(np.zeros((), features.dtype), features)


@softplus.def_grad
def _softplus_grad(op, grad):
    return grad * sigmoid(op.inputs[0])


@defop("Softsign", dtypes=FLOATS)
def softsign(features):
    """x / (1 + |x|)."""
    return features / (1 + np.abs(features))


@softsign.def_grad
def _softsign_grad(op, grad):
    return _softsign_backward(grad, op.inputs[0])


# TF registers no gradient for SoftsignGrad: a second derivative raises LookupError, as there.
@defop("SoftsignGrad", dtypes=FLOATS, differentiable="lookup_error")
def _softsign_backward(g, x):
    d = 1 + np.abs(x)
    return g / (d * d)


# -- trigonometric and hyperbolic ---------------------------------------------------------------

@defop("Sin", dtypes=INEXACT)
def sin(x):
    """Sine."""
    return np.sin(x)


@sin.def_grad
def _sin_grad(op, grad):
    return grad * cos(_conj(op.inputs[0]))


@defop("Cos", dtypes=INEXACT)
def cos(x):
    """Cosine."""
    return np.cos(x)


@cos.def_grad
def _cos_grad(op, grad):
    return -grad * sin(_conj(op.inputs[0]))


@defop("Tan", dtypes=INEXACT)
def tan(x):
    """Tangent."""
    return np.tan(x)


@tan.def_grad
def _tan_grad(op, grad):
    """d tan = sec**2 = 1/cos**2."""
    return grad * square(reciprocal(cos(_conj(op.inputs[0]))))


@defop("Asin", dtypes=INEXACT)
def asin(x):
    """Inverse sine."""
    return np.arcsin(x)


@asin.def_grad
def _asin_grad(op, grad):
    x = _conj(op.inputs[0])
    return grad * rsqrt(1 - x * x)


@defop("Acos", dtypes=INEXACT)
def acos(x):
    """Inverse cosine."""
    return np.arccos(x)


@acos.def_grad
def _acos_grad(op, grad):
    x = _conj(op.inputs[0])
    return -grad * rsqrt(1 - x * x)


@defop("Atan", dtypes=INEXACT)
def atan(x):
    """Inverse tangent."""
    return np.arctan(x)


@atan.def_grad
def _atan_grad(op, grad):
    x = _conj(op.inputs[0])
    return grad * reciprocal(1 + x * x)


@defop("Sinh", dtypes=INEXACT)
def sinh(x):
    """Hyperbolic sine."""
    return np.sinh(x)


@sinh.def_grad
def _sinh_grad(op, grad):
    return grad * cosh(_conj(op.inputs[0]))


@defop("Cosh", dtypes=INEXACT)
def cosh(x):
    """Hyperbolic cosine."""
    return np.cosh(x)


@cosh.def_grad
def _cosh_grad(op, grad):
    return grad * sinh(_conj(op.inputs[0]))


@defop("Asinh", dtypes=INEXACT)
def asinh(x):
    """Inverse hyperbolic sine."""
    return np.arcsinh(x)


@asinh.def_grad
def _asinh_grad(op, grad):
    """1/sqrt(x**2+1) = 1/cosh(asinh(x)), from the output as TF."""
    return grad / cosh(_conj(op.outputs[0]))


@defop("Acosh", dtypes=INEXACT)
def acosh(x):
    """Inverse hyperbolic cosine."""
    return np.arccosh(x)


@acosh.def_grad
def _acosh_grad(op, grad):
    """1/sqrt(x**2-1) = 1/sinh(acosh(x))."""
    return grad / sinh(_conj(op.outputs[0]))


@defop("Atanh", dtypes=INEXACT)
def atanh(x):
    """Inverse hyperbolic tangent."""
    return np.arctanh(x)


@atanh.def_grad
def _atanh_grad(op, grad):
    x = _conj(op.inputs[0])
    return grad * reciprocal(1 - x * x)


# -- special functions (scipy.special, or the NumPy fallbacks of _special_np.py) --------------

@defop("Erf", dtypes=FLOATS)
def erf(x):
    """Gauss error function."""
    out = _sp.erf(x) if _sp is not None else _by_element(_math.erf, x)
    return out.astype(x.dtype, copy=False)


@erf.def_grad
def _erf_grad(op, grad):
    x = op.inputs[0]
    return grad * (_2_OVER_SQRT_PI * exp(-square(x)))


@defop("Erfc", dtypes=FLOATS)
def erfc(x):
    """Complementary error function 1 - erf(x), accurate for large x."""
    out = _sp.erfc(x) if _sp is not None else _by_element(_math.erfc, x)
    return out.astype(x.dtype, copy=False)


@erfc.def_grad
def _erfc_grad(op, grad):
    x = op.inputs[0]
    return grad * (-_2_OVER_SQRT_PI * exp(-square(x)))


@defop("Lgamma", dtypes=FLOATS)
def lgamma(x):
    """log|Gamma(x)|; +inf at the poles and at -inf, as TF."""
    if _sp is not None:
        out = _sp.gammaln(x)
        out = np.where(out == -np.inf, np.inf, out)  # scipy says -inf at x = -inf
    else:
        out = _by_element(_lgamma1, x)
    return out.astype(x.dtype, copy=False)


@lgamma.def_grad
def _lgamma_grad(op, grad):
    return grad * digamma(op.inputs[0])


@defop("Digamma", dtypes=FLOATS)
def digamma(x):
    """Logarithmic derivative of Gamma; NaN at the poles 0, -1, -2 ... as TF."""
    if _sp is not None:
        out = _sp.psi(x)
        out = np.where((x <= 0) & (x == np.floor(x)), np.nan, out)
    else:
        out = _digamma_np(x)
    return out.astype(x.dtype, copy=False)


@digamma.def_grad
def _digamma_grad(op, grad):
    """d digamma = polygamma(1, x) (trigamma)."""
    x = op.inputs[0]
    return grad * _polygamma(_ones_like(x), x)


@defop("Polygamma", dtypes=_dt.FLOATS - {_dt.float16})
def _polygamma(a, x):
    """n-th derivative of digamma; NaN unless n is a non-negative integer (TF's Polygamma)."""
    a, x = np.broadcast_arrays(a, x)
    n = np.where((a >= 0) & (a == np.floor(a)), a, np.nan)
    with np.errstate(all="ignore"):
        zeta = _sp.zeta if _sp is not None else _zeta_np
        fact = _sp.gamma(n + 1) if _sp is not None else _by_element(_gamma1, n + 1)
        sgn = np.where(n % 2 == 1, 1.0, -1.0)  # (-1)**(n+1)
        out = sgn * fact * zeta(n + 1, x)
        out = np.where(n == 0, digamma.forward(x) if x.size else x, out)
    return np.asarray(out, x.dtype)


@_polygamma.def_grad
def _polygamma_grad(op, grad):
    """The order gets no gradient; d/dx polygamma(n, x) = polygamma(n+1, x)."""
    a, x = op.inputs
    return None, grad * _polygamma(a + 1, x)


def polygamma(a, x, name=None):
    """The a-th derivative of digamma at x (a a non-negative integer, given as a float)."""
    from .math_ops import _pair
    return _polygamma(*_pair(a, x))


def _ones_like(x):
    return Tensor(np.ones(x._value.shape, x._dtype._np), x._dtype)


# -- rounding (TF's rules return None) and tests (TF has no gradient entry) --------------------

@defop("Floor", dtypes=FLOATS, differentiable=False)
def floor(x):
    """Largest integer not greater than x."""
    return np.floor(x)


@defop("Ceil", dtypes=FLOATS, differentiable=False)
def ceil(x):
    """Smallest integer not less than x."""
    return np.ceil(x)


@defop("Round", dtypes=INEXACT, differentiable=False)
def _round(x):
    if x.dtype.kind == "c":
        raise _no_kernel("Round", x)
    return np.round(x)  # half to even


def round(x, name=None):  # noqa: A001 - TF's public name
    """Rounds to the nearest integer, halves to even (banker's rounding); ints unchanged."""
    x = convert_to_tensor(x)
    if x._dtype.is_integer:
        return x
    return _round(x)


@defop("Rint", dtypes=FLOATS, differentiable=False)
def rint(x):
    """Nearest integer, halves to even."""
    if x.dtype == np.float16:
        raise _no_kernel("Rint", x)
    return np.rint(x)


@defop("IsNan", dtypes=FLOATS, differentiable="lookup_error")
def is_nan(x):
    """True where x is NaN."""
    return np.isnan(x)


@defop("IsFinite", dtypes=FLOATS, differentiable="lookup_error")
def is_finite(x):
    """True where x is neither infinite nor NaN."""
    return np.isfinite(x)


@defop("IsInf", dtypes=FLOATS, differentiable="lookup_error")
def is_inf(x):
    """True where x is +inf or -inf."""
    return np.isinf(x)


@defop("Imag", dtypes=_dt.COMPLEX, same_dtype=False)
def _imag(x):
    return np.imag(x)


@_imag.def_grad
def _imag_grad(op, grad):
    """d imag(z): the upstream real gradient becomes an imaginary one, complex(0, grad)."""
    dt = op.inputs[0]._dtype
    return _cast(grad, dtype=dt) * Tensor(np.asarray(1j, dt._np), dt)


def imag(input, name=None):  # noqa: A002 - TF's public name
    """Imaginary part of a complex tensor; zeros (same dtype) for a real one."""
    x = convert_to_tensor(input)
    if x._dtype.is_complex:
        return _imag(x)
    from .creation_ops import zeros_like
    return zeros_like(x)
