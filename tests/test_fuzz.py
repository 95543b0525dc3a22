"""A tiny regression set of benchmarks/fuzz.py (which runs the big budget): the inputs that crashed
kg before issue 13, and a few hundred generated inputs per target, each accepted or refused with
kg's own error, never a traceback."""

from __future__ import annotations

import importlib.util
import random
import sys
from pathlib import Path

import pytest

from kg import html, sources
from kg.errors import SourceError

REPO = Path(__file__).resolve().parent.parent


def _fuzz_module():  # type: ignore[no-untyped-def]
    spec = importlib.util.spec_from_file_location("kg_fuzz", REPO / "benchmarks" / "fuzz.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules["kg_fuzz"] = module
    spec.loader.exec_module(module)
    return module


fuzz = _fuzz_module()


def test_crash_a_file_name_too_long_for_the_file_system(tmp_path: Path) -> None:
    # found by the fuzzer: OSError (File name too long) from read_metadata
    (tmp_path / "a.toml").write_text('file = "' + "x" * 4000 + '.txt"\ntitle = "t"\npublisher = "p"\npublished = "2022"\n')
    with pytest.raises(SourceError, match="names a missing file"):
        sources.load(tmp_path)


def test_crash_text_after_a_deep_nest() -> None:
    # found by the fuzzer: everything after 255 nested elements silently dropped
    markup = "<html><body><article><p>Before.</p>" + "<span>" * 300 + "deep" + "</span>" * 300 + "<p>After.</p></article></body></html>"
    assert html.extract(markup).text.endswith("After.\n")


@pytest.mark.parametrize("target", sorted(fuzz.TARGETS))
def test_generated_inputs_are_accepted_or_refused_cleanly(target: str) -> None:
    runner = fuzz.TARGETS[target]()
    counts: dict[str, int] = {}
    crashes = []
    for i in range(300):
        out = runner.run(random.Random(f"regression/{target}/{i}"))
        counts[out.kind] = counts.get(out.kind, 0) + 1
        if out.kind == "crash":
            crashes.append(f"#{i} {out.signature}\n{out.detail[-800:]}")
    assert not crashes, crashes[0]
    assert counts.get("ok", 0) and counts.get("clean", 0), counts  # both kinds of input are reached
