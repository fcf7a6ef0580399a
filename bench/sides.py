"""The two sides of an A/B benchmark: this tree (B) and, with a base ref, that commit (A)."""

import subprocess
from contextlib import contextmanager
from pathlib import Path

HERE = Path(__file__).resolve().parent.parent


@contextmanager
def sides(base: str | None, work: Path):
    """{name: tree}: "A (<base>)" first when a base ref is given (a detached `git worktree` of
    it under `work`, removed afterwards), then "B (this tree)"."""
    found = {"B (this tree)": HERE}
    tree = work / "base"
    if base:
        subprocess.run(
            ["git", "worktree", "add", "--detach", str(tree), base],
            cwd=HERE, check=True, capture_output=True,
        )  # fmt: skip
        found = {f"A ({base})": tree, **found}
    try:
        yield found
    finally:
        if base:
            subprocess.run(["git", "worktree", "remove", "--force", str(tree)], cwd=HERE)
