"""tf.function, tf.TensorSpec and tf.config's run-eagerly flag: what TF's recorded snippets
(tests/snippets/function_cases.py) cannot show -- the attributes tapegrad leaves out, method
binding details, gradients, and a TF script under `tapegrad doctor --tensorflow`."""
import functools
import inspect
import textwrap

import numpy as np
import pytest

import tapegrad as tf
from tapegrad.__main__ import main


@pytest.fixture(autouse=True)
def _flag_restored():
    yield
    tf.config.run_functions_eagerly(False)


def test_graph_only_attributes_name_themselves():
    f = tf.function(lambda x: x)
    for name in ("get_concrete_function", "experimental_get_tracing_count",
                 "experimental_get_compiler_ir", "pretty_printed_concrete_signatures"):
        with pytest.raises(AttributeError) as e:
            getattr(f, name)
        assert str(e.value) == (
            f"'Function' object has no attribute '{name}': tapegrad does not support "
            f"tf.function(...).{name} yet (tapegrad runs every tf.function eagerly and traces "
            f"no graph)")
        assert not hasattr(f, name)
    with pytest.raises(AttributeError, match="^'Function' object has no attribute 'nope'$"):
        f.nope


def test_repr_and_wrapping():
    def loss(x, y=2.0):
        """the loss"""
        return x * y
    f = tf.function(loss)
    assert repr(f).startswith("<tapegrad.tf_function.Function object at 0x")
    assert repr(f).endswith(" for test_repr_and_wrapping.<locals>.loss (runs eagerly)>")
    assert (f.__name__, f.__doc__, f.name, f.__module__) == ("loss", "the loss", "loss", __name__)
    assert inspect.unwrap(f) is loss and f.python_function is loss
    assert str(inspect.signature(f)) == "(x, y=2.0)"
    # a decorator stacked on top keeps seeing the Python function's metadata
    wrapped = functools.wraps(f)(lambda *a: f(*a))
    assert wrapped.__name__ == "loss" and wrapped(3.0) == 6.0


def test_methods_bind_once_per_instance_and_unhashable_instances_work():
    class Unhashable:
        __hash__ = None

        def __init__(self, k):
            self.k = k

        def __eq__(self, other):
            return True

        @tf.function
        def m(self, x):
            return x * self.k
    a, b = Unhashable(2.0), Unhashable(5.0)
    assert (a.m(1.0), b.m(1.0)) == (2.0, 5.0)
    assert Unhashable.m.python_function.__name__ == "m"
    assert a.m.python_function.__self__ is a

    class Plain:
        @tf.function
        def m(self, x):
            return x
    p, q = Plain(), Plain()
    assert p.m is p.m and p.m is not q.m
    assert Plain.__dict__["m"] is Plain.m      # class access gives the Function itself


def test_unbound_method_call_leaves_self_unconstrained():
    class C:
        @tf.function(input_signature=[tf.TensorSpec([])])
        def m(self, x):
            return x + 1
    c = C()
    assert float(C.m(c, 1.0)) == 2.0
    with pytest.raises(TypeError) as e:
        C.m(c, tf.ones(2))
    assert str(e.value).endswith(
        "for signature: (self, x: TensorSpec(shape=(), dtype=tf.float32, name=None)).")


def test_signature_must_be_a_sequence():
    with pytest.raises(TypeError, match="^input_signature must be either a tuple or a list, got "
                                         "<class 'tapegrad.tensor_spec.TensorSpec'>.$"):
        tf.function(lambda x: x, input_signature=tf.TensorSpec([]))


def test_signature_passes_tensors_through_so_gradients_reach_them():
    v = tf.Variable([1.0, 2.0])

    @tf.function(input_signature=[tf.TensorSpec([2]), tf.TensorSpec([None])])
    def f(a, b):
        return tf.reduce_sum(a * a * b)
    x = tf.constant([3.0, 4.0, 5.0])
    with tf.GradientTape(persistent=True) as t:
        t.watch(x)
        y = f(v, x[:2])
    np.testing.assert_allclose(t.gradient(y, v).numpy(), [6.0, 16.0])
    np.testing.assert_allclose(t.gradient(y, x).numpy(), [1.0, 4.0, 0.0])


def test_method_gradient_on_an_outer_tape():
    class Model(tf.Module):
        def __init__(self):
            super().__init__()
            self.w = tf.Variable(2.0)

        @tf.function
        def __call__(self, x):
            return self.w * x

    m = Model()
    with tf.GradientTape() as t:
        y = m(tf.constant(3.0)) ** 2
    assert float(t.gradient(y, m.w)) == 2 * 6.0 * 3.0
    assert [v.name for v in m.trainable_variables] == ["Variable:0"]


def test_run_functions_eagerly_toggles_only_the_signature_check():
    calls = []

    @tf.function(input_signature=[tf.TensorSpec([1])])
    def f(x):
        calls.append(x)
        return x
    with pytest.raises(TypeError, match="^Binding inputs to tf.function failed"):
        f([1.0, 2.0])
    assert calls == []
    tf.config.run_functions_eagerly(True)
    assert f([1.0, 2.0]) == [1.0, 2.0]          # unchecked, unconverted: TF's eager mode
    tf.config.run_functions_eagerly(False)
    assert f([1.0]).dtype == tf.float32 and len(calls) == 2


def test_config_namespace_names_what_it_lacks():
    assert tf.config.functions_run_eagerly() is False
    with pytest.raises(AttributeError, match="tapegrad does not support "
                                             "tf.config.list_physical_devices yet"):
        tf.config.list_physical_devices("GPU")
    assert "run_functions_eagerly" in dir(tf.config)


def test_tensor_spec_unknown_rank_and_hash():
    s = tf.TensorSpec(None, tf.int32)
    assert s.shape is None
    assert s.is_compatible_with(tf.zeros((2, 3, 4), tf.int32))
    assert not s.is_compatible_with(tf.zeros((2,)))
    assert len({tf.TensorSpec([2]), tf.TensorSpec((2,)), tf.TensorSpec([3])}) == 2
    assert tf.TensorSpec(None) == tf.TensorSpec(None) and tf.TensorSpec(None) != tf.TensorSpec([])


def test_doctor_runs_a_tf_script_with_function_and_print(tmp_path, monkeypatch, capsys):
    script = tmp_path / "train.py"
    script.write_text(textwrap.dedent("""\
        import sys
        import tensorflow as tf

        w = tf.Variable([[0.5], [-0.5]])
        x = tf.constant([[1.0, 2.0], [3.0, 4.0]])
        opt = tf.keras.optimizers.SGD(0.01)

        @tf.function
        def step():
            with tf.GradientTape() as tape:
                loss = tf.reduce_mean(tf.square(tf.matmul(x, w)))
            opt.apply_gradients(zip(tape.gradient(loss, [w]), [w]))
            return loss

        for i in range(2):
            tf.print("step", i, "loss", step(), output_stream=sys.stdout)
        tf.print("w", w)
    """))
    monkeypatch.chdir(tmp_path)
    capsys.readouterr()
    status = main(["doctor", "--tensorflow", str(script)])
    out, err = capsys.readouterr()
    assert status == 0, err
    # the same script under TF 2.21 prints these lines
    assert "step 0 loss 0.25\nstep 1 loss 0.139400035\n" in out
    assert "w [[0.5338]\n [-0.4488]]\n" in err
