"""The re-rendering job, run by the task queue's worker (queued by `services.start_rerender`)."""

from .services import rerender_all


def rerender_job(run_id: int) -> None:
    """Re-render one batch of the pages using a changed template; queues the next batch."""
    rerender_all(run_id)
