"""A local stand-in for Crossref, E-utilities, Open Library and a journal's web pages, serving
the bodies in tests/data/citation_lookup/ (see its README) for the citation look-up tests."""

import json
import socket
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qs, unquote, urlsplit

DATA = Path(__file__).resolve().parent / "data" / "citation_lookup"
SLOW_SECONDS = 2


class CitationServices(BaseHTTPRequestHandler):
    requests: list[str] = []

    def do_GET(self):  # noqa: N802 (http.server's name)
        type(self).requests.append(self.path)
        url = urlsplit(self.path)
        query = {k: v[0] for k, v in parse_qs(url.query).items()}
        service, _, rest = url.path.lstrip("/").partition("/")
        if service == "slow":
            time.sleep(SLOW_SECONDS)
            service, _, rest = rest.partition("/")
        name = None
        if service == "crossref" and rest.startswith("works/"):
            name = "crossref-" + unquote(rest.removeprefix("works/")).replace("/", "_") + ".json"
        elif service == "eutils" and rest == "esearch.fcgi":
            doi = query.get("term", "").removesuffix("[doi]").replace("/", "_")
            name = f"esearch-doi-{doi}.json"
            if not (DATA / name).exists():
                return self.answer(200, json.dumps({"esearchresult": {"count": "0", "idlist": []}}))
        elif service == "eutils" and rest == "esummary.fcgi":
            name = f"esummary-{query.get('db')}-{query.get('id')}.json"
            if not (DATA / name).exists():
                return self.answer(200, (DATA / "esummary-pubmed-unknown.json").read_text())
        elif service == "openlibrary" and rest == "api/books":
            name = "openlibrary-" + query.get("bibkeys", "").removeprefix("ISBN:") + ".json"
            if not (DATA / name).exists():
                return self.answer(200, "{}")
        elif service == "pages":
            name = rest
        if name and (DATA / name).is_file():
            kind = "text/html" if name.endswith(".html") else "application/json"
            return self.answer(200, (DATA / name).read_text(), kind)
        return self.answer(404, "Resource not found.", "text/plain")

    def answer(self, status: int, body: str, kind: str = "application/json"):
        data = body.encode()
        self.send_response(status)
        self.send_header("Content-Type", f"{kind}; charset=utf-8")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def log_message(self, *args):
        pass


def start_citation_services() -> tuple[ThreadingHTTPServer, str]:
    """The server, started in a thread on a free port, and its base URL."""
    server = ThreadingHTTPServer(("127.0.0.1", 0), CitationServices)
    server.daemon_threads = True
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, f"http://127.0.0.1:{server.server_address[1]}"


def closed_port_url() -> str:
    """An address where nothing listens."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    return f"http://127.0.0.1:{port}"


def point_settings_at(settings, base: str) -> None:
    settings.CITATION_CROSSREF_URL = f"{base}/crossref"
    settings.CITATION_EUTILS_URL = f"{base}/eutils"
    settings.CITATION_OPENLIBRARY_URL = f"{base}/openlibrary"
    settings.CITATION_CONTACT_EMAIL = "editors@example.org"
    settings.CITATION_ALLOW_PRIVATE_URLS = True
