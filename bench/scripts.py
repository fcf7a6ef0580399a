"""Another benchmark script of bench/ as a module, for the parts it shares."""

import importlib.util
from pathlib import Path

HERE = Path(__file__).resolve().parent


def load(name: str):
    """bench/<name>.py as a module, whatever the standard library holds by that name (`site`)."""
    spec = importlib.util.spec_from_file_location(f"bench_{name}", HERE / f"{name}.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module
