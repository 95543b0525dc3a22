"""kg.bounded: work in a child process, its output copied as it comes, its errors raised here."""

from __future__ import annotations

import io
import os
import time
from typing import BinaryIO

import pytest

from kg import bounded
from kg.errors import LookupFailed, QueryError


def test_the_output_is_copied_and_a_kg_error_raised_again() -> None:
    def work(out: BinaryIO) -> None:
        out.write(b"first rows\n")
        raise LookupFailed("no entity is named 'X'", "for FROM", "`kg query entities` lists them")

    buf = io.BytesIO()
    with pytest.raises(LookupFailed, match=r"no entity is named 'X', for FROM — `kg query entities`"):
        bounded.run(work, buf, timeout=10, what="the query", where="in the -e query")
    assert buf.getvalue() == b"first rows\n"


def test_work_past_its_time_is_killed() -> None:
    pids = []

    def work(out: BinaryIO) -> None:
        out.write(f"{os.getpid()}\n".encode())
        out.flush()
        time.sleep(60)

    buf = io.BytesIO()
    with pytest.raises(QueryError, match=r"the query ran longer than 0.3 s and was stopped, in here"):
        bounded.run(work, buf, timeout=0.3, what="the query", where="in here")
    pids.append(int(buf.getvalue()))
    with pytest.raises(ProcessLookupError):
        os.kill(pids[0], 0)  # killed and reaped


def test_a_crash_in_the_child_is_not_hidden() -> None:
    def work(out: BinaryIO) -> None:
        raise ZeroDivisionError("boom")

    with pytest.raises(RuntimeError, match=r"(?s)the query failed in its process:.*ZeroDivisionError: boom"):
        bounded.run(work, io.BytesIO(), timeout=None, what="the query", where="here")
