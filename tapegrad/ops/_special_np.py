"""Pure-NumPy fallbacks of the special functions in unary_ops.py, used when SciPy is absent
(and by tests that compare both)."""
import math as _math

from .._core.backend import xp as np

def _by_element(fn, x):
    """Apply a scalar ``math`` function elementwise (in float64)."""
    x = np.asarray(x, np.float64)
    return np.asarray(np.frompyfunc(fn, 1, 1)(x), np.float64).reshape(x.shape)


def _lgamma1(v):
    try:
        return _math.lgamma(v)
    except ValueError:  # the poles 0, -1, -2 ...
        return _math.inf


def _gamma1(v):
    try:
        return _math.gamma(v)
    except (ValueError, OverflowError):
        return _math.inf if v > 0 else _math.nan


def _digamma_np(x):
    """Reflection for x < 0, recurrence up to x >= 10, then the asymptotic series."""
    x = np.asarray(x, np.float64)
    with np.errstate(all="ignore"):
        neg = x < 0
        y = np.where(neg, 1 - x, x)
        acc = np.where(neg, -np.pi / np.tan(np.pi * x), 0.0)
        for _ in range(10):  # psi(y) = psi(y + 1) - 1/y
            small = y < 10
            if not small.any():
                break
            acc = acc - np.where(small, 1 / y, 0.0)
            y = np.where(small, y + 1, y)
        r = 1 / (y * y)
        series = r * (1 / 12 - r * (1 / 120 - r * (1 / 252 - r * (1 / 240 - r * (1 / 132)))))
        out = np.log(y) - 0.5 / y - series + acc
    return np.where((x <= 0) & (x == np.floor(x)), np.nan, out)


# B_2j / (2j)! for the Euler-Maclaurin tail of the Hurwitz zeta function
_BERNOULLI_OVER_FACT = [1 / 12, -1 / 720, 1 / 30240, -1 / 1209600, 1 / 47900160,
                        -691 / 1307674368000, 1 / 74724249600]


def _zeta_np(s, q):
    """Hurwitz zeta sum_k (q+k)**-s for s > 1: direct terms until q+k >= 10, then the
    Euler-Maclaurin tail. Poles (q a non-positive integer) give inf."""
    s, q = np.broadcast_arrays(np.asarray(s, np.float64), np.asarray(q, np.float64))
    if q.size == 0:
        return np.zeros(q.shape)
    finite = np.isfinite(q)
    shift = int(np.ceil(max(0.0, 10.0 - q[finite].min()))) if finite.any() else 0
    shift = min(shift, 100000)  # beyond this the terms are left out (q below -1e5)
    total = np.zeros(q.shape)
    for k in range(shift):
        total = total + (q + k) ** -s
    a = q + shift
    tail = a ** (1 - s) / (s - 1) + 0.5 * a ** -s
    rising = s            # s (s+1) ... (s+2j-2)
    power = a ** (-s - 1)  # a ** (-s-2j+1)
    for j, c in enumerate(_BERNOULLI_OVER_FACT, start=1):
        tail = tail + c * rising * power
        rising = rising * (s + 2 * j - 1) * (s + 2 * j)
        power = power / (a * a)
    return np.where(s > 1, total + tail, np.nan)
