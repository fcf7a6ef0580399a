"""Search backends, one per database vendor, each a SearchBackend (see base.py)."""

from .base import Found, SearchBackend
from .postgres import PostgresSearchBackend
from .sqlite import SQLiteSearchBackend

BACKENDS = {backend.vendor: backend for backend in (PostgresSearchBackend, SQLiteSearchBackend)}

__all__ = ["BACKENDS", "Found", "PostgresSearchBackend", "SQLiteSearchBackend", "SearchBackend"]
