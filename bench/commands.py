"""Our manage.py run by the benchmarks, as a user runs it: a fresh process, timed."""

import subprocess
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PY = str(ROOT / ".venv" / "bin" / "python")


def manage(*args: str, env: dict) -> str:
    """Run `manage.py ARGS` in `env`; its standard output (an error stops the benchmark)."""
    done = subprocess.run(
        [PY, "manage.py", *args], env=env, cwd=ROOT, check=True, capture_output=True, text=True
    )
    return done.stdout


def migrated_and_timed(*args: str, env: dict) -> tuple[float, str]:
    """Migrate `env`'s database, then run `manage.py ARGS`: its seconds from process start to
    exit, and its standard output."""
    manage("migrate", "-v0", env=env)
    started = time.monotonic()
    out = manage(*args, env=env)
    return time.monotonic() - started, out
