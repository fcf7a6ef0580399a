"""The render budget: CPU time a render may take before the text is refused."""

import signal
import threading
import time
from contextlib import contextmanager

from django.conf import settings
from markdown.blockprocessors import BlockProcessor

# Per thread: the deadline of the render under way, and the reusable Markdown instance.
_local = threading.local()


class RenderTooComplex(ValueError):
    """Text whose rendering would take longer than its budget: markup nested or repeated far
    beyond what an article needs. The message says so to the editor; nothing is saved."""


TOO_COMPLEX = (
    "This text is too complex to render: some markup is nested or repeated far too often "
    "(for example thousands of [ or * in a row, or lists nested hundreds deep). Simplify "
    "that part of the text and try again."
)


@contextmanager
def render_budget():
    """Rendering may take WIKI_RENDER_BUDGET_SECONDS of CPU time (the load of other requests
    does not count); past that, or past Python's recursion limit, the text is refused with
    RenderTooComplex. In the main thread (gunicorn's sync workers) a CPU-time timer interrupts
    any step of Markdown; in other threads the block and inline passes check the time
    themselves. Nested calls share the outer budget."""
    if getattr(_local, "deadline", None) is not None:
        yield
        return
    budget = settings.WIKI_RENDER_BUDGET_SECONDS
    timer = threading.current_thread() is threading.main_thread()
    _local.deadline = time.thread_time() + budget
    # A thread's CPU time cannot run ahead of the clock on the wall: before the budget has
    # passed on the wall clock (read without a system call), it has not passed in CPU time.
    _local.wall_deadline = time.perf_counter() + budget
    if timer:
        if signal.getsignal(signal.SIGPROF) is not _out_of_budget:
            # Stays installed: a tick already on its way when a render ends is then ignored,
            # where the default action would end the process.
            signal.signal(signal.SIGPROF, _out_of_budget)
        # Repeats: a tick that lands where an exception is swallowed (a finalizer) is retried.
        signal.setitimer(signal.ITIMER_PROF, budget, 0.05)
    try:
        yield
    except (RenderTooComplex, RecursionError):
        _local.md = None  # interrupted mid-parse: its parser state is not to be trusted
        raise RenderTooComplex(TOO_COMPLEX) from None
    finally:
        _local.deadline = None  # first: a signal arriving now no longer interrupts anything
        if timer:
            signal.setitimer(signal.ITIMER_PROF, 0)


def _out_of_budget(signum, frame):
    if getattr(_local, "deadline", None) is not None:
        raise RenderTooComplex(TOO_COMPLEX)


def check_budget() -> None:
    """Out of budget: RenderTooComplex. The thread's CPU time is read (a system call, which
    was the largest single cost of rendering) only once the wall clock says it may be."""
    deadline = getattr(_local, "deadline", None)
    if (
        deadline is not None
        and time.perf_counter() > _local.wall_deadline
        and time.thread_time() > deadline
    ):
        raise RenderTooComplex(TOO_COMPLEX)


class BudgetCheck(BlockProcessor):
    """Tried before every block processor on every block: checks the budget, claims nothing."""

    def test(self, parent, block):
        check_budget()
        return False
