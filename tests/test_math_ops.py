"""Behaviour of the elementwise math ops (unary_ops.py, binary_ops.py): forward values and
dtypes, TF's exception types, and the None / zeros / LookupError gradient outcomes.

Reference numbers marked "TF" were produced by TensorFlow 2.21 on the same inputs.
"""
import math

import numpy as np
import pytest

import tapegrad as tf
from tapegrad.ops import unary_ops
from tapegrad.ops.math_ops import select  # tf.where's primitive

M = tf.math
NAN, INF = np.nan, np.inf


def grads(f, *xs, dtype=None):
    ts = [tf.constant(x, dtype=dtype) for x in xs]
    with tf.GradientTape(persistent=True) as tape:
        for t in ts:
            tape.watch(t)
        y = f(*ts)
    return y, tape.gradient(y, ts)


def close(a, b, **kw):
    np.testing.assert_allclose(np.asarray(a), np.asarray(b), equal_nan=True, **kw)


@pytest.fixture(params=["scipy", "numpy"])
def special_path(request, monkeypatch):
    """Run a test with scipy.special and again with the pure-NumPy fallbacks."""
    if request.param == "numpy":
        monkeypatch.setattr(unary_ops, "_sp", None)
    elif unary_ops._sp is None:
        pytest.skip("scipy is not installed")
    return request.param


# -- forward values and dtypes ------------------------------------------------------------------

X = np.array([1.5, -2.5, 3.7, 0.0, 0.3, -0.6])
NUMPY_REF = [
    ("abs", np.abs, X), ("sign", np.sign, X), ("rsqrt", lambda v: 1 / np.sqrt(v), np.abs(X) + .2),
    ("expm1", np.expm1, X), ("log1p", np.log1p, np.abs(X)), ("sin", np.sin, X), ("cos", np.cos, X),
    ("tan", np.tan, X), ("asin", np.arcsin, X / 4), ("acos", np.arccos, X / 4),
    ("atan", np.arctan, X), ("sinh", np.sinh, X), ("cosh", np.cosh, X),
    ("asinh", np.arcsinh, X), ("acosh", np.arccosh, np.abs(X) + 1.1),
    ("atanh", np.arctanh, X / 4), ("sigmoid", lambda v: 1 / (1 + np.exp(-v)), X),
    ("softplus", lambda v: np.log1p(np.exp(v)), X), ("softsign", lambda v: v / (1 + np.abs(v)), X),
    ("erf", np.vectorize(math.erf), X), ("erfc", np.vectorize(math.erfc), X),
    ("lgamma", np.vectorize(math.lgamma), X + 0.1), ("reciprocal", lambda v: 1 / v, X + 0.1),
    ("floor", np.floor, X), ("ceil", np.ceil, X), ("round", np.round, X), ("rint", np.rint, X),
]


@pytest.mark.parametrize("name,ref,x", NUMPY_REF, ids=[r[0] for r in NUMPY_REF])
@pytest.mark.parametrize("dtype", [tf.float32, tf.float64])
def test_unary_forward_matches_numpy(name, ref, x, dtype):
    y = getattr(M, name)(tf.constant(x, dtype))
    assert y.dtype == dtype
    close(y, ref(x), rtol=1e-6 if dtype == tf.float32 else 1e-12, atol=1e-7)


def test_float16_keeps_its_dtype(special_path):
    x = tf.constant([0.5, 1.5], tf.float16)
    for name in ("erf", "erfc", "lgamma", "digamma", "sigmoid", "softplus", "rsqrt"):
        assert getattr(M, name)(x).dtype == tf.float16, name
    close(M.lgamma(x), [0.5724, -0.1208], rtol=2e-3)


@pytest.mark.parametrize("name", ["sin", "rsqrt", "sigmoid", "softplus", "erf", "lgamma",
                                  "floor", "is_nan", "atanh"])
def test_integer_input_is_invalid_argument(name):
    with pytest.raises(tf.errors.InvalidArgumentError, match="attr 'T' of int32"):
        getattr(M, name)(tf.constant([1, 2]))


def test_dtypes_tf_lists_without_a_kernel_raise_not_found():
    with pytest.raises(tf.errors.NotFoundError, match="Reciprocal"):
        M.reciprocal(tf.constant([1, 2]))
    with pytest.raises(tf.errors.NotFoundError, match="Rint"):
        M.rint(tf.constant([1.5], tf.float16))
    with pytest.raises(tf.errors.NotFoundError, match="Round"):
        M.round(tf.constant([1.5 + 1j]))
    with pytest.raises(tf.errors.InvalidArgumentError):
        M.abs(tf.constant([1], tf.uint8))
    with pytest.raises(tf.errors.InvalidArgumentError):
        M.softplus(tf.constant([1j]))


def test_abs_and_sign_dtypes():
    assert M.abs(tf.constant([-1, 2])).numpy().tolist() == [1, 2]
    assert M.abs(tf.constant([-128], tf.int8)).numpy().tolist() == [-128]  # wraps, as TF
    assert M.abs([-1, 2]).dtype == tf.int32
    a = M.abs(tf.constant([3 + 4j, 0j]))
    assert a.dtype == tf.float64 and a.numpy().tolist() == [5.0, 0.0]
    assert M.abs(tf.constant([3 + 4j], tf.complex64)).dtype == tf.float32
    assert M.sign(tf.constant([-3, 0, 2], tf.int16)).numpy().tolist() == [-1, 0, 1]
    close(M.sign(tf.constant([NAN, -0.0, 0.0, -2.0])), [NAN, 0, 0, -1])
    s = M.sign(tf.constant([3 + 4j, 0j]))
    assert s.dtype == tf.complex128
    close(s, [0.6 + 0.8j, 0])


def test_python_abs_builtin():
    assert abs(tf.constant([-1.5, 2.0])).numpy().tolist() == [1.5, 2.0]
    assert abs(tf.constant([-3])).numpy().tolist() == [3]
    assert abs(tf.constant([3 + 4j])).numpy().tolist() == [5.0]
    v = tf.Variable([-2.0, 1.0])
    assert abs(v).numpy().tolist() == [2.0, 1.0]
    with tf.GradientTape() as tape:
        y = abs(v) * 3.0
    assert tape.gradient(y, v).numpy().tolist() == [-3.0, 3.0]


def test_rounding_is_bankers_and_ints_pass_through():
    x = tf.constant([0.5, 1.5, 2.5, -0.5, -1.5, -2.5, 2.4999, -2.7])
    want = [0.0, 2.0, 2.0, -0.0, -2.0, -2.0, 2.0, -3.0]
    assert M.round(x).numpy().tolist() == want
    assert M.rint(x).numpy().tolist() == want
    i = tf.constant([1, 2])
    assert M.round(i) is i
    assert M.round(tf.constant([7], tf.uint8)).dtype == tf.uint8
    assert M.floor(x).numpy().tolist() == [0, 1, 2, -1, -2, -3, 2, -3]
    assert M.ceil(x).numpy().tolist() == [1, 2, 3, -0.0, -1, -2, 3, -2]


def test_is_nan_finite_inf():
    x = tf.constant([NAN, 1.0, INF, -INF])
    assert M.is_nan(x).numpy().tolist() == [True, False, False, False]
    assert M.is_finite(x).numpy().tolist() == [False, True, False, False]
    assert M.is_inf(x).numpy().tolist() == [False, False, True, True]
    assert M.is_nan(x).dtype == tf.bool


def test_imag():
    y = M.imag(tf.constant([3 + 4j]))
    assert y.dtype == tf.float64 and y.numpy().tolist() == [4.0]
    assert M.imag(tf.constant([1 + 2j], tf.complex64)).dtype == tf.float32
    z = M.imag(tf.constant([3.0, 4.0]))
    assert z.dtype == tf.float32 and z.numpy().tolist() == [0.0, 0.0]
    assert M.imag(tf.constant([True])).dtype == tf.bool
    assert M.imag(3 + 4j).numpy() == 4.0


def test_sigmoid_softplus_are_stable():
    x32 = tf.constant([-100.0, -20.0, 0.0, 20.0, 100.0, INF, -INF])
    close(M.sigmoid(x32), [0, 2.0611537e-09, 0.5, 1, 1, 1, 0], rtol=1e-6)  # TF
    sp = M.softplus(tf.constant([-100.0, -20.0, -15.0, 0.0, 15.0, 100.0]))
    close(sp, [0, 2.0611537e-09, 3.0590232e-07, 0.6931472, 15.0, 100.0], rtol=1e-6,
          atol=1e-40)  # TF (which flushes the denormal exp(-100) to 0)
    sp64 = M.softplus(tf.constant([-800.0, -40.0, 0.0, 40.0, 800.0], tf.float64))
    close(sp64, [0, 4.24835426e-18, 0.693147181, 40.0, 800.0], rtol=1e-8)  # TF
    y, (g,) = grads(M.softplus, [100.0, -100.0])
    assert g.numpy().tolist() == [1.0, 0.0]
    y, (g,) = grads(M.sigmoid, [100.0, -100.0])
    assert g.numpy().tolist() == [0.0, 0.0]


# -- special functions: poles and limits as TF, on both implementations -----------------------

def test_lgamma_special_values(special_path):
    x = tf.constant([0.0, -1.0, -2.5, 0.5, INF, -INF, NAN, 1e-30, -0.0], tf.float64)
    close(M.lgamma(x), [INF, INF, -5.62437165e-02, 5.72364943e-01, INF, INF, NAN,
                        6.90775528e+01, INF], rtol=1e-8)  # TF


def test_digamma_special_values(special_path):
    x = tf.constant([0.0, -1.0, -2.5, 0.5, INF, -INF, NAN, 1e-30, -0.0, 1e20], tf.float64)
    close(M.digamma(x), [NAN, NAN, 1.10315664, -1.96351003, INF, NAN, NAN, -1e30, NAN,
                         46.0517019], rtol=1e-8)  # TF


def test_polygamma_special_values(special_path):
    a = tf.constant([1.0, 1, 1, 1, 2, 0, 1.5, -1], tf.float64)
    x = tf.constant([0.0, -1.0, -2.5, 0.5, 3.0, 2.0, 2.0, 2.0], tf.float64)
    close(M.polygamma(a, x), [INF, INF, 9.53924664, 4.9348022, -0.15411381, 0.42278434, NAN,
                              NAN], rtol=1e-7)  # TF
    close(M.polygamma(1.0, tf.constant([1.0, 2.0])), [1.644934, 0.6449341], rtol=1e-6)
    big = M.polygamma(tf.constant([200.0, 1.0], tf.float64), tf.constant([2.0, -1000.5],
                                                                         tf.float64))
    close(big, [-INF, 9.8686054], rtol=1e-7)  # TF
    with pytest.raises(tf.errors.InvalidArgumentError):
        M.polygamma(tf.constant([1.0], tf.float16), tf.constant([1.0], tf.float16))


def test_erf_erfc_values(special_path):
    x = tf.constant([0.0, 1.0, -INF, NAN, 30.0])
    close(M.erf(x), [0, 0.84270084, -1, NAN, 1], rtol=1e-6)  # TF
    close(M.erfc(x), [1, 0.15729922, 2, NAN, 0], rtol=1e-6)  # TF


def test_numpy_fallbacks_agree_with_scipy():
    sp = pytest.importorskip("scipy.special")
    x = np.concatenate([np.linspace(-7.9, 12, 311), [1e-8, 0.25, 55.5, 1e4]])
    x = x[np.abs(x - np.round(x)) > 1e-3]
    close(unary_ops._digamma_np(x), sp.psi(x), rtol=1e-11, atol=1e-12)
    close(unary_ops._by_element(unary_ops._lgamma1, x), sp.gammaln(x), rtol=1e-12, atol=1e-12)
    close(unary_ops._by_element(math.erf, x), sp.erf(x), rtol=1e-13)
    for n in (1, 2, 3, 5):
        close(unary_ops._zeta_np(n + 1.0, x), sp.zeta(n + 1.0, x), rtol=1e-10)


# -- gradient outcomes (tf_semantics.md section 3) ----------------------------------------------

def test_abs_gradient_is_zero_at_zero():
    _, (g,) = grads(M.abs, [1.5, -2.5, 3.7, 0.0])
    assert g.numpy().tolist() == [1.0, -1.0, 1.0, 0.0]
    _, (g,) = grads(M.abs, [3 + 4j, 0j])
    close(g, [0.6 + 0.8j, 0])  # TF


def test_sign_gradient_is_zeros_not_none():
    x = tf.constant([1.5, -2.5, 0.0])
    with tf.GradientTape() as outer:
        outer.watch(x)
        with tf.GradientTape() as inner:
            inner.watch(x)
            y = M.sign(x)
        g = inner.gradient(y, x)
    assert g is not None and g.numpy().tolist() == [0.0, 0.0, 0.0]
    assert outer.gradient(g, x) is None  # the zeros are a constant, as TF's zeros_like
    _, (gc,) = grads(M.sign, [1 + 2j])
    close(gc, [0.35777087639996635 - 0.17888543819998315j])  # TF


@pytest.mark.parametrize("name", ["floor", "ceil", "round", "rint"])
def test_rounding_gradients_are_none(name):
    _, (g,) = grads(getattr(M, name), [1.5, -2.5])
    assert g is None


@pytest.mark.parametrize("name,op_type", [("is_nan", "IsNan"), ("is_finite", "IsFinite"),
                                          ("is_inf", "IsInf")])
def test_is_nan_family_raises_lookup_error(name, op_type):
    x = tf.constant([1.5, -2.5, NAN])
    with tf.GradientTape(persistent=True) as tape:
        tape.watch(x)
        b = getattr(M, name)(x)
        y = tf.cast(b, tf.float32)
    with pytest.raises(LookupError, match=f"no entry for: {op_type}"):
        tape.gradient(b, x)  # TF seeds the bool target and finds no rule
    assert tape.gradient(y, x) is None  # TF: Cast from bool stops the walk before IsNan
    # only the path to the target matters: through select's branches the gradient flows
    _, (g,) = grads(lambda v: select(M.is_finite(v), v, tf.zeros_like(v)), [1.5, INF])
    assert g.numpy().tolist() == [1.0, 0.0]


def test_softsign_second_derivative_raises_lookup_error():
    x = tf.constant([0.0, 1.0])
    with tf.GradientTape() as outer:
        outer.watch(x)
        with tf.GradientTape() as inner:
            inner.watch(x)
            y = M.softsign(x)
        g = inner.gradient(y, x)
    assert g.numpy().tolist() == [1.0, 0.25]
    with pytest.raises(LookupError, match="SoftsignGrad"):
        outer.gradient(g, x)


def test_maximum_minimum_ties_go_to_first_argument():
    a, b = [1.0, 1.0, 0.5], [1.0, 0.0, 1.0]
    _, (ga, gb) = grads(M.maximum, a, b)
    assert ga.numpy().tolist() == [1, 1, 0] and gb.numpy().tolist() == [0, 0, 1]
    _, (ga, gb) = grads(M.minimum, a, b)
    assert ga.numpy().tolist() == [1, 0, 1] and gb.numpy().tolist() == [0, 1, 0]
    y, (ga, gb) = grads(M.maximum, [NAN, 1.0], [1.0, NAN])
    close(y, [NAN, NAN])
    assert ga.numpy().tolist() == [0, 0] and gb.numpy().tolist() == [1, 1]  # TF
    # broadcasting: the engine sums each gradient back to its input's shape
    _, (ga, gb) = grads(M.maximum, [0.7, -1.2, 2.0], [[1.3], [0.4]])
    assert ga.numpy().tolist() == [1, 0, 2] and gb.numpy().tolist() == [[2], [1]]


def test_maximum_mixed_scalars_and_errors():
    assert M.maximum(tf.constant([1, 5]), 3).numpy().tolist() == [3, 5]
    assert M.maximum(3.0, tf.constant([1.0, 5.0])).dtype == tf.float32
    with pytest.raises(tf.errors.InvalidArgumentError, match="Incompatible shapes"):
        M.maximum(tf.ones([2]), tf.ones([3]))
    with pytest.raises(tf.errors.InvalidArgumentError, match="double tensor"):
        M.minimum(tf.ones([2]), tf.ones([2], tf.float64))


def test_zero_guarded_ops_values_and_gradients():
    x = [0.0, 0.0, 0.0, 1.0, 2.0]
    y = [0.0, 1.0, -1.0, 0.0, 3.0]
    v, (gx, gy) = grads(M.xlogy, x, y)
    close(v, [0, 0, 0, -INF, 2.1972246], rtol=1e-6)  # TF
    close(gx, [0, 0, 0, -INF, 1.0986123], rtol=1e-6)
    close(gy, [0, 0, 0, INF, 0.6666667], rtol=1e-6)
    v, (gx, gy) = grads(M.xdivy, x, y)
    close(v, [0, 0, 0, INF, 0.6666667], rtol=1e-6)  # TF
    close(gx, [0, 0, 0, INF, 0.3333333], rtol=1e-6)
    close(gy, [0, 0, 0, -INF, -0.2222222], rtol=1e-6)
    v, (gx, gy) = grads(M.divide_no_nan, [0.0, 1.0, 1.0, 2.0], [0.0, 0.0, 2.0, 3.0])
    close(v, [0, 0, 0.5, 0.6666667], rtol=1e-6)  # TF
    close(gx, [0, 0, 0.5, 0.3333333], rtol=1e-6)
    close(gy, [0, 0, -0.25, -0.2222222], rtol=1e-6)
    v, (gx, gy) = grads(M.multiply_no_nan, [0.0, NAN, INF, 2.0], [0.0, 0.0, 0.0, 3.0])
    close(v, [0, 0, 0, 6])  # TF
    close(gx, [0, 0, 0, 3])
    close(gy, [0, NAN, INF, 2])  # d/dy = x where the upstream is nonzero, as TF
    _, (gx, gy) = grads(lambda a, b: M.multiply_no_nan(a, b) * [0.0, 1, 1, 1],
                        [5.0, 1, 1, 2], [0.0, 0, 0, 3])
    close(gy, [0, 1, 1, 2])  # TF: 0 where the upstream gradient is 0


def test_divide_no_nan_of_one_over_x_at_zero():
    _, (g,) = grads(lambda x: M.divide_no_nan(1.0, x), [0.0, 2.0])
    assert g.numpy().tolist() == [0.0, -0.25]


def test_masked_reciprocal_and_rsqrt_have_no_nan_gradient():
    f = lambda x: (select(x > 0, M.reciprocal(x), tf.zeros_like(x))  # noqa: E731
                   + select(x > 0, M.rsqrt(x), tf.zeros_like(x)))
    _, (g,) = grads(f, [0.0, 1.0])
    assert g.numpy().tolist() == [0.0, -1.5]  # TF


def test_complex_gradients_follow_tf():
    z, w = [1 + 2j], [2 + 1j]
    _, (gx, gy) = grads(M.xlogy, z, w)
    close(gx, [0.8047189562170503 + 0.4636476090008061j])  # TF (no conjugate)
    close(gy, [0.8 + 0.6j])
    _, (gx, gy) = grads(M.xdivy, z, w)
    close(gx, [0.4 - 0.2j])
    close(gy, [-0.44 - 0.08j])
    _, (gx, gy) = grads(M.divide_no_nan, z, w)
    close(gx, [0.4 + 0.2j])  # conjugated
    close(gy, [-0.44 + 0.08j])
    _, (gx, gy) = grads(M.multiply_no_nan, z, w)
    close(gx, [2 + 1j])
    close(gy, [1 + 2j])
    _, (g,) = grads(M.cumprod, [1 + 2j, 2 + 1j])
    close(g, [3 + 1j, 1 + 2j])
    _, (gx, gy) = grads(M.squared_difference, [1 + 2j], [0.5 + 0j])
    close(gx, [1 + 4j])
    _, (g,) = grads(lambda x: M.imag(x) * 3.0, [1 + 2j])
    close(g, [3j])
    _, (g,) = grads(M.sigmoid, [1 + 2j])
    close(g, [0.14088880756994154 + 0.4207182797053216j])
    _, (g,) = grads(M.rsqrt, [1 + 2j])
    close(g, [0.013429068750250267 - 0.14893065462657093j])
    _, (g,) = grads(M.sin, [1 + 2j])
    close(g, [2.0327230070196656 + 3.0518977991518j])


def test_complex_second_order_follows_tf():
    """TF's fused SigmoidGrad/RsqrtGrad/ReciprocalGrad conjugation at second order."""
    z = tf.constant([1 + 2j, -0.5 + 0.3j])
    want = {"sigmoid": [0.4455022677 - 1.2978404628j, 0.4387122013 + 0.0039598892j],
            "rsqrt": [-0.1397724862 - 0.1501524717j, 0.0290912118 + 0.5309384948j],
            "reciprocal": [0.128 - 0.384j, -6.0451862406 - 4.8849989823j]}
    for name, ref in want.items():
        with tf.GradientTape() as outer:
            outer.watch(z)
            with tf.GradientTape() as inner:
                inner.watch(z)
                y = getattr(M, name)(z) * M.conj(z)
            s = tf.reduce_sum(inner.gradient(y, z))
        close(outer.gradient(s, z), ref, rtol=1e-8, err_msg=name)


# -- add_n --------------------------------------------------------------------------------------

def test_add_n():
    a, b = tf.constant([1.0, 2.0]), tf.constant([3.0, 4.0])
    assert M.add_n([a, b, a]).numpy().tolist() == [5.0, 8.0]
    assert M.add_n([a]) is a
    assert M.add_n([[1.0, 2.0], [3.0, 4.0]]).numpy().tolist() == [4.0, 6.0]
    assert M.add_n([1, 2]).dtype == tf.int32
    assert M.add_n([np.ones(2), np.ones(2)]).dtype == tf.float64
    assert M.add_n(v for v in [a, b]).numpy().tolist() == [4.0, 6.0]
    assert M.add_n([tf.Variable([1.0]), tf.constant([2.0])]).numpy().tolist() == [3.0]
    assert tf.add_n([a, a]).numpy().tolist() == [2.0, 4.0]
    _, (ga, gb) = grads(lambda x, y: M.add_n([x, y, x, x * y]), [1.0, 2.0], [3.0, 4.0])
    assert ga.numpy().tolist() == [5.0, 6.0] and gb.numpy().tolist() == [2.0, 3.0]


def test_add_n_errors():
    with pytest.raises(tf.errors.InvalidArgumentError, match=r"same size and shape.*\[2\]"):
        M.add_n([tf.ones([2]), tf.ones([3])])
    with pytest.raises(tf.errors.InvalidArgumentError, match="same size and shape"):
        M.add_n([tf.ones([2, 3]), tf.ones([3])])  # no broadcasting
    with pytest.raises(tf.errors.InvalidArgumentError, match="AddN"):
        M.add_n([tf.ones([2]), tf.ones([2], tf.float64)])
    with pytest.raises(ValueError, match="at least one"):
        M.add_n([])
    with pytest.raises(TypeError):
        M.add_n(None)
    with pytest.raises(tf.errors.InvalidArgumentError):
        M.add_n([tf.constant([True]), tf.constant([False])])


# -- divide_no_nan / multiply_no_nan conversions ------------------------------------------------

def test_no_nan_conversions():
    assert M.divide_no_nan(1, tf.constant([2.0])).dtype == tf.float32
    assert M.divide_no_nan(1.0, tf.constant([2.0], tf.float64)).dtype == tf.float64
    r = M.divide_no_nan([1, 2], [0, 4])
    assert r.dtype == tf.float64 and r.numpy().tolist() == [0.0, 0.5]
    assert M.divide_no_nan(tf.constant([1, 2], tf.uint8), tf.constant([0, 4], tf.uint8)).dtype \
        == tf.float32
    with pytest.raises(TypeError, match="same dtype"):
        M.divide_no_nan(tf.constant([1.0]), tf.constant([1.0], tf.float64))
    with pytest.raises(TypeError, match="Invalid dtype tf.bool"):
        M.divide_no_nan(tf.constant([True]), tf.constant([True]))
    with pytest.raises(tf.errors.InvalidArgumentError, match="Incompatible shapes"):
        M.divide_no_nan(tf.ones([2]), tf.ones([3]))
    assert M.multiply_no_nan(tf.constant([2.0]), 1).numpy().tolist() == [2.0]
    with pytest.raises(ValueError):
        M.multiply_no_nan(1, tf.constant([2.0]))
    with pytest.raises(ValueError):
        M.multiply_no_nan(tf.constant([1.0]), tf.constant([1.0], tf.float64))
    with pytest.raises(tf.errors.InvalidArgumentError):
        M.multiply_no_nan(tf.constant([2]), tf.constant([2]))


def test_binary_dtype_policies():
    assert M.squared_difference(tf.constant([1, 4]), tf.constant([3, 1])).numpy().tolist() == [4, 9]
    assert M.squared_difference(tf.constant([1 + 2j]), tf.constant([0j])).numpy().tolist() == [5]
    with pytest.raises(tf.errors.InvalidArgumentError):
        M.squared_difference(tf.constant([1], tf.int16), tf.constant([1], tf.int16))
    with pytest.raises(tf.errors.InvalidArgumentError):
        M.atan2(tf.constant([1]), tf.constant([1]))
    assert M.atan2(1.0, tf.constant([2.0], tf.float64)).dtype == tf.float64
    close(M.atan2(tf.constant([0.0, 0.0, -0.0]), tf.constant([0.0, -1.0, -1.0])),
          [0, np.pi, -np.pi], rtol=1e-6)
    _, (gy, gx) = grads(M.atan2, [0.0, 1.0], [0.0, 2.0])
    close(gy, [NAN, 0.4], rtol=1e-6)  # TF: 0/0 at the origin
    close(gx, [NAN, -0.2], rtol=1e-6)
    assert M.maximum(tf.constant([1], tf.uint16), tf.constant([2], tf.uint16)).dtype == tf.uint16
    with pytest.raises(tf.errors.InvalidArgumentError):
        M.maximum(tf.constant([1j]), tf.constant([1j]))


# -- cumsum / cumprod ---------------------------------------------------------------------------

def test_cumsum_cumprod_forward():
    x = tf.constant([[1.0, 2, 3], [4, 5, 6]])
    assert M.cumsum(x, axis=1).numpy().tolist() == [[1, 3, 6], [4, 9, 15]]
    assert M.cumsum(x, axis=-1, exclusive=True, reverse=True).numpy().tolist() == \
        [[5, 3, 0], [11, 6, 0]]
    assert M.cumprod(x, axis=1, exclusive=True, reverse=True).numpy().tolist() == \
        [[6, 3, 1], [30, 6, 1]]
    assert M.cumprod(x, axis=0, exclusive=True).numpy().tolist() == [[1, 1, 1], [1, 2, 3]]
    assert M.cumsum(x, axis=tf.constant(1)).numpy().tolist() == [[1, 3, 6], [4, 9, 15]]
    assert M.cumsum(x, axis=np.int64(1)).numpy()[1].tolist() == [4, 9, 15]
    ints = M.cumsum([1, 2, 3])
    assert ints.dtype == tf.int32 and ints.numpy().tolist() == [1, 3, 6]
    u8 = M.cumsum(tf.constant([200, 100], tf.uint8))
    assert u8.dtype == tf.uint8 and u8.numpy().tolist() == [200, 44]  # wraps, as TF
    assert M.cumsum(tf.zeros([2, 0]), axis=1, exclusive=True).shape == (2, 0)
    assert M.cumprod(tf.zeros([0, 3]), axis=1, exclusive=True, reverse=True).shape == (0, 3)
    assert tf.cumsum(tf.constant([1.0, 2.0])).numpy().tolist() == [1.0, 3.0]
    close(M.cumprod(tf.constant([1 + 2j, 2 + 1j])), [1 + 2j, 5j])


def test_scan_axis_errors():
    for f in (M.cumsum, M.cumprod):
        with pytest.raises(tf.errors.InvalidArgumentError, match=r"range \[0, 0\), but got 0"):
            f(tf.constant(1.0))
        with pytest.raises(tf.errors.InvalidArgumentError, match=r"range \[-2, 2\), but got 2"):
            f(tf.ones([2, 3]), axis=2)
        with pytest.raises(tf.errors.InvalidArgumentError, match="axis must be a scalar"):
            f(tf.ones([2, 3]), axis=[1])
        with pytest.raises(TypeError):
            f(tf.ones([2, 3]), axis=1.0)
        with pytest.raises(tf.errors.InvalidArgumentError, match="attr 'T' of bool"):
            f(tf.constant([True]))


def test_cumsum_gradients():
    w = np.arange(1.0, 9.0).reshape(2, 4)
    x = [[2.0, 0.0, 3.0, 1.5], [0.5, -1.0, 2.0, 0.0]]
    _, (g,) = grads(lambda v: M.cumsum(v, axis=1, exclusive=True, reverse=True) * w, x)
    assert g.numpy().tolist() == [[0, 1, 3, 6], [0, 5, 11, 18]]  # TF
    _, (g,) = grads(lambda v: M.cumsum(v, axis=0) * w, x)
    assert g.numpy().tolist() == [[6, 8, 10, 12], [5, 6, 7, 8]]


def test_cumprod_gradient_matches_tf_with_and_without_zeros():
    _, (g,) = grads(lambda v: M.cumprod(v, exclusive=True, reverse=True) * [1.0, 2.0, 3.0],
                    [2.0, 4.0, 3.0])
    assert g.numpy().tolist() == [0.0, 3.0, 6.0]  # exact where no input is 0
    # At a zero input TF's rule divides by x with div_no_nan: 0 there (the true value is 8).
    _, (g,) = grads(M.cumprod, [2.0, 0.0, 3.0])
    assert g.numpy().tolist() == [1.0, 0.0, 0.0]  # TF
    _, (g,) = grads(lambda v: M.cumprod(v, reverse=True), [2.0, 0.0, 3.0])
    assert g.numpy().tolist() == [0.0, 0.0, 1.0]  # TF
    w = np.arange(1.0, 9.0).reshape(2, 4)
    _, (g,) = grads(lambda v: M.cumprod(v, axis=1) * w, [[2.0, 0.0, 3.0, 1.5],
                                                         [0.5, -1.0, 2.0, 0.0]])
    close(g, [[1, 0, 0, 0], [-15, 10, -3.5, 0]])  # TF


# -- namespaces ---------------------------------------------------------------------------------

def test_public_names():
    assert tf.nn.sigmoid is M.sigmoid and tf.sigmoid is M.sigmoid
    assert tf.nn.softplus is M.softplus and tf.nn.softsign is M.softsign
    assert tf.abs is M.abs and tf.round is M.round and tf.cumsum is M.cumsum
    assert M.sigmoid(tf.constant([0.0]), name="s").numpy().tolist() == [0.5]
    for missing in ("cumprod", "imag"):  # TF 2.21 has only tf.math.cumprod / tf.math.imag
        with pytest.raises(AttributeError):
            getattr(tf, missing)
