"""PostgreSQL databases the benchmarks make on DATABASE_URL's server (SQLite URLs pass)."""

from urllib.parse import unquote, urlsplit, urlunsplit


def is_postgres(url: str) -> bool:
    return url.startswith(("postgres://", "postgresql://"))


def beside(url: str, suffix: str) -> str:
    """The URL of the database named like `url`'s plus `suffix`, on the same server."""
    parts = urlsplit(url)
    return urlunsplit(parts._replace(path=parts.path + suffix))


def create(url: str, *, empty: bool = False) -> None:
    """Create `url`'s PostgreSQL database if it does not exist; `empty` drops it first."""
    if not is_postgres(url):
        return
    import psycopg

    parts = urlsplit(url)
    name = unquote(parts.path.lstrip("/"))
    with psycopg.connect(urlunsplit(parts._replace(path="/postgres")), autocommit=True) as db:
        if empty:
            db.execute(f'DROP DATABASE IF EXISTS "{name}"')
        elif db.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone():
            return
        else:
            print(f"creating database {name}")
        db.execute(f'CREATE DATABASE "{name}"')


def drop(url: str) -> None:
    """Drop `url`'s PostgreSQL database (a benchmark's scratch database, when it is done)."""
    if not is_postgres(url):
        return
    import psycopg

    parts = urlsplit(url)
    name = unquote(parts.path.lstrip("/"))
    with psycopg.connect(urlunsplit(parts._replace(path="/postgres")), autocommit=True) as db:
        db.execute(f'DROP DATABASE IF EXISTS "{name}"')
