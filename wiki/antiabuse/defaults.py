"""The allowlist a new site starts with: known-good medical sources, never refused and needing
no captcha. Migration 0026 writes it (with its own copy of the list, as it was then); after a
flush, which empties a site as new, the post_migrate step writes it again."""

from .models import LinkPattern

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
