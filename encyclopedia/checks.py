"""System checks for what would otherwise fail only at the first request."""

from django.conf import settings
from django.core.checks import Error, register


@register("database")
def psycopg_pool_installed(app_configs, **kwargs):
    """A missing psycopg_pool only fails at the first query; `manage.py check` should say so."""
    database = settings.DATABASES["default"]
    if database["ENGINE"] != "django.db.backends.postgresql" or "pool" not in database.get(
        "OPTIONS", {}
    ):
        return []
    try:
        import psycopg_pool  # noqa: F401
    except ImportError:
        return [
            Error(
                "DATABASE_URL is PostgreSQL with connection pooling, but psycopg_pool is "
                "not installed.",
                hint="pip install 'psycopg[binary,pool]'",
                id="encyclopedia.E001",
            )
        ]
    return []
