"""A local stand-in for Crossref and E-utilities as the retraction check asks them, serving
the bodies in tests/data/retractions/ (see its README)."""

import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qs, unquote, urlsplit

DATA = Path(__file__).resolve().parent / "data" / "retractions"
EMPTY_LIST = {
    "status": "ok",
    "message-type": "work-list",
    "message-version": "1.0.0",
    "message": {"facets": {}, "total-results": 0, "items": [], "items-per-page": 50},
}


class RetractionServices(BaseHTTPRequestHandler):
    requests: list[str] = []

    def do_GET(self):  # noqa: N802 (http.server's name)
        type(self).requests.append(self.path)
        url = urlsplit(self.path)
        query = {k: v[0] for k, v in parse_qs(url.query).items()}
        service, _, rest = url.path.lstrip("/").partition("/")
        # Under /withdrawn/ the services say the same with every notice taken away.
        self.withdrawn = service == "withdrawn"
        if self.withdrawn:
            service, _, rest = rest.partition("/")
        if service == "crossref" and rest == "works":
            doi = query.get("filter", "").removeprefix("updates:")
            return self.file(f"crossref-updates-{doi.replace('/', '_')}.json", EMPTY_LIST)
        if service == "crossref" and rest.startswith("works/"):
            doi = unquote(rest.removeprefix("works/")).lower()
            return self.file(f"crossref-{doi.replace('/', '_')}.json")
        if service == "eutils" and rest == "esummary.fcgi":
            return self.summaries(query.get("id", "").split(","))
        return self.answer(404, "Resource not found.", "text/plain")

    def file(self, name: str, otherwise=None):
        if (DATA / name).is_file() and self.withdrawn:
            body = json.loads((DATA / name).read_text())
            body["message"].pop("updated-by", None)
            body["message"]["items"] = []
            return self.answer(200, json.dumps(body))
        if (DATA / name).is_file():
            return self.answer(200, (DATA / name).read_text())
        if otherwise is not None:
            return self.answer(200, json.dumps(otherwise))
        return self.answer(404, "Resource not found.", "text/plain")

    def summaries(self, pmids: list[str]):
        """One esummary answer for several PMIDs, as E-utilities gives it."""
        result = {"uids": pmids}
        for pmid in pmids:
            path = DATA / f"esummary-pubmed-{pmid}.json"
            if path.is_file():
                result[pmid] = json.loads(path.read_text())["result"][pmid]
                if self.withdrawn:
                    result[pmid]["references"] = []
                    result[pmid]["pubtype"] = ["Journal Article"]
            else:
                result[pmid] = {"uid": pmid, "error": "cannot get document summary"}
        body = {"header": {"type": "esummary", "version": "0.3"}, "result": result}
        return self.answer(200, json.dumps(body))

    def answer(self, status: int, body: str, kind: str = "application/json"):
        data = body.encode()
        self.send_response(status)
        self.send_header("Content-Type", f"{kind}; charset=utf-8")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def log_message(self, *args):
        pass


def start_retraction_services() -> tuple[ThreadingHTTPServer, str]:
    """The server, started in a thread on a free port, and its base URL."""
    server = ThreadingHTTPServer(("127.0.0.1", 0), RetractionServices)
    server.daemon_threads = True
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, f"http://127.0.0.1:{server.server_address[1]}"


def point_check_at(settings, base: str) -> None:
    settings.CITATION_CROSSREF_URL = f"{base}/crossref"
    settings.CITATION_EUTILS_URL = f"{base}/eutils"
    settings.CITATION_CONTACT_EMAIL = "editors@example.org"
    settings.CITATION_CHECK_REQUESTS_PER_SECOND = 0  # no waits between requests in tests


# An article citing each kind of source the files above describe, in our own words.
CITING_SOURCE = """Some claims in this article rest on papers that were later retracted.[^wakefield]
One rests on a registry analysis.[^registry] A heart-rate figure comes from a corrected
paper,[^athletes] a sleep figure from a paper under concern,[^shift] and the treatment from a
trial[^recovery] and a reporting guideline.[^prisma]

## References

[^wakefield]: cite journal | authors: Wakefield AJ, Murch SH, Anthony A | title: Ileal-lymphoid-nodular hyperplasia, non-specific colitis, and pervasive developmental disorder in children | journal: Lancet | year: 1998 | volume: 351 | issue: 9103 | pages: 637-641 | doi: 10.1016/S0140-6736(97)11096-0 | pmid: 9500320
[^registry]: cite journal | authors: Mehra MR, Desai SS, Ruschitzka F, Patel AN | title: Hydroxychloroquine or chloroquine with or without a macrolide for treatment of COVID-19: a multinational registry analysis | journal: Lancet | year: 2020 | pmid: 32450107
[^athletes]: cite journal | title: Resting heart rate in adolescent athletes | journal: Test Journal of Cardiology | year: 2019 | doi: 10.5555/cardio.2019.0042
[^shift]: cite journal | title: Evening light and sleep onset in shift workers | journal: Journal of Test Sleep Medicine | year: 2018 | doi: 10.5555/sleep.2018.0113
[^recovery]: cite journal | authors: Horby P, Lim WS | title: Dexamethasone in hospitalized patients with Covid-19 | journal: N Engl J Med | year: 2021 | doi: 10.1056/NEJMoa2021436
[^prisma]: cite journal | authors: Moher D, Liberati A | title: Preferred reporting items for systematic reviews and meta-analyses | journal: PLoS Med | year: 2009 | pmid: 19621072
"""
