"""`tapegrad demo --quick`: its output is checked line by line (run in-process: one run, shared)."""
import re
import sys

import pytest

from tapegrad._core.callsite import site_line
from tapegrad.cli import demo, pitfalls

# The cause tapegrad must name for each pitfall whose TF outcome hides a missing gradient.
CAUSES = {
    "000-gather": "not_watched",
    "000-pyfunc": "left_tape",
    "002-before": "read_outside_tape",
    "002-no-grads": "non_differentiable",
    "002-int": "integer_dtype",
    "003-numpy-of-none": "read_outside_tape",
    "003-stop": "stop_gradient",
    "003-frozen": "not_trainable",
    "004-log0": "nonfinite_forward",
}


@pytest.fixture(scope="module")
def run():
    lines = []
    status = demo.main(["--quick", "--no-progress"], out=lines.append)
    return status, "\n".join(lines).splitlines()


def test_exit_status_zero(run):
    assert run[0] == 0


def test_epoch_lines_and_final_accuracy(run):
    _, lines = run
    epochs = [ln for ln in lines if re.match(r"epoch +\d+/3: loss ", ln)]
    assert len(epochs) == 3
    losses = [float(re.search(r"loss ([\d.]+)", ln).group(1)) for ln in epochs]
    assert losses[0] > losses[-1]
    final = [ln for ln in lines if ln.startswith("final test accuracy:")]
    assert len(final) == 1
    assert float(final[0].split()[3]) >= 0.95


def _report(lines, title):
    i = lines.index(title)
    head = lines[i + 1].split()
    assert head == ["layer", "variable", "status", "norm", "zeros", "cause"]
    return [ln.split() for ln in lines[i + 2:i + 6]]


@pytest.mark.parametrize("title", ["Gradient report after the first step:",
                                   "Gradient report at the end (test set):"])
def test_gradient_reports(run, title):
    rows = _report(run[1], title)
    assert [(r[0], r[1]) for r in rows] == [("dense_0", "kernel"), ("dense_0", "bias"),
                                            ("dense_1", "kernel"), ("dense_1", "bias")]
    for layer, var, status, norm, zeros, cause in rows:
        assert status == "ok" and cause == "connected"
        assert float(norm) > 0
        assert 0 <= int(zeros.rstrip("%")) < 100


def test_checkpoint_restore_identical(run):
    line = next(ln for ln in run[1] if "after restore" in ln)
    before, after = re.findall(r"\d\.\d{4}", line)
    assert before == after
    assert line.endswith("identical")


def _blocks(lines):
    """Pitfall number -> its lines."""
    out, cur = {}, None
    for ln in lines:
        m = re.match(r"\s*(\d+)\. ", ln)
        if m and "(seed " in ln:
            cur = int(m.group(1))
            out[cur] = []
        if cur is not None:
            out[cur].append(ln)
    return out


def test_every_pitfall_shows_tf_and_tapegrad(run):
    blocks = _blocks(run[1])
    assert len(blocks) == len(pitfalls.PITFALLS)
    for n, p in enumerate(pitfalls.PITFALLS, 1):
        text = "\n".join(blocks[n])
        assert p.title in blocks[n][0] and p.filename in blocks[n][0]
        assert f"TF 2.21:  {p.tf_outcome}" in text
        tapegrad_line = next(ln for ln in blocks[n] if ln.strip().startswith("tapegrad:"))
        assert "DIFFERENT" not in tapegrad_line
        assert re.search(r"^\s+why: ", text, re.M), p.key
        if p.key in CAUSES:
            assert f"why: {CAUSES[p.key]} (tapegrad's" in text, p.key
            # the explanation quotes the pitfall's own line, never a tapegrad file
            assert re.search(rf"{re.escape(p.filename)}:\d+", text)
            assert "tapegrad/" not in text


@pytest.fixture(scope="module")
def diagnosed():
    return {p.key: pitfalls.diagnose(p) for p in pitfalls.PITFALLS}


def test_pitfall_outcomes_match_tf(diagnosed):
    for p in pitfalls.PITFALLS:
        outcome, findings = diagnosed[p.key]
        assert outcome.matches(p.tf_outcome), (p.key, outcome.text())
        if p.key in CAUSES:
            assert CAUSES[p.key] in [f.cause for f in findings], p.key


def test_pitfall_lines_point_at_the_break(diagnosed):
    """The line tapegrad names is the one that broke the chain."""
    expected = {"000-gather": "table = tf.constant", "002-before": "y = w * 2.0",
                "002-int": "tf.cast(w * 2.0, tf.int32)", "003-stop": "tf.stop_gradient",
                "004-log0": "tf.math.log"}
    for p in pitfalls.PITFALLS:
        if p.key in expected:
            _, findings = diagnosed[p.key]
            line = p.code.splitlines()[site_line(findings[0].line) - 1]
            assert expected[p.key] in line, (p.key, line)


def test_plots_without_matplotlib(monkeypatch, tmp_path):
    monkeypatch.setitem(sys.modules, "matplotlib", None)
    lines = []
    assert demo.plots([1.0, 0.5], [[1.0] * 4, [0.5] * 4], lines.append, str(tmp_path)) == []
    assert lines == ["plots: matplotlib is not installed; `pip install tapegrad[plots]` to get "
                     "loss.png and gradient_flow.png"]
    assert list(tmp_path.iterdir()) == []


def test_progress_falls_back_without_tqdm(monkeypatch):
    monkeypatch.setitem(sys.modules, "tqdm", None)
    lines = []
    bar = demo._Progress(3, "epoch  1/2", lines.append, enabled=True)
    bar.step(1.0, 0.5)
    bar.close(0.9, 0.6, 0.75)
    assert lines == ["epoch  1/2: loss 0.9000, accuracy 0.600, test accuracy 0.7500"]
