"""`make run` / `make serve`: the site's server and a task-queue worker, as one command.

    python deploy/with_worker.py COMMAND...   (e.g. manage.py runserver 127.0.0.1:8000)

Starts COMMAND and `manage.py qcluster` as child processes; when either ends, or on Ctrl+C or
SIGTERM, stops the other by its pid (SIGTERM, then SIGKILL after 20 s) and exits.
"""

import signal
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def stop(child: subprocess.Popen) -> None:
    if child.poll() is None:
        child.send_signal(signal.SIGTERM)
        try:
            child.wait(timeout=20)
        except subprocess.TimeoutExpired:
            child.kill()
            child.wait()


def main(command: list[str]) -> int:
    for number in (signal.SIGINT, signal.SIGTERM):  # Ctrl+C, or a supervisor's stop
        signal.signal(number, lambda number, _: sys.exit(128 + number))
    worker = subprocess.Popen([sys.executable, "manage.py", "qcluster"], cwd=ROOT)
    server = subprocess.Popen(command, cwd=ROOT)
    try:
        while server.poll() is None and worker.poll() is None:
            time.sleep(0.5)
    finally:
        for child in (server, worker):
            stop(child)
    return server.returncode or 0


if __name__ == "__main__":
    if len(sys.argv) < 2:
        raise SystemExit(__doc__)
    sys.exit(main(sys.argv[1:]))
