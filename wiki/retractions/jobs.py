"""The scheduled check of cited sources, run by the task queue's worker (`wiki.tasks.SCHEDULED`)."""

import logging

from .services import check_cited_works

logger = logging.getLogger(__name__)


def check_sources_job() -> None:
    """Check the cited works due for it (CITATION_CHECK_BATCH a run)."""
    report = check_cited_works()
    logger.info(
        "Checked %d cited works: %d changed, %d pages retired%s.",
        report.checked,
        len(report.changed),
        report.pages_retired,
        f", unreachable: {', '.join(report.unreachable)}" if report.unreachable else "",
    )
