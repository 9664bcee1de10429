"""The seed articles' pitfalls as short TF programs of our own, run on tapegrad.

Each program is TF code (``import tensorflow as tf``). ``tf_outcome`` is what TensorFlow 2.21
does with it: the kind of outcome is the one /work/shared/tf_semantics.md section 7 records for
the article's pattern, and the exact text was produced by running the program on TF 2.21
(``/tmp/tfenv/bin/python tools/tf_pitfalls.py`` reruns them and checks). The demo runs each
program on tapegrad under ``tapegrad doctor``'s diagnostics, shows that tapegrad does the same
as TF, and then what TF does not say: why, at which line, and the fix.

This module imports nothing from tapegrad at import time, so the TF check can load it.
"""
import contextlib
import io
import linecache


class Pitfall:
    def __init__(self, key, seed, title, code, tf_outcome, why="", fix=""):
        self.key, self.seed, self.title = key, seed, title
        self.code = code.strip("\n") + "\n"
        self.tf_outcome = tf_outcome
        self.why = why    # our words, for outcomes the diagnostics have nothing to add to
        self.fix = fix

    @property
    def filename(self):
        return f"<pitfall {self.key}>"

    def __repr__(self):
        return f"<Pitfall {self.key}: {self.title}>"


PITFALLS = [
    Pitfall("000-assign", "000", "tf.assign inside the tape", """
import tensorflow as tf
counter = tf.Variable(1.0)
with tf.GradientTape() as tape:
    bumped = tf.assign(counter, counter + 1.0)
    loss = counter * 3.0
print(tape.gradient(loss, counter))
""", "raises AttributeError: module 'tensorflow' has no attribute 'assign'",
        why="TF 2 has no tf.assign (it was TF 1 graph API); nothing here is about gradients",
        fix="counter.assign(counter + 1.0), or compute counter + 1.0 as a new tensor"),

    Pitfall("000-gather", "000", "gather_nd from a constant, 'int indices break it'", """
import tensorflow as tf
table = tf.constant([[1.0, 2.0], [3.0, 4.0]])
rows = tf.constant([0.0, 1.0])      # float indices do not help
with tf.GradientTape() as tape:
    picked = tf.gather_nd(table, tf.stack([tf.range(2), tf.cast(rows, tf.int32)], axis=1))
    loss = tf.reduce_sum(picked * picked)
print(tape.gradient(loss, table))
""", "prints: None"),

    Pitfall("000-pyfunc", "000", "py_function with a NumPy body", """
import numpy as np
import tensorflow as tf
x = tf.constant([-1.0, 2.0, -3.0])
with tf.GradientTape() as tape:
    tape.watch(x)
    y = tf.py_function(lambda a: np.where(a > 0, a, 0.0), [x], tf.float32)
    loss = tf.reduce_sum(y)
print(tape.gradient(loss, x))
""", "prints: tf.Tensor(0.0, shape=(), dtype=float32)",
        why="not None and no error: the body's NumPy work is invisible, so TF differentiates "
            "an empty function and returns a scalar zero",
        fix="write the body with TF ops (tf.nn.relu(x)), or give it a tf.custom_gradient"),

    Pitfall("001-session", "001", "TF 1 Session code", """
import tensorflow as tf
x = tf.Variable(0.0)
opt = tf.compat.v1.train.GradientDescentOptimizer(learning_rate=0.1)
with tf.GradientTape() as tape:
    loss = x ** 2
train_op = opt.apply_gradients(zip(tape.gradient(loss, [x]), [x]))
init = tf.compat.v1.global_variables_initializer()
with tf.compat.v1.Session() as sess:
    sess.run(init)
""", "raises RuntimeError: The Session graph is empty. Add operations to the graph before "
     "calling run().",
        why="eager execution already ran the step; apply_gradients returned None, and the "
            "Session has no graph to run",
        fix="drop the Session and the initializer: call the step directly, read values with "
            ".numpy()"),

    Pitfall("001-v1-apply", "001", "apply_gradients on the tf.compat.v1.train module", """
import tensorflow as tf
x = tf.Variable(0.0)
with tf.GradientTape() as tape:
    loss = x ** 2
grads = tape.gradient(loss, [x])
tf.compat.v1.train.apply_gradients(zip(grads, [x]))
""", "raises AttributeError: module 'tensorflow._api.v2.compat.v1.train' has no attribute "
     "'apply_gradients'",
        why="apply_gradients is a method of an optimizer object, not a module function",
        fix="opt = tf.keras.optimizers.SGD(0.1); opt.apply_gradients(zip(grads, [x]))"),

    Pitfall("001-stuck", "001", "a hand-written update at a stationary point", """
import tensorflow as tf
x = tf.Variable(0.0)
for step in range(3):
    with tf.GradientTape() as tape:
        loss = x ** 2
    (g,) = tape.gradient(loss, [x])
    x.assign_sub(0.1 * g)
print(x.numpy())
""", "prints: 0.0",
        why="a silent no-op: the gradient of x ** 2 at x = 0 is exactly 0, so the update does "
            "nothing (no error, no None)",
        fix="start away from the stationary point (tf.Variable(1.0)); gradient_report shows "
            "numeric_zero for such a source"),

    Pitfall("002-before", "002", "the loss's input computed before the tape", """
import tensorflow as tf
w = tf.Variable(1.0)
y = w * 2.0
with tf.GradientTape() as tape:
    loss = y ** 2
print(tape.gradient(loss, w))
""", "prints: None"),

    Pitfall("002-numpy-target", "002", "a NumPy value as the target", """
import numpy as np
import tensorflow as tf
w = tf.Variable(1.0)
with tf.GradientTape() as tape:
    loss = (w * 2.0) ** 2
scaled = np.sqrt(loss.numpy())
print(tape.gradient(scaled, w))
""", "raises AttributeError: 'numpy.float32' object has no attribute '_id'"),

    Pitfall("002-scatter", "002", "tensor_scatter_nd_update 'is not differentiable'", """
import tensorflow as tf
w = tf.Variable([1.0, 2.0, 3.0, 4.0, 5.0])
with tf.GradientTape() as tape:
    masked = tf.tensor_scatter_nd_update(w, [[3], [4]], [0.0, 0.0])
    loss = tf.reduce_sum(masked ** 2)
print(tape.gradient(loss, w))
""", "prints: tf.Tensor([2. 4. 6. 0. 0.], shape=(5,), dtype=float32)",
        why="it is differentiable: the overwritten slots get 0, the others 2 * w",
        fix="nothing to fix"),

    Pitfall("002-item", "002", "item assignment on a Variable", """
import tensorflow as tf
w = tf.Variable([1.0, 2.0, 3.0, 4.0])
w[3] = 0.0
""", "raises TypeError: 'ResourceVariable' object does not support item assignment",
        why="Python item assignment is not an op at all; variables change through assign",
        fix="w[3].assign(0.0), or tf.tensor_scatter_nd_update(w, [[3]], [0.0]) for a new "
            "tensor"),

    Pitfall("002-no-grads", "002", "an optimizer step with no gradients at all", """
import tensorflow as tf
w = tf.Variable([0.5, -0.5])
opt = tf.keras.optimizers.SGD(learning_rate=0.1)
with tf.GradientTape() as tape:
    score = tf.cast(tf.argmax(w), tf.float32)
    loss = (score - 1.0) ** 2
grads = tape.gradient(loss, [w])
opt.apply_gradients(zip(grads, [w]))
""", "raises ValueError: No gradients provided for any variable."),

    Pitfall("002-int", "002", "a cast to an integer dtype", """
import tensorflow as tf
w = tf.Variable([1.2, 3.7])
with tf.GradientTape() as tape:
    buckets = tf.cast(w * 2.0, tf.int32)
    loss = tf.reduce_sum(tf.cast(buckets, tf.float32))
print(tape.gradient(loss, w))
""", "prints: None"),

    Pitfall("003-numpy-of-none", "003", "y = x ** 2 before the tape, then .numpy()", """
import tensorflow as tf
x = tf.Variable(2.0)
y = x ** 2
with tf.GradientTape() as tape:
    z = y + 3.0
dz_dx = tape.gradient(z, x)
print(dz_dx.numpy())
""", "raises AttributeError: 'NoneType' object has no attribute 'numpy'"),

    Pitfall("003-stop", "003", "stop_gradient on the path", """
import tensorflow as tf
x = tf.Variable(2.0)
with tf.GradientTape() as tape:
    y = tf.stop_gradient(x ** 2)
    z = y + 3.0
print(tape.gradient(z, x))
""", "prints: None"),

    Pitfall("003-frozen", "003", "trainable=False 'disables gradients'", """
import tensorflow as tf
scale = tf.Variable(3.0, trainable=False)
with tf.GradientTape() as tape:
    out = scale * 4.0
print(tape.gradient(out, scale))
""", "prints: None"),

    Pitfall("004-twice", "004", "two gradient() calls on one tape", """
import tensorflow as tf
x = tf.Variable(0.0)
y = tf.Variable(1.0)
with tf.GradientTape() as tape:
    z = x * y
dz_dx = tape.gradient(z, x)
dz_dy = tape.gradient(z, y)
""", "raises RuntimeError: A non-persistent GradientTape can only be used to compute one set "
     "of gradients (or jacobians)",
        why="the tape frees what it recorded after the first call (tf.Variable(0.0) is "
            "trainable: dz/dx was 1.0)",
        fix="tf.GradientTape(persistent=True), or one call: tape.gradient(z, [x, y])"),

    Pitfall("004-assign-add", "004", "assign_add inside the tape", """
import tensorflow as tf
x = tf.Variable(2.0)
with tf.GradientTape() as tape:
    x.assign_add(1.0)
    z = x * x
print(tape.gradient(z, x))
""", "prints: tf.Tensor(6.0, shape=(), dtype=float32)",
        why="deterministic, not 'None or wrong': the gradient of the read after the "
            "assignment, 2 * 3.0",
        fix="nothing to fix; assignments themselves carry no gradient"),

    Pitfall("004-log0", "004", "log|y_true - y_pred| where they are equal", """
import tensorflow as tf
x = tf.Variable(1.0)
y_true = tf.constant(1.0)
with tf.GradientTape() as tape:
    loss = tf.reduce_sum(tf.math.log(tf.abs(y_true - x)))
print(tape.gradient(loss, x))
""", "prints: tf.Tensor(nan, shape=(), dtype=float32)"),
]


class Outcome:
    """What a program did: its output, and the exception it raised (or None)."""

    def __init__(self, printed, exc):
        self.printed, self.exc = printed, exc

    def text(self):
        if self.exc is not None:
            first = str(self.exc).splitlines()[0] if str(self.exc) else ""
            return f"raises {type(self.exc).__name__}: {first}"
        lines = self.printed.strip().splitlines()
        return "prints: " + " / ".join(lines) if lines else "runs: prints nothing"

    def matches(self, tf_outcome):
        """Same printed output, or an exception of TF's type (tapegrad's may subclass it and
        say more)."""
        if self.exc is None:
            return self.text() == tf_outcome
        tf_type = tf_outcome.split(":")[0].replace("raises ", "")
        return tf_outcome.startswith("raises ") and tf_type in [
            c.__name__ for c in type(self.exc).__mro__]


def run_program(pitfall):
    """Run a pitfall's code (``import tensorflow`` must already resolve to the framework under
    test); its lines are registered with linecache so reports can quote them."""
    lines = pitfall.code.splitlines(True)
    linecache.cache[pitfall.filename] = (len(pitfall.code), None, lines, pitfall.filename)
    code = compile(pitfall.code, pitfall.filename, "exec")
    out = io.StringIO()
    exc = None
    with contextlib.redirect_stdout(out):
        try:
            exec(code, {"__name__": "__main__"})
        except Exception as e:  # noqa: BLE001 - the outcome is the point
            exc = e
    return Outcome(out.getvalue(), exc)


def diagnose(pitfall):
    """Run a pitfall on tapegrad under ``tapegrad doctor``'s diagnostics: (outcome, findings).
    A NaN/Inf outcome is run a second time with check_numerics on, to find its origin (the
    first run shows what TF does: the NaN goes through silently)."""
    from .doctor import Session
    with Session(numerics=False, tensorflow=True) as s:
        outcome = run_program(pitfall)
    findings = list(s.findings)
    text = outcome.text()
    if outcome.exc is None and ("nan" in text or "inf" in text):
        with Session(numerics=True, tensorflow=True) as s2:
            again = run_program(pitfall)
        if again.exc is not None:
            s2.classify(again.exc)
        findings += s2.findings
    return outcome, findings


def _extra(outcome, tf_outcome):
    """What tapegrad's exception says beyond TF's message."""
    if outcome.exc is None:
        return ""
    msg = str(outcome.exc)
    tf_msg = tf_outcome.split(": ", 1)[-1]
    return msg[len(tf_msg):].lstrip(":. ") if msg.startswith(tf_msg) else ""


def show_all(out):
    """Print every pitfall: TF 2.21's outcome, tapegrad's, and tapegrad's explanation.
    Returns True when tapegrad did what TF does for all of them."""
    all_same = True
    for n, p in enumerate(PITFALLS, 1):
        outcome, findings = diagnose(p)
        same = outcome.matches(p.tf_outcome)
        all_same &= same
        out(f"\n{n:2d}. {p.title}   (seed {p.seed}, {p.filename})")
        out(f"    TF 2.21:  {p.tf_outcome}")
        mine = outcome.text()
        if outcome.exc is not None:
            mine = mine.split(":")[0] + ": ..." if mine.startswith(p.tf_outcome) else mine
        out(f"    tapegrad: {mine if not same or outcome.exc is None else 'the same'}"
            f"{'' if same else '   <-- DIFFERENT from TF'}")
        shown = set()
        for f in findings:
            if (f.cause, f.line) in shown:   # the optimizer saw the same None: one line
                out(f"    also: {f.text.splitlines()[0]}")
                continue
            shown.add((f.cause, f.line))
            tool = "check_numerics" if f.kind == "check_numerics" else "explain"
            out(f"    why: {f.cause} (tapegrad's {tool})")
            for line in f.text.splitlines():
                out(f"      {line}")
        extra = _extra(outcome, p.tf_outcome)
        if extra and not findings and not p.why:
            out(f"    why: tapegrad's message goes on: {extra}")
        if p.why:
            out(f"    why: {p.why}")
        if p.fix:
            out(f"    fix: {p.fix}")
    return all_same
