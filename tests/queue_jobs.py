"""Jobs for the task-queue tests, run by a real worker (`manage.py qcluster`)."""

import os
import time
from pathlib import Path


def block_first_run_then_record(folder: str) -> None:
    """The first run notes its pid and blocks (the test kills its worker); a later run
    records its effect: one line in `done`."""
    started = Path(folder) / "started"
    if not started.exists():
        started.write_text(str(os.getpid()))
        time.sleep(60)
    with open(Path(folder) / "done", "a") as done:
        done.write(f"{os.getpid()}\n")
