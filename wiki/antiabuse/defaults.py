"""What a new site starts with. The allowlist: known-good medical sources, never refused and
needing no captcha; migration 0026 writes it (with its own copy of the list, as it was then);
after a flush, which empties a site as new, the post_migrate step writes it again. The default
abuse rules, all switched off: every migrate writes those missing (a rule an administrator does
not want is left disabled; deleted, it comes back disabled)."""

from .models import AbuseRule, LinkPattern

MEDICAL_DOMAINS = (
    "doi.org",
    "pubmed.ncbi.nlm.nih.gov",
    "ncbi.nlm.nih.gov",
    "nih.gov",
    "who.int",
    "cdc.gov",
    "fda.gov",
    "ema.europa.eu",
    "nice.org.uk",
    "nhs.uk",
    "cochranelibrary.com",
    "clinicaltrials.gov",
    "europepmc.org",
    "medlineplus.gov",
    "bmj.com",
    "thelancet.com",
    "nejm.org",
    "jamanetwork.com",
    "nature.com",
    "isbnsearch.org",
)
NOTE = "A known-good medical source (shipped with the wiki)."


def allow_medical_domains_after_flush(plan=None, **kwargs) -> None:
    """post_migrate: `plan` None is a flush (the migration wrote them on a real migrate)."""
    if plan is not None:
        return
    for domain in MEDICAL_DOMAINS:
        LinkPattern.objects.get_or_create(
            list=LinkPattern.List.ALLOW,
            kind=LinkPattern.Kind.DOMAIN,
            pattern=domain,
            defaults={"note": NOTE},
        )


NEW_ACCOUNT_DAYS = 7
DEFAULT_RULES = (
    {
        "name": "Mass removal by a new account",
        "description": "A new account removes much of an article's text.",
        "action": AbuseRule.Action.WARN,
        "message": "Your edit removes a lot of text. If that is what you meant, say why in the "
        "summary.",
        "min_removed_chars": 2000,
        "max_account_age_days": NEW_ACCOUNT_DAYS,
    },
    {
        "name": "Dose added in a Drugs article by a new account",
        "description": "A changed dose is a harm: a new account's doses wait for an editor.",
        "action": AbuseRule.Action.HOLD,
        "message": "Your edit adds a dose to a drug article; an editor checks doses before "
        "they are published.",
        "added_text_regex": r"\b\d+(?:[.,]\d+)?\s?(?:mg|mcg|µg|μg|g|ml|mL|units?|IU)\b",
        "in_category": "Drugs",
        "max_account_age_days": NEW_ACCOUNT_DAYS,
    },
    {
        "name": "Repeated characters",
        "description": "The same character 20 times or more in a row (keyboard mashing).",
        "action": AbuseRule.Action.TAG,
        "tag": "repeated-characters",
        "added_text_regex": r"([^\s\-=_#*|.`~])\1{19,}",
    },
    {
        "name": "Section blanked",
        "description": "A section that had text is emptied or removed.",
        "action": AbuseRule.Action.TAG,
        "tag": "section-blanked",
        "section_blanked": True,
    },
)


def ship_default_rules(**kwargs) -> None:
    """post_migrate: write the default abuse rules that are missing, switched off."""
    for rule in DEFAULT_RULES:
        values = {**rule}
        AbuseRule.objects.get_or_create(
            name=values.pop("name"), defaults={**values, "enabled": False}
        )
