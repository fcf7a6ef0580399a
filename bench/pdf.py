#!/usr/bin/env python
"""PDF benchmark: the time "Download as PDF" takes to make the PDF of the largest demo article
(the queue's job without the queue: the page assembled, the document template, WeasyPrint in
its child process), the median of 5 runs, on a scratch SQLite database with the demo loaded.

    .venv/bin/python bench/pdf.py
"""

import io
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
RUNS = 5


def main() -> None:
    scratch = Path(tempfile.mkdtemp(prefix="bench-pdf-"))
    os.environ["DATABASE_URL"] = f"sqlite:///{scratch / 'db.sqlite3'}"
    os.environ["MEDIA_ROOT"] = str(scratch / "media")
    os.environ.setdefault("DEBUG", "0")
    os.environ.setdefault("SECURE_SSL_REDIRECT", "0")
    os.environ.setdefault("SECRET_KEY", "bench-only-" + "x" * 40)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "encyclopedia.settings")
    sys.path.insert(0, str(ROOT))
    os.chdir(ROOT)
    import django

    django.setup()
    from django.core.management import call_command
    from django.template.loader import render_to_string
    from pypdf import PdfReader

    from wiki.models import Article
    from wiki.printing.services import document_context, render_pdf

    call_command("migrate", verbosity=0)
    call_command("load_demo", verbosity=0)
    articles = Article.objects.filter(redirect_to=None).exclude(title__contains=":")
    article = articles.order_by("-size").first()
    times, pdf = [], b""
    for _ in range(RUNS):
        started = time.perf_counter()
        context = document_context(article, article.latest_revision_id, "a4")
        pdf = render_pdf(render_to_string("wiki/printing/document.html", context))
        times.append(time.perf_counter() - started)
    pages = len(PdfReader(io.BytesIO(pdf)).pages)
    print(f"article: {article.title} ({article.size:,} bytes of source)")
    print(f"PDF: {pages} pages, {len(pdf) // 1024:,} KB")
    median = statistics.median(times)
    print(f"median of {RUNS}: {median:.2f} s (min {min(times):.2f}, max {max(times):.2f})")


if __name__ == "__main__":
    main()
