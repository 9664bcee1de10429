"""tf.print's streams (TF 2.21's text itself is checked against recorded TF output by the
print snippets in tests/snippets/function_cases.py)."""
import contextlib
import io
import sys

import numpy as np
import pytest

import tapegrad as tf


def test_stdout_goes_through_the_current_sys_stdout():
    buf = io.StringIO()
    with contextlib.redirect_stdout(buf):
        assert tf.print("loss", tf.constant([1.5, 2.0]), output_stream=sys.stdout) is None
    assert buf.getvalue() == "loss [1.5 2]\n"


def test_default_stream_is_the_current_stderr(capsys):
    tf.print(tf.range(10), {"k": tf.constant(2 / 3, tf.float64)}, sep=" | ")
    tf.print("x", output_stream=sys.stderr, end="")
    out, err = capsys.readouterr()
    assert (out, err) == ("", "[0 1 2 ... 7 8 9] | {'k': 0.66666666666666663}\nx")


def test_other_stream_objects_are_refused_with_tf_message():
    buf = io.StringIO()
    with pytest.raises(ValueError) as e:
        tf.print(1, output_stream=buf)
    assert str(e.value) == (
        f"Unsupported output stream, logging level, or file.{buf}. Supported streams are "
        f"sys.stdout, sys.stderr, tf.logging.info, tf.logging.warning, tf.logging.error. File "
        f"needs to be in the form of 'file://<filepath>'.")
    assert buf.getvalue() == ""


def test_file_stream_and_missing_directory(tmp_path):
    path = tmp_path / "log.txt"
    path.write_text("kept\n")
    tf.print(tf.Variable([[1, 2], [3, 4]]), output_stream=f"file://{path}")
    assert path.read_text() == "kept\n[[1 2]\n [3 4]]\n"
    with pytest.raises(tf.errors.NotFoundError, match="No such file or directory"):
        tf.print(1, output_stream=f"file://{tmp_path}/missing/log.txt")


def test_large_tensors_print_only_their_ends():   # text checked against TF 2.21
    buf = io.StringIO()
    with contextlib.redirect_stdout(buf):
        tf.print(tf.reshape(tf.range(10 ** 6), (1000, 1000)), output_stream=sys.stdout,
                 summarize=1)
        tf.print(tf.constant(np.float32(0.1) * np.arange(4, dtype=np.float32)),
                 output_stream=sys.stdout, summarize=-1)
    assert buf.getvalue() == ("[[0 ... 999]\n ...\n [999000 ... 999999]]\n"
                              "[0 0.1 0.2 0.3]\n")   # TF 2.21 prints the same
