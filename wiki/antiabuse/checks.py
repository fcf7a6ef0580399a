"""System checks of anti-abuse: a captcha sound program that is named but missing, and
saved regular expressions that no longer compile (a saved entry would then match nothing)."""

import os
import re

from django.conf import settings
from django.core.checks import Error, Warning, register
from django.db import DatabaseError

from .models import LinkPattern


@register()
def captcha_sound(app_configs, **kwargs):
    path = getattr(settings, "CAPTCHA_FLITE_PATH", None)
    if path and not os.access(path, os.X_OK):
        return [
            Error(
                f"CAPTCHA_FLITE_PATH is {path}, which is not a program that can be run.",
                hint="Install flite (apt-get install flite) or unset CAPTCHA_FLITE_PATH.",
                id="antiabuse.E001",
            )
        ]
    if not path:
        return [
            Warning(
                "No flite program: the captcha has no spoken alternative to its picture.",
                hint="Install flite (apt-get install flite) or set CAPTCHA_FLITE_PATH.",
                id="antiabuse.W001",
            )
        ]
    return []


@register("database")
def link_patterns_compile(app_configs, databases=None, **kwargs):
    if not databases:
        return []
    problems = []
    try:
        regexes = list(
            LinkPattern.objects.filter(kind=LinkPattern.Kind.REGEX).values_list("pk", "pattern")
        )
    except DatabaseError:  # not migrated yet
        return []
    for pk, pattern in regexes:
        try:
            re.compile(pattern)
        except re.error as exc:
            problems.append(
                Error(
                    f"Link pattern {pk} ({pattern!r}) does not compile: {exc}.",
                    id="antiabuse.E002",
                )
            )
    return problems
