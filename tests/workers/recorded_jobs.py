"""Jobs for the embedded-scheduler tests: each appends its name to the file named by RECORD_FILE."""

from __future__ import annotations

import os


def _record(name: str) -> str:
    with open(os.environ["RECORD_FILE"], "a", encoding="utf-8") as f:
        f.write(name + "\n")
    return name


def every_minute() -> str:
    """An interval job."""
    return _record("every_minute")


def daily() -> str:
    """A cron job."""
    return _record("daily")


def broken() -> str:
    """A job that always fails."""
    raise RuntimeError("故意失败")
