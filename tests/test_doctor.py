"""`tapegrad doctor SCRIPT`: exit status, the summary rows and the traceback, for the scripts in
tests/doctor_scripts/. A few run as subprocesses (`python -m tapegrad doctor`, all started
together); the rest call the same entry point in-process, which is much faster and sees the
same code path."""
import os
import re
import subprocess
import sys

import pytest

from tapegrad.__main__ import main

HERE = os.path.join(os.path.dirname(os.path.abspath(__file__)), "doctor_scripts")
ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))

SUBPROCESS = {
    "healthy": ["healthy.py"],
    "numpy_escape": ["numpy_escape.py"],
    "crash": ["crash.py"],
    "tf_healthy": ["--tensorflow", "tf_healthy.py"],
    "tf_unsupported": ["--tensorflow", "tf_unsupported.py"],
}
IN_PROCESS = {
    "unwatched": ["unwatched.py"],
    "log_zero": ["log_zero.py"],
    "sqrt_where": ["sqrt_where.py"],
    "all_none": ["all_none.py"],
    "crash_verbose": ["--verbose", "crash.py"],
    "exit_code": ["exit_code.py"],
    "argv": ["argv.py", "one", "--two"],
    "tf_none": ["--tensorflow", "tf_none.py"],
}


@pytest.fixture(scope="module")
def subprocess_runs():
    env = dict(os.environ, PYTHONPATH=ROOT + os.pathsep + os.environ.get("PYTHONPATH", ""))
    procs = {k: subprocess.Popen([sys.executable, "-m", "tapegrad", "doctor"] + args, cwd=HERE,
                                 env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                                 text=True)
             for k, args in SUBPROCESS.items()}
    out = {}
    for k, p in procs.items():
        stdout, stderr = p.communicate(timeout=120)
        out[k] = (p.returncode, stdout, stderr)
    return out


@pytest.fixture
def runs(request, subprocess_runs, capsys, monkeypatch):
    """runs[name] -> (exit status, stdout, stderr)."""
    class Runs:
        def __getitem__(self, key):
            if key in subprocess_runs:
                return subprocess_runs[key]
            monkeypatch.chdir(HERE)
            capsys.readouterr()
            status = main(["doctor"] + IN_PROCESS[key])
            out, err = capsys.readouterr()
            return status, out, err
    return Runs()


def rows(stdout):
    """The summary table as (site, variable, cause, line, fix) tuples, cut at the header's
    column positions."""
    lines = stdout.splitlines()
    i = next(n for n, ln in enumerate(lines) if ln.startswith("site ") and " cause " in ln)
    head = lines[i]
    starts = [head.index(c) for c in ("site", "variable", "cause", "line", "fix")]
    bounds = list(zip(starts, starts[1:] + [None]))
    return [tuple(ln[a:b].strip() for a, b in bounds) for ln in lines[i + 1:] if ln.strip()]


def test_healthy_script_exits_0(runs):
    status, out, err = runs["healthy"]
    assert status == 0, err
    assert "final loss" in out
    assert out.rstrip().endswith("tapegrad doctor: no missing or non-finite gradients found.")
    assert err == ""


def test_left_tape_reported_once_per_site(runs):
    status, out, err = runs["numpy_escape"]
    assert status == 1, err
    # five steps, the same None each time: one row per site (gradient call, optimizer)
    assert [r[:4] for r in rows(out)] == [
        ("numpy_escape.py:12 gradient", "w", "left_tape",
         "numpy_escape.py:11  loss = tf.constant(np.sum(pred.numpy(..."),
        ("numpy_escape.py:13 apply_gradients", "w", "left_tape",
         "numpy_escape.py:11  loss = tf.constant(np.sum(pred.numpy(...")]
    assert out.count("None gradient at numpy_escape.py:12") == 1
    assert "tapegrad doctor: 2 finding(s)" in out
    assert rows(out)[0][4].startswith("use tapegrad ops here instead of numpy()")
    assert "trained" in out   # the script ran to its end
    assert "Gradients do not exist" not in err   # the warning became the rows above


def test_unwatched_constant(runs):
    status, out, err = runs["unwatched"]
    assert status == 1, err
    assert rows(out) == [("unwatched.py:8 gradient", "scale", "not_watched",
                          "unwatched.py:4  scale = tf.constant(2.0)",
                          "call tape.watch(scale) inside the `with tf.GradientTape()` block "
                          "before scale is used, or make it a tf.Variable")]
    assert "None 12.0" in out


def test_nan_from_log_zero_caught_at_origin(runs):
    status, out, err = runs["log_zero"]
    assert status == 1, err
    assert [r[:4] for r in rows(out)] == [
        ("log_zero.py:8 check_numerics", "Log output", "nonfinite_forward",
         "log_zero.py:8  loss = tf.reduce_sum(tf.math.log(err))")]
    assert "stopped the script: InvalidArgumentError" in out
    assert "RuntimeWarning" not in err


def test_nan_from_sqrt_in_where_is_the_masked_branch(runs):
    status, out, err = runs["sqrt_where"]
    assert status == 1, err
    (row,) = rows(out)
    assert row[:3] == ("sqrt_where.py:7 check_numerics", "Pow gradient", "masked_branch")
    assert row[3].startswith("sqrt_where.py:7  safe = tf.where(x > 0.0, x ** 0.5")
    assert "double-where" in row[4]


def test_all_none_optimizer_step(runs):
    status, out, err = runs["all_none"]
    assert status == 1, err
    line = "all_none.py:10  hits = tf.cast(tf.equal(tf.argmax(logits,..."
    assert [r[:4] for r in rows(out)] == [
        ("all_none.py:12 gradient", "w", "non_differentiable", line),
        ("all_none.py:13 apply_gradients", "w", "non_differentiable", line)]
    assert "refused the step" in out
    assert "stopped the script: ValueError: No gradients provided for any variable." in out
    assert "not reached" not in out
    assert "Traceback" not in err


def _frames(text):
    return re.findall(r'File "([^"]+)", line (\d+)', text)


def test_crash_exits_2_without_tapegrad_frames(runs):
    status, out, err = runs["crash"]
    assert status == 2
    assert _frames(err) == [("crash.py", "11"), ("crash.py", "6")]
    assert err.rstrip().splitlines()[-1].startswith(
        "tapegrad._core.errors.InvalidArgumentError: Matrix size-incompatible")
    assert "no missing or non-finite gradients found" in out


def test_crash_verbose_shows_tapegrad_frames(runs):
    status, out, err = runs["crash_verbose"]
    assert status == 2
    files = [f for f, _ in _frames(err)]
    assert ("crash.py", "6") in _frames(err)
    assert any(f.endswith(os.path.join("tapegrad", "ops", "linalg_ops.py")) for f in files)


def test_nonzero_sys_exit_is_a_failure(runs):
    status, out, err = runs["exit_code"]
    assert status == 2
    assert "2.0" in out


def test_script_gets_its_arguments(runs):
    status, out, err = runs["argv"]
    assert status == 0
    assert "args: ['one', '--two']" in out


def test_tensorflow_flag_healthy(runs):
    status, out, err = runs["tf_healthy"]
    assert status == 0, err
    assert "tensorflow loss" in out   # tf.__name__ is "tensorflow" inside the script


def test_tensorflow_flag_finds_none(runs):
    status, out, err = runs["tf_none"]
    assert status == 1, err
    assert rows(out) == [("tf_none.py:8 gradient", "x", "stop_gradient",
                          "tf_none.py:6  y = tf.stop_gradient(x * x)",
                          "remove tf.stop_gradient here if the gradient should flow through it")]


def test_tensorflow_flag_unsupported_api_is_named(runs):
    status, out, err = runs["tf_unsupported"]
    assert status == 2
    assert _frames(err) == [("tf_unsupported.py", "5")]
    assert err.rstrip().splitlines()[-1] == (
        "AttributeError: module 'tensorflow.keras' has no attribute 'callbacks': tapegrad "
        "does not support tf.keras.callbacks yet")


def test_missing_script(capsys):
    assert main(["doctor", os.path.join(HERE, "no_such_script.py")]) == 2
    assert "no such script:" in capsys.readouterr().err
