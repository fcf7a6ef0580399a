"""The PDF engine, run as `python -m wiki.printing.engine` in a child process (so a document
that takes too long is stopped by killing it): reads a JSON job on standard input, writes the
PDF to the file the job names. No Django here, and no network: every resource WeasyPrint asks
for is read from the folders the job maps addresses to (MEDIA_ROOT, the static folders), and
any other address is refused."""

import json
import mimetypes
import sys
from pathlib import Path
from urllib.parse import unquote, urlsplit

from weasyprint import HTML
from weasyprint.urls import URLFetcher, URLFetcherResponse

# The largest resource (an image, a style sheet) read into a document.
MAX_RESOURCE_BYTES = 20 * 1024 * 1024


class LocalFetcher(URLFetcher):
    """Answers `{prefix}{path}` with the file `path` under one of the prefix's folders, and
    nothing else: no network, no file outside those folders."""

    def __init__(self, roots: dict[str, list[str]]):
        super().__init__(allowed_protocols=set())
        self.roots = {p: [Path(f).resolve() for f in folders] for p, folders in roots.items()}

    def local_path(self, url: str) -> Path | None:
        address = urlsplit(url)
        plain = f"{address.scheme}://{address.netloc}{address.path}"
        for prefix, folders in self.roots.items():
            if not plain.startswith(prefix):
                continue
            relative = unquote(plain[len(prefix) :])
            for folder in folders:
                candidate = (folder / relative).resolve()
                if candidate.is_relative_to(folder) and candidate.is_file():
                    return candidate
        return None

    def fetch(self, url, headers=None):
        path = self.local_path(url)
        if path is None:
            raise ValueError(f"not one of our own files: {url}")
        if path.stat().st_size > MAX_RESOURCE_BYTES:
            raise ValueError(f"too large: {url}")
        kind = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
        return URLFetcherResponse(url, path.read_bytes(), {"Content-Type": kind})


def write_pdf(job: dict) -> None:
    fetcher = LocalFetcher(job["roots"])
    document = HTML(string=job["html"], base_url=job["base_url"], url_fetcher=fetcher)
    document.write_pdf(job["output"])


if __name__ == "__main__":
    write_pdf(json.load(sys.stdin))
