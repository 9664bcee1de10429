"""Short broken programs, one per pitfall the five seed articles describe, written as TF code
(``tf`` is tapegrad here). Each returns what TF 2.21 gives for it (tapegrad gives the same)
and tapegrad's explanation of why. The patterns are the articles'; the code is ours."""
import numpy as np


def _outcome(fn):
    try:
        return repr_value(fn()), None
    except Exception as e:  # noqa: BLE001 - we show what TF raises
        return f"{type(e).__name__}: {str(e).splitlines()[0]}", e


def repr_value(v):
    if v is None:
        return "None"
    if isinstance(v, (list, tuple)):
        return "[" + ", ".join(repr_value(x) for x in v) + "]"
    if hasattr(v, "numpy"):
        return f"{np.asarray(v.numpy()).tolist()}"
    return repr(v)


def constant_not_watched(tf):
    a = tf.constant([[1.0, 2.0], [3.0, 4.0]])
    idx = tf.constant([[0, 0], [1, 1]])
    with tf.GradientTape() as tape:
        picked = tf.gather_nd(a, idx)
        loss = tf.reduce_sum(picked * picked)
    return tape, loss, a


def computed_before_tape(tf):
    x = tf.Variable(2.0)
    y = x ** 2
    with tf.GradientTape() as tape:
        z = y * 3.0
    return tape, z, x


def numpy_inside_tape(tf):
    w = tf.Variable([0.5, -1.0])
    with tf.GradientTape() as tape:
        h = w * 2.0
        loss = tf.constant(np.sum(np.square(h.numpy())))
    return tape, loss, w


def py_function_numpy_body(tf):
    x = tf.Variable([1.0, 2.0])
    with tf.GradientTape() as tape:
        y = tf.numpy_function(lambda a: np.maximum(a, 0.0), [x], tf.float32)
        loss = tf.reduce_sum(y)
    return tape, loss, x


def stop_gradient_on_path(tf):
    x = tf.Variable(3.0)
    with tf.GradientTape() as tape:
        y = tf.stop_gradient(x * x)
        z = y + 1.0
    return tape, z, x


def trainable_false(tf):
    x = tf.Variable(1.0, trainable=False)
    with tf.GradientTape() as tape:
        y = x * 5.0
    return tape, y, x


def integer_cast(tf):
    w = tf.Variable([1.5, 2.5])
    with tf.GradientTape() as tape:
        bins = tf.cast(w * 2.0, tf.int32)
        loss = tf.reduce_sum(tf.cast(bins, tf.float32))
    return tape, loss, w


def argmax_in_loss(tf):
    logits = tf.Variable([[0.2, 0.8], [0.9, 0.1]])
    labels = tf.constant([1, 0], tf.int64)
    with tf.GradientTape() as tape:
        correct = tf.equal(tf.argmax(logits, axis=1), labels)
        loss = 1.0 - tf.reduce_mean(tf.cast(correct, tf.float32))
    return tape, loss, logits


EXPLAINED = [
    ("gather_nd on an unwatched constant (seed 000, 002)", constant_not_watched,
     "gather_nd is differentiable; the constant was never watched"),
    ("y computed before the tape (seeds 002, 003)", computed_before_tape,
     "the tape only records what runs inside it"),
    ("a value taken out with .numpy() (seed 002)", numpy_inside_tape,
     "NumPy work is invisible to the tape"),
    ("NumPy inside numpy_function (seed 000)", py_function_numpy_body,
     "numpy_function has no gradient"),
    ("stop_gradient on the path (seed 003)", stop_gradient_on_path, "a deliberate cut"),
    ("trainable=False (seeds 003, 004)", trainable_false,
     "trainable=False only turns off automatic watching"),
    ("cast to an integer dtype (seed 002)", integer_cast, "integers carry no gradient"),
    ("accuracy (argmax) used as a loss (seed 000)", argmax_in_loss, "argmax has no gradient"),
]


def second_gradient_call(tf):
    x = tf.Variable(0.0)
    with tf.GradientTape() as tape:
        y = x * 2.0
        z = y + x
    tape.gradient(z, x)
    return tape.gradient(y, x)


def assign_add_inside_tape(tf):
    x = tf.Variable(2.0)
    with tf.GradientTape() as tape:
        x.assign_add(1.0)
        z = x * x
    return tape.gradient(z, x)


def numpy_target(tf):
    x = tf.Variable(1.0)
    with tf.GradientTape() as tape:
        y = x * 4.0
    return tape.gradient(y.numpy(), x)


def v1_session(tf):
    x = tf.Variable(0.0)
    opt = tf.compat.v1.train.GradientDescentOptimizer(0.1)
    with tf.GradientTape() as tape:
        loss = x * x
    opt.apply_gradients([(tape.gradient(loss, x), x)])
    return tf.compat.v1.Session().run(tf.compat.v1.global_variables_initializer())


def log_abs_at_zero(tf):
    y_true = tf.constant([1.0, 2.0])
    y_pred = tf.Variable([1.0, 2.5])
    with tf.GradientTape() as tape:
        loss = tf.reduce_sum(tf.math.log(tf.abs(y_true - y_pred)))
    return tape.gradient(loss, y_pred)


def item_assignment(tf):
    w = tf.Variable([1.0, 2.0, 3.0])
    w[1] = 0.0


OUTCOMES = [
    ("second gradient() on a non-persistent tape (seed 004)", second_gradient_call,
     "use GradientTape(persistent=True), or compute both targets in one call"),
    ("assign_add inside the tape (seed 004)", assign_add_inside_tape,
     "deterministic: the gradient of the read after the assignment, 2 * 3.0"),
    ("a NumPy value as the target (seed 002)", numpy_target,
     "the target must be a tapegrad Tensor computed on the tape"),
    ("TF1 Session code in TF2 (seed 001)", v1_session,
     "eager mode runs ops immediately; drop Session and global_variables_initializer"),
    ("log|y - y_hat| where they are equal (seed 004)", log_abs_at_zero,
     "NaN, never None: enable_check_numerics() names the op"),
    ("item assignment on a Variable (seed 002)", item_assignment,
     "use w[1].assign(0.0) or tf.tensor_scatter_nd_update"),
]


def run_all(tf, out):
    """Print each pitfall: what TF 2.21 gives, then tapegrad's explanation."""
    for title, prog, note in EXPLAINED:
        tape, target, source = prog(tf)
        shown, _ = _outcome(lambda: tape.gradient(target, source))
        out(f"\n- {title}\n  TF 2.21 (and tapegrad): gradient = {shown}   ({note})")
        for line in str(tape.explain(target, source)).splitlines():
            out("  tapegrad says: " + line if not line.startswith("  ") else "  " + line)
    for title, prog, note in OUTCOMES:
        shown, err = _outcome(lambda: prog(tf))
        out(f"\n- {title}\n  TF 2.21 (and tapegrad): {shown}\n  why: {note}")
