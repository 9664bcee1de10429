"""The log lines GradientTape writes (tf_semantics.md 1.4 and 1.6): TF logs them through
``logging`` (not ``warnings``), the dtype warning the first 5 times per line of user code that
calls watch() (checked on TF 2.21; not per process) and the persistent-tape one once per
process. tapegrad's logger is "tapegrad"; the message text is TF's."""
import logging
import warnings

import pytest

import tapegrad as tf
from tapegrad._core import tape as tape_mod

INT_WATCH = "The dtype of the watched tensor must be floating (e.g. tf.float32), got tf.{}"
PERSISTENT_INSIDE = (
    "Calling GradientTape.gradient on a persistent tape inside its context is significantly "
    "less efficient than calling it outside the context (it causes the gradient ops to be "
    "recorded on the tape, leading to increased CPU and memory usage). Only call "
    "GradientTape.gradient inside the context if you actually want to trace the gradient in "
    "order to compute higher order derivatives.")


class _Collect(logging.Handler):
    def __init__(self):
        super().__init__()
        self.lines = []

    def emit(self, record):
        self.lines.append((record.levelname, record.getMessage()))


@pytest.fixture
def logged(monkeypatch):
    """Fresh once-per-process counters, and every line the tape logs."""
    monkeypatch.setitem(tape_mod._warned, "int_watch", {})
    monkeypatch.setitem(tape_mod._warned, "persistent_inside", False)
    h = _Collect()
    tape_mod.logger.addHandler(h)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        yield h.lines
    tape_mod.logger.removeHandler(h)
    assert not caught, "TF logs these; it raises no Python warnings"


def test_watching_int_and_bool_tensors_logs_their_dtype(logged):
    with tf.GradientTape() as g:
        g.watch(tf.constant(3))
        g.watch([tf.constant([True]), tf.constant(2.0)])
    assert logged == [("WARNING", INT_WATCH.format("int32")), ("WARNING", INT_WATCH.format("bool"))]


def test_the_dtype_warning_stops_after_five_per_line(logged):
    n = tf.constant(3, tf.int64)
    with tf.GradientTape() as g:
        for _ in range(7):
            g.watch(n)
        for _ in range(2):
            g.watch(n)
    assert logged == [("WARNING", INT_WATCH.format("int64"))] * 7


def test_integer_variables_log_too_and_floats_do_not(logged):
    with tf.GradientTape() as g:
        g.watch([tf.constant(1.0), tf.constant(1.0, tf.float16), tf.Variable(1.0),
                 tf.constant(1 + 2j)])
        assert logged == []
        g.watch(tf.Variable(1))
    assert logged == [("WARNING", INT_WATCH.format("int32"))]


def test_the_warning_comes_before_the_unentered_tape_error(logged):
    with pytest.raises(AttributeError, match="^'NoneType' object has no attribute '_tape'"):
        tf.GradientTape().watch(tf.constant([1, 2]))
    assert logged == [("WARNING", INT_WATCH.format("int32"))]


def test_persistent_gradient_inside_the_block_logs_once(logged):
    v = tf.Variable(3.0)
    for _ in range(2):
        with tf.GradientTape(persistent=True) as g:
            y = v * v
            first = g.gradient(y, v)
        assert float(first) == 6.0 and float(g.gradient(first, v)) == 2.0
    assert logged == [("WARNING", PERSISTENT_INSIDE)]


def test_non_persistent_gradient_inside_the_block_is_silent(logged):
    v = tf.Variable(3.0)
    with tf.GradientTape() as g:
        y = v * v
        assert float(g.gradient(y, v)) == 6.0
    with tf.GradientTape(persistent=True) as g:
        y = v * v
    g.gradient(y, v)  # outside the block: no reason to warn
    assert logged == []
