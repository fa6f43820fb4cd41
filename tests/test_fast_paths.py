"""The build's fast paths give what the slow ones gave: YAML read by libyaml's parser, QR codes
read back from .cache/qr."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
import segno
import yaml
from conftest import ROOT

from generator import load, permalink


def _tree(node: yaml.Node) -> object:
    """A node tree as plain values: kind, tag, value, line and column of every node."""
    where = (type(node).__name__, node.tag, node.start_mark.line, node.start_mark.column)
    if isinstance(node, yaml.MappingNode):
        return (*where, [(_tree(k), _tree(v)) for k, v in node.value])
    if isinstance(node, yaml.SequenceNode):
        return (*where, [_tree(item) for item in node.value])
    return (*where, node.value)


@pytest.mark.parametrize("path", sorted((ROOT / "data").rglob("*.yaml")), ids=lambda p: p.name)
def test_libyaml_reads_each_data_file_as_the_pure_python_loader_does(path: Path) -> None:
    text = path.read_text(encoding="utf-8")
    fast = load._FastLoader(text)
    try:
        node = fast.get_single_node()
    finally:
        fast.dispose()
    assert node is not None
    assert _tree(node) == _tree(yaml.compose(text, Loader=load._Loader))


def test_a_file_nested_100000_deep_is_an_error_not_a_crash(tmp_path: Path) -> None:
    """libyaml's own composer recurses in C: this file crashed the interpreter with it."""
    path = tmp_path / "data" / "plans" / "sau.yaml"
    path.parent.mkdir(parents=True)
    path.write_text("id: sau\nnotes: " + "[" * 100_000 + "]" * 100_000 + "\n", encoding="utf-8")
    script = (
        "import sys; from pathlib import Path; from generator.load import load_file;"
        f"print([e.message for e in load_file(Path({str(path)!r}), Path({str(tmp_path)!r}))[1]])"
    )
    result = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, cwd=ROOT
    )
    assert result.returncode == 0, result.stderr
    assert "lồng nhau quá sâu" in result.stdout


def test_a_cached_qr_code_is_the_code_drawn_afresh_and_is_not_drawn_again(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    url = "https://cong-ke-hoach.github.io/cong-ke-hoach/ke-hoach/nghe-an-686-kh-ubnd-2025/"
    first = permalink.cached_qr(tmp_path)(url)
    assert first == permalink.qr_svg(url)
    assert len(list(tmp_path.glob("*.svg"))) == 1

    def no_drawing(*args: object, **kwargs: object) -> None:
        raise AssertionError("drawn again")

    monkeypatch.setattr(segno, "make", no_drawing)
    assert permalink.cached_qr(tmp_path)(url) == first  # a new build, same folder
    with pytest.raises(AssertionError, match="drawn again"):
        permalink.cached_qr(tmp_path)(url + "nhom-1/")  # another URL is another code


def test_text_checks_find_each_problem_on_its_line_and_nothing_on_clean_lines() -> None:
    """text_problems looks character by character only at lines that C-level checks (NFC,
    printable) cannot clear: an NFD line is printable, a no-break space is not printable yet
    is no problem."""
    text = "a: b\u00a0c\nb: Vie\u0302\u0323t\nc: x\u2028y\nd: \u202eok\ne: Việt\n"
    problems = load.text_problems("t.yaml", text)
    assert [(p.line, "NFD" in p.message) for p in problems] == [(2, True), (3, False), (4, False)]
