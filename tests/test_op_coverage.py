"""The gate: every registered op is either gradient-checked or declared not differentiable."""
import numpy as np

from grad_specs import all_specs
from tapegrad._core.registry import GRADIENTS, NO_ENTRY, REGISTRY
from tapegrad.diagnostics.gradcheck import check_gradients

import tapegrad  # noqa: F401 - registers every op


def _import_all_ops():
    import importlib
    import pkgutil
    import tapegrad.ops as ops
    for info in pkgutil.iter_modules(ops.__path__):
        importlib.import_module(f"tapegrad.ops.{info.name}")


def test_every_op_is_checked_or_declared():
    _import_all_ops()
    checked = set()
    for spec in all_specs():
        rng = np.random.default_rng(0)
        shapes = spec.shapes[1] if len(spec.shapes) > 1 else spec.shapes[0]
        check_gradients(spec.fn, spec.args(rng, shapes), order=spec.order, seen_ops=checked,
                        **spec.check_kwargs())
    declared = {t for t, fn in GRADIENTS.items() if fn is None} | NO_ENTRY
    checked.add("ReadVariableOp")  # checked numerically below, through a Variable
    missing = sorted(t for t in REGISTRY if t not in checked and t not in declared)
    assert not missing, f"ops registered without a gradient check or a declaration: {missing}"


def test_declared_ops_have_no_rule():
    assert not (NO_ENTRY & set(GRADIENTS)), "an op is both LookupError and registered"


def test_variable_read_gradient_matches_finite_differences():
    """ReadVariableOp has no spec row (specs watch Tensors): check it here, numerically."""
    import tapegrad as tf
    v = tf.Variable(np.array([0.3, -1.2, 2.0]))
    def f():
        return tf.reduce_sum(tf.math.tanh(v) * v)
    with tf.GradientTape() as tape:
        y = f()
    g = tape.gradient(y, v).numpy()
    eps = 1e-6
    num = []
    for i in range(3):
        base = v.numpy()
        plus, minus = base.copy(), base.copy()
        plus[i] += eps
        minus[i] -= eps
        v.assign(plus)
        fp = f().numpy()
        v.assign(minus)
        fm = f().numpy()
        v.assign(base)
        num.append((fp - fm) / (2 * eps))
    np.testing.assert_allclose(g, num, rtol=1e-6)
