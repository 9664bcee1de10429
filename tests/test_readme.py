"""The README's gallery is real output: each block equals what its example prints today, and
the quickstart prints what the README says it prints."""
import os
import re
import subprocess
import sys

import pytest

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
README = open(os.path.join(ROOT, "README.md"), encoding="utf-8").read()
GALLERY = README[README.index("## Gallery"):README.index("## Speed")]
# "... (`examples/NAME.py` ...):" followed by a fenced block
BLOCKS = re.findall(r"\(`(examples/\w+\.py)`.*?\n\n```\n(.*?)```", GALLERY, re.S)


def _run(path):
    out = subprocess.run([sys.executable, path], cwd=ROOT, capture_output=True, text=True,
                         check=True)
    return out.stdout


def test_gallery_has_every_example():
    assert sorted(p for p, _ in BLOCKS) == sorted(
        f"examples/{f}" for f in os.listdir(os.path.join(ROOT, "examples")) if f.endswith(".py"))


@pytest.mark.parametrize("path,block", BLOCKS, ids=[p for p, _ in BLOCKS])
def test_gallery_block_is_the_example_output(path, block):
    assert _run(path) == block


def test_quickstart_prints_what_the_readme_says(tmp_path):
    code = re.search(r"## Quickstart\n\n```python\n(.*?)```", README, re.S).group(1)
    printed = re.search(r"prints `(.*?)`\.", README[README.index("## Quickstart"):]).group(1)
    script = tmp_path / "quickstart.py"
    script.write_text(code)
    assert _run(str(script)).strip() == printed
    assert len(code.strip().splitlines()) <= 15
