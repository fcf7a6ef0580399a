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


@register()
def two_factor_roles_known(app_configs, **kwargs):
    """A misspelt role in TWO_FACTOR_REQUIRED_FOR would leave that role unprotected."""
    from wiki.second_factor import ROLES

    unknown = sorted(set(settings.TWO_FACTOR_REQUIRED_FOR) - set(ROLES))
    if not unknown:
        return []
    return [
        Error(
            f"TWO_FACTOR_REQUIRED_FOR names roles this site does not have: {', '.join(unknown)}.",
            hint=f"Use any of: {', '.join(ROLES)}.",
            id="encyclopedia.E002",
        )
    ]
