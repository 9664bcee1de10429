"""Regenerate the optimizer and learning-rate-schedule fixtures (needs TensorFlow 2.21).

    /tmp/tfenv/bin/python tools/tf_fixtures/gen_optimizers.py

Writes tests/fixtures/optimizers.json (Keras 3 optimizers, 20-step runs on dense, float64,
sparse and mixed problems), tests/fixtures/optimizers_v1.json (tf.compat.v1.train optimizers)
and tests/fixtures/optimizers_schedules.json (schedule values at steps 0..40). The problems'
data (initial values, gradient coefficients, per-step noise, sparse indices and values) are
stored in the files, so the tests replay exactly what TensorFlow saw without TensorFlow.

A dense variable's gradient at each step is ``A * x + B + noise[step]`` (float32 elementwise,
so TF and NumPy compute the same bits); a sparse variable gets an IndexedSlices with fixed
indices (duplicates included) and values.
"""
import os
import sys
import warnings

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
FIXTURES = os.path.join(ROOT, "tests", "fixtures")

import numpy as np  # noqa: E402
import tensorflow as tf  # noqa: E402
from generate import _write  # noqa: E402 - the one fixture writer (one record per line)

STEPS = 20
RECORD = [1, 3, 10, 20]


def _f32(a):
    """float32 values as short decimals (9 significant digits round-trip a float32)."""
    return [float(f"{x:.9g}") for x in np.asarray(a, np.float32).ravel()]


def make_problems():
    """Small fixed problems; every number is stored in the fixture."""
    rs = np.random.RandomState(20260501)
    dense = []
    for shape in [(3,), (2, 3), (4, 1)]:
        n = int(np.prod(shape))
        dense.append({"kind": "dense", "shape": list(shape),
                      "init": _f32(rs.normal(0, 1, n)),
                      "A": _f32(rs.uniform(0.5, 2.0, n)),
                      "B": _f32(rs.normal(0, 0.3, n)),
                      "noise": [_f32(rs.normal(0, 0.1, n)) for _ in range(STEPS)]})
    sparse_steps = []
    for _ in range(STEPS):
        idx = rs.randint(0, 5, size=4)
        idx[1] = idx[0]  # always at least one duplicate index
        sparse_steps.append({"indices": [int(i) for i in idx],
                             "values": _f32(rs.normal(0, 1, 4 * 3))})
    sparse = {"kind": "sparse", "shape": [5, 3], "init": _f32(rs.normal(0, 1, 15)),
              "steps": sparse_steps}
    return {"dense": {"dtype": "float32", "vars": dense},
            "dense64": {"dtype": "float64", "vars": dense[:2]},
            "sparse": {"dtype": "float32", "vars": [sparse]},
            "mixed": {"dtype": "float32", "vars": [dense[0], sparse]}}


def grads_for(problem, variables, step):
    out = []
    dt = tf.as_dtype(problem["dtype"])
    for spec, v in zip(problem["vars"], variables):
        if spec["kind"] == "dense":
            shape = spec["shape"]
            a = tf.constant(np.reshape(spec["A"], shape), dt)
            b = tf.constant(np.reshape(spec["B"], shape), dt)
            n = tf.constant(np.reshape(spec["noise"][step], shape), dt)
            out.append(a * v + b + n)
        else:
            st = spec["steps"][step]
            k = len(st["indices"])
            out.append(tf.IndexedSlices(
                tf.constant(np.reshape(st["values"], (k, spec["shape"][1])), dt),
                tf.constant(st["indices"], tf.int32), tf.constant(spec["shape"], tf.int32)))
    return out


def make_variables(problem):
    dt = tf.as_dtype(problem["dtype"])
    return [tf.Variable(np.reshape(s["init"], s["shape"]), dtype=dt) for s in problem["vars"]]


def make_lr(spec):
    if spec is None:
        return None
    return getattr(tf.keras.optimizers.schedules, spec["cls"])(**spec["kwargs"])


def S(cls, **kwargs):
    return {"cls": cls, "kwargs": kwargs}


# name -> (problem, optimizer class, kwargs, learning-rate schedule or None)
def K(problem, cls, lr=None, **kwargs):
    return problem, cls, kwargs, lr


KERAS_CASES = {
    'sgd': K('dense', 'SGD', learning_rate=0.05),
    'sgd_momentum': K('dense', 'SGD', learning_rate=0.05, momentum=0.9),
    'sgd_nesterov': K('dense', 'SGD', learning_rate=0.05, momentum=0.9, nesterov=True),
    'sgd_wd_clipnorm': K('dense', 'SGD', learning_rate=0.05, weight_decay=0.01, clipnorm=0.5),
    'sgd_global_clipnorm': K('dense', 'SGD', learning_rate=0.05, global_clipnorm=1.0),
    'sgd_clipvalue': K('dense', 'SGD', learning_rate=0.05, clipvalue=0.3),
    'sgd_exp_staircase': K('dense', 'SGD', lr=S('ExponentialDecay', initial_learning_rate=0.1,
        decay_steps=5, decay_rate=0.5, staircase=True)),
    'sgd_loss_scale': K('dense', 'SGD', learning_rate=0.05, loss_scale_factor=4.0),
    'sgd_ema': K('dense', 'SGD', learning_rate=0.05, use_ema=True, ema_momentum=0.9),
    'sgd_accum_momentum': K('dense', 'SGD', learning_rate=0.1, momentum=0.5,
        gradient_accumulation_steps=3),
    'adam': K('dense', 'Adam', learning_rate=0.05),
    'adam_amsgrad': K('dense', 'Adam', learning_rate=0.05, amsgrad=True, beta_2=0.9),
    'adam_cosine_warmup': K('dense', 'Adam', lr=S('CosineDecay', initial_learning_rate=0.01,
        decay_steps=15, alpha=0.1, warmup_target=0.1, warmup_steps=5)),
    'adam_restarts': K('dense', 'Adam', lr=S('CosineDecayRestarts', initial_learning_rate=0.05,
        first_decay_steps=4, t_mul=2.0, m_mul=0.8, alpha=0.1)),
    'adam_ema_overwrite': K('dense', 'Adam', learning_rate=0.05, use_ema=True,
        ema_overwrite_frequency=3),
    'adam_accum': K('dense', 'Adam', learning_rate=0.05, gradient_accumulation_steps=2),
    'adam_float64': K('dense64', 'Adam', learning_rate=0.05),
    'adamw': K('dense', 'AdamW', learning_rate=0.05, weight_decay=0.1),
    'adamw_gclip_amsgrad': K('dense', 'AdamW', learning_rate=0.05, weight_decay=0.05,
        global_clipnorm=0.5, amsgrad=True),
    'rmsprop': K('dense', 'RMSprop', learning_rate=0.01),
    'rmsprop_centered_momentum': K('dense', 'RMSprop', learning_rate=0.01, momentum=0.5,
        centered=True),
    'rmsprop_poly': K('dense', 'RMSprop', lr=S('PolynomialDecay', initial_learning_rate=0.02,
        decay_steps=10, end_learning_rate=0.001, power=2.0)),
    'rmsprop_float64': K('dense64', 'RMSprop', learning_rate=0.01, centered=True),
    'adagrad': K('dense', 'Adagrad', learning_rate=0.1),
    'adagrad_clipvalue': K('dense', 'Adagrad', learning_rate=0.1, clipvalue=0.5,
        initial_accumulator_value=0.5),
    'adadelta': K('dense', 'Adadelta', learning_rate=1.0),
    'adadelta_rho': K('dense', 'Adadelta', learning_rate=0.5, rho=0.8, epsilon=0.0001),
    'adamax': K('dense', 'Adamax', learning_rate=0.05),
    'adamax_inverse_time': K('dense', 'Adamax', lr=S('InverseTimeDecay',
        initial_learning_rate=0.05, decay_steps=3, decay_rate=0.5)),
    'nadam': K('dense', 'Nadam', learning_rate=0.05),
    'nadam_wd_clipnorm': K('dense', 'Nadam', learning_rate=0.05, weight_decay=0.02, clipnorm=1.0),
    'nadam_float64': K('dense64', 'Nadam', learning_rate=0.05),
    'ftrl': K('dense', 'Ftrl', learning_rate=0.1),
    'ftrl_all': K('dense', 'Ftrl', learning_rate=0.1, learning_rate_power=-0.3,
        l1_regularization_strength=0.01, l2_regularization_strength=0.01,
        l2_shrinkage_regularization_strength=0.01, beta=0.1),
    'lion': K('dense', 'Lion', learning_rate=0.01),
    'lion_piecewise': K('dense', 'Lion', lr=S('PiecewiseConstantDecay', boundaries=[5, 10],
        values=[0.02, 0.01, 0.005]), beta_1=0.8, beta_2=0.95),
    'sparse_sgd': K('sparse', 'SGD', learning_rate=0.1),
    'sparse_sgd_momentum': K('sparse', 'SGD', learning_rate=0.1, momentum=0.9),
    'sparse_sgd_nesterov_wd': K('sparse', 'SGD', learning_rate=0.1, momentum=0.9, nesterov=True,
        weight_decay=0.1),
    'sparse_sgd_clipnorm': K('sparse', 'SGD', learning_rate=0.1, clipnorm=0.5),
    'sparse_sgd_clipvalue': K('sparse', 'SGD', learning_rate=0.1, clipvalue=0.2),
    'sparse_sgd_ema': K('sparse', 'SGD', learning_rate=0.1, use_ema=True),
    'sparse_adam': K('sparse', 'Adam', learning_rate=0.1),
    'sparse_adam_amsgrad': K('sparse', 'Adam', learning_rate=0.1, amsgrad=True),
    'sparse_adam_gclip': K('sparse', 'Adam', learning_rate=0.1, global_clipnorm=0.5),
    'sparse_adam_accum': K('sparse', 'Adam', learning_rate=0.1, gradient_accumulation_steps=2),
    'sparse_adamw': K('sparse', 'AdamW', learning_rate=0.1, weight_decay=0.1),
    'sparse_rmsprop': K('sparse', 'RMSprop', learning_rate=0.05),
    'sparse_rmsprop_centered_momentum': K('sparse', 'RMSprop', learning_rate=0.05, momentum=0.5,
        centered=True),
    'sparse_adagrad': K('sparse', 'Adagrad', learning_rate=0.1),
    'sparse_adadelta': K('sparse', 'Adadelta', learning_rate=1.0),
    'sparse_adamax': K('sparse', 'Adamax', learning_rate=0.1),
    'sparse_nadam': K('sparse', 'Nadam', learning_rate=0.1),
    'sparse_ftrl': K('sparse', 'Ftrl', learning_rate=0.1),
    'sparse_ftrl_l1_shrink': K('sparse', 'Ftrl', learning_rate=0.1,
        l1_regularization_strength=0.01, l2_shrinkage_regularization_strength=0.01),
    'sparse_lion': K('sparse', 'Lion', learning_rate=0.05),
    'mixed_adam_gclip': K('mixed', 'Adam', learning_rate=0.1, global_clipnorm=1.0),
    'mixed_rmsprop_clipnorm': K('mixed', 'RMSprop', learning_rate=0.05, clipnorm=1.0),
}

V1_CASES = {
    'gd': ('GradientDescentOptimizer', {'learning_rate': 0.05}),
    'momentum': ('MomentumOptimizer', {'learning_rate': 0.05, 'momentum': 0.9}),
    'momentum_nesterov': ('MomentumOptimizer', {'learning_rate': 0.05, 'momentum': 0.9,
        'use_nesterov': True}),
    'adam': ('AdamOptimizer', {'learning_rate': 0.05}),
    'rmsprop': ('RMSPropOptimizer', {'learning_rate': 0.01}),
    'rmsprop_centered_momentum': ('RMSPropOptimizer', {'learning_rate': 0.01, 'momentum': 0.5,
        'centered': True}),
    'adagrad': ('AdagradOptimizer', {'learning_rate': 0.1}),
    'adadelta': ('AdadeltaOptimizer', {'learning_rate': 1.0}),
    'ftrl': ('FtrlOptimizer', {'learning_rate': 0.1}),
    'ftrl_all': ('FtrlOptimizer', {'learning_rate': 0.1, 'learning_rate_power': -0.3,
        'l1_regularization_strength': 0.01, 'l2_regularization_strength': 0.01,
        'l2_shrinkage_regularization_strength': 0.01, 'beta': 0.1}),
}

SCHEDULES = {
    'exp': S('ExponentialDecay', initial_learning_rate=0.1, decay_steps=3, decay_rate=0.7),
    'exp_staircase': S('ExponentialDecay', initial_learning_rate=0.1, decay_steps=4,
        decay_rate=0.5, staircase=True),
    'inverse_time': S('InverseTimeDecay', initial_learning_rate=0.1, decay_steps=2,
        decay_rate=0.5),
    'inverse_time_staircase': S('InverseTimeDecay', initial_learning_rate=0.1, decay_steps=3,
        decay_rate=1.5, staircase=True),
    'piecewise': S('PiecewiseConstantDecay', boundaries=[3, 7, 20], values=[0.1, 0.05, 0.01,
        0.001]),
    'poly': S('PolynomialDecay', initial_learning_rate=0.1, decay_steps=10),
    'poly_sqrt': S('PolynomialDecay', initial_learning_rate=0.1, decay_steps=10,
        end_learning_rate=0.01, power=0.5),
    'poly_cycle': S('PolynomialDecay', initial_learning_rate=0.1, decay_steps=6,
        end_learning_rate=0.01, power=2.0, cycle=True),
    'cosine': S('CosineDecay', initial_learning_rate=0.1, decay_steps=12),
    'cosine_alpha': S('CosineDecay', initial_learning_rate=0.1, decay_steps=12, alpha=0.2),
    'cosine_warmup': S('CosineDecay', initial_learning_rate=0.0, decay_steps=20, alpha=0.1,
        warmup_target=0.2, warmup_steps=6),
    'restarts': S('CosineDecayRestarts', initial_learning_rate=0.1, first_decay_steps=5),
    'restarts_tmul1': S('CosineDecayRestarts', initial_learning_rate=0.1, first_decay_steps=4,
        t_mul=1.0, m_mul=0.5, alpha=0.1),
    'restarts_tmul15': S('CosineDecayRestarts', initial_learning_rate=0.1, first_decay_steps=3,
        t_mul=1.5, m_mul=0.9, alpha=0.05),
}

def _values(variables):
    return [_f32(v.numpy()) if v.dtype == tf.float32 else [float(x) for x in v.numpy().ravel()]
            for v in variables]


def run_keras(problem, cls, kwargs, lr):
    variables = make_variables(problem)
    kw = dict(kwargs)
    if lr is not None:
        kw["learning_rate"] = make_lr(lr)
    opt = getattr(tf.keras.optimizers, cls)(**kw)
    rec, ema = {}, {}
    for step in range(STEPS):
        opt.apply_gradients(zip(grads_for(problem, variables, step), variables))
        if step + 1 in RECORD:
            rec[str(step + 1)] = _values(variables)
            if kw.get("use_ema"):
                ema[str(step + 1)] = _values(opt._model_variables_moving_average)
    out = {"record": rec, "iterations": int(opt.iterations.numpy())}
    if ema:
        out["ema"] = ema
    return out


def run_v1(problem, cls, kwargs):
    variables = make_variables(problem)
    opt = getattr(tf.compat.v1.train, cls)(**kwargs)
    rec = {}
    for step in range(STEPS):
        opt.apply_gradients(zip(grads_for(problem, variables, step), variables))
        if step + 1 in RECORD:
            rec[str(step + 1)] = _values(variables)
    return {"record": rec}


def _meta():
    return {"tensorflow": tf.__version__, "keras": getattr(tf.keras, "__version__", None),
            "numpy": np.__version__, "python": sys.version.split()[0], "steps": STEPS,
            "regenerate": "/tmp/tfenv/bin/python tools/tf_fixtures/gen_optimizers.py"}


def main():
    warnings.simplefilter("ignore")
    problems = make_problems()
    cases = {}
    for name, (prob, cls, kwargs, lr) in KERAS_CASES.items():
        cases[name] = {"problem": prob, "cls": cls, "kwargs": kwargs, "lr": lr}
        cases[name].update(run_keras(problems[prob], cls, kwargs, lr))
    _write("optimizers.json", {"meta": _meta(), "record_steps": RECORD, "problems": problems,
                               "cases": cases})
    v1 = {}
    for name, (cls, kwargs) in V1_CASES.items():
        for prob in ("dense", "sparse"):
            v1[f"{prob}_{name}"] = {"problem": prob, "cls": cls, "kwargs": kwargs}
            v1[f"{prob}_{name}"].update(run_v1(problems[prob], cls, kwargs))
    _write("optimizers_v1.json", {"meta": _meta(), "record_steps": RECORD, "cases": v1})
    sched = {}
    for name, spec in SCHEDULES.items():
        fn = make_lr(spec)
        vals = [fn(tf.constant(s, tf.int64)) for s in range(41)]
        sched[name] = dict(spec, dtype=vals[0].dtype.name, values=_f32([v.numpy() for v in vals]),
                           config=fn.get_config())
    _write("optimizers_schedules.json", {"meta": _meta(), "cases": sched})


if __name__ == "__main__":
    main()
