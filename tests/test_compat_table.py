"""tools/compat_table.py: the generated compatibility table and its README block."""
import importlib.util
import os
import re

import pytest

PATH = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "tools", "compat_table.py")


@pytest.fixture(scope="module")
def tool():
    spec = importlib.util.spec_from_file_location("compat_table", PATH)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def text(tool):
    return tool.table()


def _row(text, name):
    m = re.search(rf"^\| `{re.escape(name)}` \| ([^|]*) \| ([^|]*) \|$", text, re.M)
    assert m, name
    return m.group(1).strip(), m.group(2).strip()


def test_lists_names_with_their_gradient_mark(text):
    assert _row(text, "tf.GradientTape") == ("-", "")
    assert _row(text, "tf.keras.optimizers.Adam") == ("-", "")
    assert _row(text, "tf.math.reduce_sum") == ("yes", "Sum")
    assert _row(text, "tf.math.argmax") == ("no", "ArgMax")
    assert _row(text, "tf.stop_gradient") == ("no", "StopGradient")
    assert _row(text, "tf.nn.relu")[0] == "yes"
    assert _row(text, "tf.compat.v1.train.GradientDescentOptimizer")[0] == "-"


def test_namespaces_are_grouped_and_counted(text, tool):
    summary = re.findall(r"^\| `(tf[\w.]*)` \| (\d+) \| (\d+) \| (\d+) \| (\d+) \|$", text, re.M)
    names = [s[0] for s in summary]
    for ns in ("tf", "tf.math", "tf.nn", "tf.linalg", "tf.random", "tf.debugging", "tf.train",
               "tf.keras.optimizers", "tf.keras.losses", "tf.compat.v1"):
        assert ns in names
    for ns, total, yes, no, other in summary:
        rows = re.findall(rf"^\| `{re.escape(ns)}\.[\w]+` \| (yes|no|-) \|", text, re.M)
        assert len(rows) == int(total)
        assert [rows.count("yes"), rows.count("no"), rows.count("-")] == \
            [int(yes), int(no), int(other)]
    # an import leaking into a module (Variable in keras.metrics) is not listed as its API
    assert "`tf.keras.metrics.Variable`" not in text


def test_write_replaces_only_the_marked_block(tool, tmp_path, text):
    readme = tmp_path / "README.md"
    readme.write_text("# title\n\nintro\n<!-- compat:begin -->\nold table\n<!-- compat:end -->\n"
                      "\n## after\n")
    assert tool.write(str(readme)) is True
    new = readme.read_text()
    assert new.startswith("# title\n\nintro\n<!-- compat:begin -->\n")
    assert new.endswith("<!-- compat:end -->\n\n## after\n")
    assert "old table" not in new and text in new
    assert tool.write(str(readme)) is False   # a second run changes nothing


def test_write_needs_the_markers(tool, tmp_path):
    readme = tmp_path / "README.md"
    readme.write_text("# no markers\n")
    with pytest.raises(SystemExit, match="compat:begin"):
        tool.write(str(readme))
    assert readme.read_text() == "# no markers\n"
