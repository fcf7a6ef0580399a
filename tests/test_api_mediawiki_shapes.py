"""The Action API's answers have MediaWiki 1.39's shapes: the same requests go to this wiki
(a live server) and to a real MediaWiki 1.39 (Debian's package, installed on SQLite in a
temporary folder and served by php's built-in server) holding the same pages, and each pair
of answers must have the same keys with values of the same types (never the same values)."""

import io
import os
import random
import shutil
import socket
import subprocess
import time
from pathlib import Path

import pytest
import requests
from PIL import Image

from tests.conftest import make_media, save
from wiki.models import Article

MEDIAWIKI = Path("/usr/share/mediawiki")
SAMPLE = "Sample condition"
OTHER = "Other condition"
OTHER_TEXT = "Compare [[Sample condition]]. https://pubmed.gov/1"
TEMPLATED = "Templated condition"  # calls Wrapper, which calls Hatnote
TEMPLATES = {
    "Template:Hatnote": "For {{{other|other uses}}}, see [[{{{page}}}]].",
    "Template:Wrapper": "{{Hatnote|page=Other condition}}",
    TEMPLATED: "{{Wrapper}}\n\nRest helps.",
}

# Where this wiki's answer differs from MediaWiki's on purpose, by request name: the keys
# MediaWiki sends that this wiki leaves out, and why.
KNOWN = {
    # The failures here carry their message, not MediaWiki's message parameters.
    "unknown action errorformat=raw fv2": {".errors[0].params: empty on one side only"},
    # A file here has no wiki page of its own: its File: page is `missing` and `known`, as
    # MediaWiki shows a file from a shared repository, so it has no page id.
    "prop=imageinfo": {
        ".query.pages[0].pageid: only in MediaWiki",
        ".query.pages[0].missing: only here",
        ".query.pages[0].known: only here",
    },
    # An error here answers the error alone: MediaWiki also warns that the answer without
    # prop= would have been its legacy one.
    "expandtemplates bad title": {".warnings: only in MediaWiki"},
    # A stashed file is not shown before it is stored (MediaWiki shows it on
    # Special:UploadStash): the answer to its last chunk has no imageinfo.
    "upload last chunk": {".upload.imageinfo: only in MediaWiki"},
}


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def php(*args, config: Path, stdin: str | None = None):
    return subprocess.run(
        ["php", *args],
        env={**os.environ, "MW_CONFIG_FILE": str(config)},
        input=stdin,
        capture_output=True,
        text=True,
        timeout=300,
        check=True,
    )


def scan_png(folder: Path) -> Path:
    from PIL import Image

    folder.mkdir()
    Image.new("RGB", (900, 600), (200, 40, 40)).save(folder / "Chest_scan.png", "PNG")
    return folder


@pytest.fixture
def mediawiki(tmp_path):
    """MediaWiki 1.39 with the same pages as `ours`, served on a free port of 127.0.0.1."""
    if not (shutil.which("php") and (MEDIAWIKI / "maintenance" / "install.php").exists()):
        if os.environ.get("ENCYCLOPEDIA_REQUIRE_MEDIAWIKI") == "1":
            pytest.fail("ENCYCLOPEDIA_REQUIRE_MEDIAWIKI=1 but php or MediaWiki is missing")
        pytest.skip("MediaWiki (php, /usr/share/mediawiki) is not installed")
    folder, port = tmp_path / "mediawiki", free_port()
    (folder / "db").mkdir(parents=True)
    (folder / "images").mkdir()
    config = folder / "LocalSettings.php"
    maintenance = MEDIAWIKI / "maintenance"
    php(
        str(maintenance / "install.php"),
        "--dbtype", "sqlite", "--dbpath", str(folder / "db"), "--dbname", "shapes",
        "--confpath", str(folder), "--server", f"http://127.0.0.1:{port}", "--scriptpath", "",
        "--pass", "Throwaway-pass-9921", "Shapes", "Admin",
        config=config,
    )  # fmt: skip
    with open(config, "a") as settings_file:
        settings_file.write(
            f"\n$wgEnableUploads = true;\n$wgUploadDirectory = '{folder / 'images'}';\n"
            "$wgGroupPermissions['user']['patrol'] = true;\n"
            "$wgGroupPermissions['user']['rollback'] = true;\n"
        )
    for name in ("Edna", "Otto"):
        php(str(maintenance / "createAndPromote.php"), name, "Edna-pass-9921x", config=config)
    php(str(maintenance / "importImages.php"), str(scan_png(tmp_path / "upload")), "--user",
        "Edna", "--extensions=png", config=config)  # fmt: skip

    def edit(title, text, user, summary):
        php(str(maintenance / "edit.php"), "--user", user, "--summary", summary, title,
            config=config, stdin=text)  # fmt: skip

    edit(SAMPLE, "Rest helps.\n\n[[Category:Rare diseases]]", "Edna", "Created")
    edit(SAMPLE, "Rest helps a lot.\n\n[[Category:Rare diseases]]", "Otto", "More rest")
    edit(OTHER, OTHER_TEXT + " [[File:Chest scan.png]] [[Category:Rare diseases]]", "Edna", "C")
    for title, text in TEMPLATES.items():
        edit(title, text, "Edna", "Template")
    php(str(maintenance / "runJobs.php"), config=config)
    server = subprocess.Popen(
        ["php", "-S", f"127.0.0.1:{port}", "-t", str(MEDIAWIKI)],
        env={**os.environ, "MW_CONFIG_FILE": str(config)},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    url = f"http://127.0.0.1:{port}/api.php"
    try:
        for _ in range(100):
            try:
                requests.get(url, timeout=5)
                break
            except requests.ConnectionError:
                time.sleep(0.1)
        yield url
    finally:
        server.terminate()
        server.wait(timeout=10)


@pytest.fixture
def ours(live_server, two_linked_articles, editor, other_editor, make_article):
    media = make_media(editor)
    other = Article.objects.get(title=OTHER)
    save(other, editor, f"{OTHER_TEXT}\n\n[[File:{media.name}]]\n")
    for title, text in TEMPLATES.items():
        make_article(title=title, source=text, user=editor)
    return f"{live_server.url}/api.php"


def shape(value):
    """Keys and value types, not values: a list by the shape of its first item, and so the
    pages of formatversion 1 (an object keyed by page ids)."""
    if isinstance(value, dict) and value and all(k.lstrip("-").isdigit() for k in value):
        return [shape(next(iter(value.values())))]
    if isinstance(value, dict):
        return {key: shape(item) for key, item in value.items()}
    if isinstance(value, list):
        return [shape(value[0])] if value else []
    return type(value).__name__


def differences(mine, theirs, path="") -> list[str]:
    if isinstance(mine, dict) and isinstance(theirs, dict):
        found = []
        for key in sorted(set(mine) | set(theirs)):
            where = f"{path}.{key}"
            if key not in theirs:
                found.append(f"{where}: only here")
            elif key not in mine:
                found.append(f"{where}: only in MediaWiki")
            else:
                found += differences(mine[key], theirs[key], where)
        return found
    if isinstance(mine, list) and isinstance(theirs, list):
        if mine and theirs:
            return differences(mine[0], theirs[0], f"{path}[0]")
        return [] if not mine and not theirs else [f"{path}: empty on one side only"]
    if mine != theirs:
        return [f"{path}: {mine} here, {theirs} in MediaWiki"]
    return []


READS = {
    "list=allusers": {"list": "allusers", "auprop": "editcount|registration"},
    "list=allusers continue": {"list": "allusers", "aulimit": "1"},
    "list=random": {"list": "random", "rnnamespace": "0", "rnlimit": "2"},
    "list=allcategories": {"list": "allcategories", "acprop": "size"},
    "list=allcategories fv2": {"list": "allcategories", "formatversion": "2"},
    "list=allimages": {"list": "allimages"},
    "list=embeddedin": {"list": "embeddedin", "eititle": SAMPLE},
    "list=exturlusage": {"list": "exturlusage", "euquery": "pubmed.gov", "euprotocol": "https"},
    "list=search title": {"list": "search", "srsearch": "Other", "srwhat": "title"},
    "list=search nearmatch": {"list": "search", "srsearch": OTHER, "srwhat": "nearmatch"},
    "prop=links": {"prop": "links", "titles": OTHER},
    "prop=templates": {"prop": "templates", "titles": TEMPLATED},
    "prop=templates continue": {"prop": "templates", "titles": TEMPLATED, "tllimit": "1"},
    "prop=templates fv2": {"prop": "templates", "titles": TEMPLATED, "formatversion": "2"},
    "generator=templates": {"generator": "templates", "titles": TEMPLATED, "prop": "info"},
    "list=embeddedin users": {"list": "embeddedin", "eititle": "Template:Hatnote"},
    "list=embeddedin continue": {
        "list": "embeddedin",
        "eititle": "Template:Hatnote",
        "eilimit": "1",
        "formatversion": "2",
    },
    "prop=images": {"prop": "images", "titles": OTHER},
    "prop=imageinfo": {"prop": "imageinfo", "titles": "File:Chest scan.png"},
    "prop=extlinks": {"prop": "extlinks", "titles": OTHER},
    "prop=extlinks fv2": {"prop": "extlinks", "titles": OTHER, "formatversion": "2"},
    "prop=langlinks": {"prop": "langlinks", "titles": OTHER},
    "prop=pageprops": {"prop": "pageprops", "titles": SAMPLE},
    "prop=contributors": {"prop": "contributors", "titles": SAMPLE},
    "prop=revisions rvdiffto": {
        "prop": "revisions",
        "titles": SAMPLE,
        "rvdiffto": "prev",
        "rvprop": "ids",
    },
    "prop=contributors continue": {"prop": "contributors", "titles": SAMPLE, "pclimit": "1"},
    "prop=categories continue": {
        "prop": "categories",
        "titles": f"{OTHER}|{SAMPLE}",  # MediaWiki lists them by title
        "cllimit": "1",
    },
    "generator with props continue": {
        "generator": "allpages",
        "gaplimit": "1",
        "prop": "contributors",
        "pclimit": "1",
    },
}
ERRORS = {
    "unknown action": {"action": "nosuchmodule"},
    "unknown action fv2": {"action": "nosuchmodule", "formatversion": "2"},
    "unknown action errorformat=plaintext": {"action": "nosuchmodule", "errorformat": "plaintext"},
    "unknown action errorformat=raw fv2": {
        "action": "nosuchmodule",
        "errorformat": "raw",
        "formatversion": "2",
    },
    "unknown action errorformat=none": {"action": "nosuchmodule", "errorformat": "none"},
    "list=embeddedin without a title": {"action": "query", "list": "embeddedin"},
    "list=watchlist signed out": {"action": "query", "list": "watchlist"},
    "watch by GET": {"action": "watch", "titles": SAMPLE},
    "compare without a page": {"action": "compare"},
    "expandtemplates without text": {"action": "expandtemplates"},
    "expandtemplates bad title": {"action": "expandtemplates", "text": "x", "title": "<>"},
    "list=embeddedin bad title": {"action": "query", "list": "embeddedin", "eititle": "<"},
}
CALL = "{{Hatnote|page=Sample condition}} and {{Wrapper}}"
EXPANSIONS = {
    "expandtemplates legacy": {},
    "expandtemplates legacy fv2": {"formatversion": "2"},
    "expandtemplates wikitext": {"prop": "wikitext"},
    "expandtemplates wikitext fv2": {"prop": "wikitext", "formatversion": "2", "title": SAMPLE},
    "expandtemplates other parts": {
        "prop": "wikitext|volatile|modules|jsconfigvars|encodedjsconfigvars|parsetree",
        "formatversion": "2",
    },
    "expandtemplates unknown prop": {"prop": "nonsense"},
}


def call(session: requests.Session, url: str, params: dict, post: bool = False) -> dict:
    params = {"format": "json", **params}
    answer = session.post(url, data=params) if post else session.get(url, params=params)
    return answer.json()


def compare(name, url_ours, url_theirs, params, post=False, sessions=(None, None)) -> list[str]:
    mine = call(sessions[0] or requests.Session(), url_ours, params, post)
    theirs = call(sessions[1] or requests.Session(), url_theirs, params, post)
    known = KNOWN.get(name, set())
    return [f"{name}: {d}" for d in differences(shape(mine), shape(theirs)) if d not in known]


def signed_in(url: str, name: str, password: str) -> requests.Session:
    session = requests.Session()
    token = call(session, url, {"action": "query", "meta": "tokens", "type": "login"})
    login = {
        "action": "clientlogin",
        "username": name,
        "password": password,
        "logintoken": token["query"]["tokens"]["logintoken"],
        "loginreturnurl": "http://127.0.0.1/",
    }
    assert call(session, url, login, post=True)["clientlogin"]["status"] == "PASS"
    return session


def csrf(session: requests.Session, url: str, kind: str = "csrf") -> str:
    tokens = call(session, url, {"action": "query", "meta": "tokens", "type": kind})
    return tokens["query"]["tokens"][f"{kind}token"]


def revision_ids(url: str) -> list[int]:
    answer = call(
        requests.Session(),
        url,
        {
            "action": "query",
            "prop": "revisions",
            "titles": SAMPLE,
            "rvlimit": "2",
            "rvdir": "newer",
        },
    )
    [page] = answer["query"]["pages"].values()
    return [r["revid"] for r in page["revisions"]]


@pytest.mark.django_db(transaction=True)
def test_every_module_answers_in_mediawiki_139s_shapes(ours, mediawiki):
    found = []
    for name, params in READS.items():
        found += compare(name, ours, mediawiki, {"action": "query", **params})
    for name, params in ERRORS.items():
        found += compare(name, ours, mediawiki, params)
    for name, params in EXPANSIONS.items():
        found += compare(
            name, ours, mediawiki, {"action": "expandtemplates", "text": CALL, **params}
        )
    first, second = revision_ids(ours), revision_ids(mediawiki)
    mine = call(
        requests.Session(), ours, {"action": "compare", "fromrev": first[0], "torev": first[1]}
    )
    theirs = call(
        requests.Session(),
        mediawiki,
        {"action": "compare", "fromrev": second[0], "torev": second[1]},
    )
    found += [f"compare: {d}" for d in differences(shape(mine), shape(theirs))]
    assert found == [], "\n".join(found)


@pytest.mark.django_db(transaction=True)
def test_signed_in_writes_answer_in_mediawiki_139s_shapes(ours, mediawiki):
    """watch, unwatch, the watchlist, patrol, rollback, clearhasmsg and an upload, each by
    Edna on both wikis."""
    sessions = (
        signed_in(ours, "edna", "pw-edna-123"),
        signed_in(mediawiki, "Edna", "Edna-pass-9921x"),
    )
    found = []

    def both(name, params, kind="csrf", post=True):
        nonlocal found
        answers = []
        for session, url in zip(sessions, (ours, mediawiki), strict=True):
            extra = {"token": csrf(session, url, kind)} if kind else {}
            answers.append(call(session, url, {**params, **extra}, post))
        found += [f"{name}: {d}" for d in differences(shape(answers[0]), shape(answers[1]))]
        return answers

    both("watch", {"action": "watch", "titles": SAMPLE}, "watch")
    watchlist = {"action": "query", "list": "watchlist", "formatversion": "2"}
    both("list=watchlist", watchlist, None, post=False)
    both("unwatch", {"action": "watch", "titles": SAMPLE, "unwatch": "1"}, "watch")
    both("clearhasmsg", {"action": "clearhasmsg"}, None)
    both("rollback", {"action": "rollback", "title": SAMPLE, "user": "Otto"}, "rollback")
    both("rollback again", {"action": "rollback", "title": SAMPLE, "user": "Otto"}, "rollback")
    patrolled = []
    for session, url in zip(sessions, (ours, mediawiki), strict=True):
        changes = {"action": "query", "list": "recentchanges", "rcuser": "Otto", "rclimit": "1"}
        rc = call(session, url, changes)
        patrol = {"action": "patrol", "rcid": rc["query"]["recentchanges"][0]["rcid"]}
        patrolled.append(
            call(session, url, {**patrol, "token": csrf(session, url, "patrol")}, True)
        )
    found += [f"patrol: {d}" for d in differences(shape(patrolled[0]), shape(patrolled[1]))]
    found += chunked_upload_differences(sessions, (ours, mediawiki))
    assert found == [], "\n".join(found)


def chunked_upload_differences(sessions, urls) -> list[str]:
    """A file sent in two chunks (stash=1, offset, filesize, then filekey), as pywikibot's
    upload.py -chunked does: the answers to each chunk."""
    buffer = io.BytesIO()
    noise = random.Random(5).randbytes(40 * 40 * 3)  # noise: the PNG stays above 4 KiB
    Image.frombytes("RGB", (40, 40), noise).save(buffer, "PNG")
    data = buffer.getvalue()
    answers = []
    for session, url in zip(sessions, urls, strict=True):
        common = {"action": "upload", "format": "json", "stash": "1", "filesize": len(data)}
        common.update(filename="Chunked scan.png", token=csrf(session, url))
        first = session.post(
            url, data={**common, "offset": 0}, files={"chunk": ("blob", data[:2048])}
        ).json()
        key = first["upload"]["filekey"]
        last = session.post(
            url,
            data={**common, "offset": 2048, "filekey": key},
            files={"chunk": ("blob", data[2048:])},
        ).json()
        answers.append((first, last))
    found = []
    for n, name in enumerate(("first chunk", "last chunk")):
        mine, theirs = answers[0][n], answers[1][n]
        found += [
            f"upload {name}: {d}"
            for d in differences(shape(mine), shape(theirs))
            if d not in KNOWN.get(f"upload {name}", ())
        ]
    return found
