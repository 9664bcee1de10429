"""tf.function (eager, with TF's input_signature check), tf.config's run-eagerly flag,
tf.TensorSpec, and tf.print's text (captured through ``output_stream="file://..."``, which
both libraries write the same way)."""
import collections
import os
import tempfile

import numpy as np

from .codec import Deliberate, outcome, snippet


def _printed(tf, *calls):
    """The text of ``tf.print(*inputs, **kwargs)`` for each (inputs, kwargs) in ``calls``."""
    out = []
    with tempfile.TemporaryDirectory() as d:
        for i, (inputs, kwargs) in enumerate(calls):
            path = os.path.join(d, f"{i}.txt")
            tf.print(*inputs, output_stream="file://" + path, **kwargs)
            with open(path) as f:
                out.append(f.read())
    return out


def _p(*inputs, **kwargs):
    return inputs, kwargs


# -- tf.print: elements ---------------------------------------------------------------------------

@snippet("print")
def print_float32_digits(tf):
    vals = [1e-8, 123456792.0, 1.5, 2.0, 0.1, 1 / 3, 100.0, 1e6, 1e7, 16777217.0,
            3.4028235e38, 1.17549435e-38, float("nan"), float("inf"), -float("inf")]
    # -tf.constant(0.0), never tf.constant(-0.0): TF caches scalar constants by Python value,
    # and -0.0 == 0.0 would hand that tensor to every later tf.constant(0.0) in the process.
    return _printed(tf, _p(*[tf.constant(v) for v in vals], -tf.constant(0.0)),
                    _p(tf.constant(vals + [-0.0])),
                    _p(tf.constant([[1.5, -2.25], [1e-3, 100]])))


@snippet("print")
def print_float64_and_float16_digits(tf):
    f64 = [2 / 3, 0.1, 1 / 3, 1e300, 1e16, 0.5]
    return _printed(tf, _p(*[tf.constant(v, tf.float64) for v in f64]),
                    _p(tf.constant([0.1, 0.2, 0.3], tf.float64) * 3),
                    _p(tf.constant([65504.0, 0.1, 1 / 3, 1.5], tf.float16)),
                    _p(tf.constant(1e-7, tf.float16)))


@snippet("print")
def print_denormals_and_negative_nan(tf):
    return _printed(tf, _p(tf.constant(-1e-45), tf.constant(5e-324, tf.float64),
                           tf.constant([1e-39, -1e-40]), tf.constant(2e-38)),
                    _p(tf.constant(-np.nan), tf.constant(-np.nan, tf.float64),
                       tf.constant(np.nan, tf.float16)))


@snippet("print")
def print_ints_bools_complex(tf):
    return _printed(tf, _p(tf.constant([-3, 4], tf.int8), tf.constant(3, tf.uint8),
                           tf.constant(5, tf.uint16), tf.constant(-5, tf.int16),
                           tf.constant(7, tf.uint32), tf.constant(2 ** 62, tf.int64),
                           tf.constant(np.arange(5, dtype=np.int64)) - 2),
                    _p(tf.constant(True), tf.constant([True, False]), tf.constant([[True]])),
                    _p(tf.constant(1 + 2j, tf.complex64),
                       tf.constant([1 + 2j, 3j], tf.complex128)))


# -- tf.print: layout and summarize ---------------------------------------------------------------

@snippet("print")
def print_nested_dimensions(tf):
    return _printed(tf, _p(tf.constant([[1, 2], [3, 4]])), _p(tf.zeros((2, 2, 2))),
                    _p(tf.zeros((2, 3, 4, 5))), _p(tf.constant([[1.0]])))


@snippet("print")
def print_summarize(tf):
    r = tf.range(10)
    return _printed(tf, _p(r), _p(tf.range(7)), _p(tf.range(6)), _p(r, summarize=2),
                    _p(r, summarize=-1), _p(r, summarize=0), _p(r, summarize=None),
                    _p(r, summarize=5), _p(r, summarize=True), _p(r, summarize=3.5),
                    _p(tf.reshape(tf.range(100), (10, 10))),
                    _p(tf.reshape(tf.range(24), (2, 3, 4)), summarize=1),
                    _p(tf.zeros((3, 1)), summarize=1), _p(tf.zeros((3, 3, 3)), summarize=1),
                    _p(tf.zeros((7,)), summarize=-5),
                    _p(tf.constant(1), tf.constant([1, 2]), summarize=0))


@snippet("print")
def print_empty_tensors(tf):
    return _printed(tf, _p(tf.constant([], tf.float32)), _p(tf.zeros((2, 0))),
                    _p(tf.zeros((0, 3))), _p(tf.zeros((1, 0, 2))),
                    _p(tf.zeros((0,)), summarize=-1), _p(tf.zeros((2, 0)), summarize=-1))


# -- tf.print: Python values and structures -------------------------------------------------------

@snippet("print")
def print_python_structures(tf):
    nt = collections.namedtuple("NT", "a b")
    t = tf.constant([1.0, 2.0])
    return _printed(tf, _p([1, tf.constant(2)]), _p({"b": tf.constant(1), "a": [t]}),
                    _p((1, tf.constant([1, 2]))), _p(nt(tf.constant(1), 2)),
                    _p(list(range(40)) + [tf.constant(1)]),
                    _p([tf.constant(float(i)) for i in range(30)]),
                    _p([tf.zeros((2, 2))]), _p(("a", "b"), ["x", tf.constant(1)]),
                    _p(t, [1.0, 2.0], 1.0))


@snippet("print")
def print_python_values(tf):
    return _printed(tf, _p("hello", 1, 2 / 3, True, None), _p(np.float32(1.5), np.array([1, 2])),
                    _p(2 ** 70, b"raw", [], (), {}), _p("x\ny"), _p(tf.constant(True), True))


@snippet("print")
def print_sep_end_and_templates(tf):
    one = tf.constant(1)
    return _printed(tf, _p(1, 2, sep=", ", end="!\n"), _p(1, 2, sep=""), _p("x", end=""), _p(),
                    _p("", one, ""), _p("a {} b", one), _p("{}", 5), _p([one], "{}"),
                    _p(tf.constant(1.0), sep="{}"))


@snippet("print")
def print_variables(tf):
    v = tf.Variable([1.0, 2.5])
    return _printed(tf, _p(v), _p([v, tf.Variable(3)]), _p({"v": v}))


@snippet("print")
def print_appends_to_file_and_returns_none(tf):
    with tempfile.TemporaryDirectory() as d:
        path = os.path.join(d, "log.txt")
        first = tf.print("first", output_stream="file://" + path)
        tf.print("second", tf.constant(2), output_stream="file://" + path)
        with open(path) as f:
            return [first, f.read()]


@snippet("print")
def print_argument_errors(tf):
    x = tf.constant(1)
    return [outcome(lambda: tf.print(x, output_stream="stdout")),
            outcome(lambda: tf.print(x, output_stream=None)),
            outcome(lambda: tf.print(x, output_stream=3)),
            outcome(lambda: tf.print(x, foo=2)),
            outcome(lambda: tf.print(tf.range(10), summarize="x")),
            outcome(lambda: tf.print({1: x, "a": 2}))]


@snippet("print", msg=False)
def print_to_missing_directory(tf):
    return outcome(lambda: tf.print("x", output_stream="file:///nonexistent_dir_tapegrad/x"))


# -- tf.config run-eagerly flag -------------------------------------------------------------------

@snippet("function")
def config_run_functions_eagerly_flag(tf):
    out = [tf.config.functions_run_eagerly()]
    try:
        for value in (True, 0, 1, "x", None):
            tf.config.run_functions_eagerly(value)
            out.append(tf.config.functions_run_eagerly())
        tf.config.experimental_run_functions_eagerly(True)
        out.append(tf.config.functions_run_eagerly())
        out.append(tf.config.experimental_functions_run_eagerly())
    finally:
        tf.config.run_functions_eagerly(False)
    return out


# -- tf.function ----------------------------------------------------------------------------------

@snippet("function", deliberate=Deliberate(
    tf=[1, 3], tapegrad=[3, 3],
    why="tapegrad has no graphs: a tf.function's Python body runs on every call, which TF "
        "does only under tf.config.run_functions_eagerly(True) (second count)"))
def function_python_side_effects(tf):
    counts = []
    for eager in (False, True):
        calls = []
        tf.config.run_functions_eagerly(eager)
        try:
            @tf.function
            def f(x):
                calls.append(1)
                return x + 1
            for _ in range(3):
                f(tf.constant(1.0))
        finally:
            tf.config.run_functions_eagerly(False)
        counts.append(len(calls))
    return counts


@snippet("function")
def function_decorator_forms_and_wrapping(tf):
    def f(x):
        """doc of f"""
        return x * 2

    @tf.function()
    def g(x):
        return x + 1

    @tf.function(jit_compile=True, reduce_retracing=True)
    def h(x):
        return x - 1
    ff = tf.function(f)
    x = tf.constant([1.0, 2.0])
    return [ff(x), g(x), h(x), tf.function(f, experimental_relax_shapes=True)(x),
            ff.__name__, ff.__doc__, ff.python_function is f, ff.__wrapped__ is f,
            ff.input_signature, type(ff).__name__,
            outcome(lambda: tf.function(f, jit_compile=True, experimental_compile=True)),
            outcome(lambda: tf.function(3))]


@snippet("function")
def function_gradients_flow_through(tf):
    v = tf.Variable(3.0)

    @tf.function
    def loss(x):
        return v * x * x

    @tf.function(input_signature=[tf.TensorSpec([None], tf.float32)])
    def total(x):
        return tf.reduce_sum(loss(x))
    x = tf.constant([1.0, 2.0])
    with tf.GradientTape(persistent=True) as t:
        t.watch(x)
        y = total(x)
    return [y, t.gradient(y, [v, x])]


@snippet("function")
def function_methods_bind_per_instance(tf):
    class M:
        def __init__(self, k):
            self.k = k

        @tf.function
        def m(self, x):
            return x * self.k

        @tf.function(input_signature=[tf.TensorSpec([2])])
        def s(self, x):
            return x + self.k
    a, b = M(2.0), M(3.0)
    one = tf.constant(1.0)
    return [a.m(one), b.m(one), M.m(a, one), a.m is a.m, type(M.m).__name__,
            type(a.m).__name__, a.s(tf.constant([1.0, 2.0])),
            outcome(lambda: a.s(tf.constant([1.0, 2.0, 3.0])))]


@snippet("function")
def function_input_signature_converts(tf):
    @tf.function(input_signature=[tf.TensorSpec([None, 2], tf.float32)])
    def f(x):
        return x * 2

    @tf.function(input_signature=[tf.TensorSpec([], tf.int32), tf.TensorSpec(None, tf.float32)])
    def g(a, b):
        return a, b

    @tf.function(input_signature=[(tf.TensorSpec([]), tf.TensorSpec([])), {"k": tf.TensorSpec([])}])
    def n(pair, d):
        return pair[0] + pair[1] + d["k"]
    return [f(tf.ones((3, 2))), f(np.ones((1, 2))), f([[1, 2]]), f(x=tf.ones((1, 2))),
            f(tf.Variable(tf.ones((1, 2)))), g(1, tf.ones((2, 3, 4))), g(np.int64(3), 2),
            n((1.0, 2.0), {"k": 3.0})]


@snippet("function")
def function_input_signature_rejects(tf):
    S = tf.TensorSpec

    @tf.function(input_signature=[S([None, 2], tf.float32)])
    def f(x):
        return x

    @tf.function(input_signature=[S([], tf.int32)])
    def g(a):
        return a
    one_d = tf.constant([1.0, 2.0, 3.0])
    return [outcome(lambda: f(tf.ones((3, 3)))), outcome(lambda: f(one_d)),
            outcome(lambda: f(tf.ones((1, 2), tf.float64))), outcome(lambda: f(1.0)),
            outcome(lambda: f(tf.ones((1, 2)), tf.ones((1, 2)))), outcome(lambda: f()),
            outcome(lambda: f(y=one_d)), outcome(lambda: g(1.5)),
            outcome(lambda: g(tf.constant(1.0))), outcome(lambda: g(None)),
            outcome(lambda: tf.function(lambda a: a, input_signature=[S([3])])(
                tf.Variable([1.0, 2.0])))]


@snippet("function")
def function_input_signature_structure_errors(tf):
    S = tf.TensorSpec
    pair = tf.function(lambda a: a, input_signature=[(S([]), S([]))])
    lst = tf.function(lambda a: a, input_signature=[[S([]), S([])]])
    dct = tf.function(lambda a: a, input_signature=[{"x": S([]), "y": S([2])}])
    star = tf.function(lambda *a: a, input_signature=[S([]), S([])])
    dflt = tf.function(lambda a, b=2.0: a + b, input_signature=[S([])])
    kw = tf.function(lambda a, **k: k, input_signature=[S([])])
    return [outcome(lambda: pair([1.0, 2.0])), outcome(lambda: pair(1.0)),
            outcome(lambda: pair((1.0,))), outcome(lambda: lst((1.0, 2.0))),
            outcome(lambda: dct({"x": 1.0})), outcome(lambda: dct(1.0)),
            star(1.0, 2.0), outcome(lambda: star(1.0, 2.0, 3.0)), outcome(lambda: star(1.0)),
            dflt(1.0), dflt(1.0, 2.0), outcome(lambda: dflt(1.0, 3.0)),
            outcome(lambda: dflt(1.0, b=3.0)), outcome(lambda: kw(1.0, z=2))]


@snippet("function")
def function_input_signature_definition_errors(tf):
    S = tf.TensorSpec

    def one(x):
        return x

    def two(a, b):
        return a

    def method_like(self, x):
        return x

    def this_first(this, x):
        return x

    def kwonly(a, *, k):
        return a

    def kwonly_default(a, *, k=1):
        return a + k
    return [outcome(lambda: tf.function(one, input_signature=[S([]), S([])])),
            outcome(lambda: tf.function(two, input_signature=[S([])])),
            outcome(lambda: tf.function(kwonly, input_signature=[S([])])),
            outcome(lambda: tf.function(one, input_signature=[1])),
            outcome(lambda: tf.function(this_first, input_signature=[S([])])),
            tf.function(method_like, input_signature=[S([])]).input_signature,
            tf.function(kwonly_default, input_signature=[S([])])(1.0)]


@snippet("function")
def function_signature_unchecked_when_run_eagerly(tf):
    @tf.function(input_signature=[tf.TensorSpec([2], tf.float32)])
    def f(x):
        return x * 2
    tf.config.run_functions_eagerly(True)
    try:
        return [f(tf.constant([1.0, 2.0, 3.0])), f(tf.constant([1, 2])), f(np.ones(2)),
                f(1.0)]
    finally:
        tf.config.run_functions_eagerly(False)


@snippet("function")
def tensor_spec_basics(tf):
    S = tf.TensorSpec
    s = S([None, 2], tf.float32)
    return [repr(s), repr(S(None)), repr(S([], tf.int32, "n")), str(S([1])),
            repr(S(tf.TensorShape([None, 3]), "float64")),
            repr(S.from_tensor(tf.ones((2, 3)), name="t")), s.shape, s.dtype, s.name,
            S([2]) == S((2,)), hash(S([2])) == hash(S([2])), S([2], name="a") == S([2]),
            s.is_compatible_with(tf.ones((3, 2))), s.is_compatible_with(tf.ones((3, 3))),
            S([None]).is_compatible_with(S([3])), S([None]).is_compatible_with(S([3], tf.int32)),
            S(None).is_compatible_with(tf.ones((2, 2))), S([None]).is_compatible_with([1.0]),
            outcome(lambda: S([1], "nope"))]


@snippet("print")
def print_reads_variables_on_a_tape(tf):
    v = tf.Variable(1.0)
    with tempfile.TemporaryDirectory() as d:
        with tf.GradientTape() as t:
            tf.print(v, output_stream="file://" + os.path.join(d, "out.txt"))
    return len(t.watched_variables())
