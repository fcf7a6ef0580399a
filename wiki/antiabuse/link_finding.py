"""The links an edit adds, as a filter must see them: written as Markdown links, autolinks,
HTML, reference-style definitions, citation `url:` fields or infobox values; disguised with
HTML entities, full-width letters, invisible characters, percent-encoding, punycode or
look-alike letters. Each found link is normalised once (`FoundLink`)."""

import html
import re
import unicodedata
from dataclasses import dataclass
from urllib.parse import unquote, urlsplit

import idna

from .lookalikes import skeleton, visible

# A scheme link, or one starting with // (protocol-relative), or a bare www. address.
LINK = re.compile(
    r"(?:\b(?:https?|ftp):[/\\]{1,3}|(?<![\w:/])//|\bwww\d{0,3}\.)[^\s<>\"'`|\]\)\[\(\{\}]+",
    re.IGNORECASE,
)
SCHEME = re.compile(r"^([a-z]+):/{1,3}", re.IGNORECASE)
# A bare host (`spam.example`) in an infobox value or a citation field.
BARE_HOST = re.compile(r"(?<![\w@/.-])(?:[\w-]+\.)+[^\W\d_]{2,63}\b(?:/[^\s|)\]]*)?")
INFOBOX_OPEN = re.compile(r"^\s*:::\s*infobox\b", re.IGNORECASE)
BLOCK_CLOSE = re.compile(r"^\s*:::\s*$")
CITATION_LINE = re.compile(r"^\s*\[\^[^\]]+\]:\s*cite\b", re.IGNORECASE)


@dataclass(frozen=True)
class FoundLink:
    """A link as written (`written`) and normalised: `host` in its Unicode form, `ascii_host`
    as DNS sees it (punycode), `skeleton` the ASCII it looks like; `url` the link with the
    skeleton for host, `plain_url` with the host (regular expressions are searched in both)."""

    written: str
    host: str
    ascii_host: str
    skeleton: str
    url: str
    plain_url: str
    bare: bool = False  # found as a host without a scheme, in an infobox or citation

    @property
    def disguised(self) -> bool:
        """Written with letters other than the plain ASCII it looks like."""
        return self.skeleton != self.ascii_host


def unmasked(text: str) -> str:
    """The text as a browser would read its links: entities decoded, compatibility forms
    (full-width letters and signs) folded, invisible characters dropped."""
    return visible(unicodedata.normalize("NFKC", html.unescape(text or "")))


def host_pattern(domain: str) -> str:
    """An administrator's domain entry as it is matched: lower case, no scheme, path, port or
    `*.`, in Unicode form. ValueError when it is not a domain."""
    found = normalised(domain if "//" in domain else f"//{domain.strip().lstrip('*.')}")
    if found is None or "." not in found.host:
        raise ValueError(f"“{domain}” is not a domain, e.g. spam.example.")
    return found.host


def normalised(written: str, *, bare: bool = False) -> FoundLink | None:
    """One link normalised, or None when it has no host. As browsers do, `https:\\host` and
    `https:/host` are `https://host`."""
    address = SCHEME.sub(lambda m: f"{m.group(1).lower()}://", written.replace("\\", "/"), count=1)
    address = address if "//" in address[:12] else f"//{address}"
    try:
        parts = urlsplit(address)
        raw_host = parts.hostname or ""
    except ValueError:
        return None
    host = unquote(raw_host).strip(".").lower()
    if not host:
        return None
    host = ".".join(_unicode_label(label) for label in host.split("."))
    ascii_host = _ascii(host)
    look = skeleton(host)
    scheme = (parts.scheme or "https").lower()
    rest = unquote(parts.path + (f"?{parts.query}" if parts.query else ""))
    return FoundLink(
        written=written,
        host=host,
        ascii_host=ascii_host,
        skeleton=look,
        url=f"{scheme}://{look}{rest}",
        plain_url=f"{scheme}://{host}{rest}",
        bare=bare,
    )


def _unicode_label(label: str) -> str:
    if label.startswith("xn--"):
        try:
            return idna.decode(label)
        except idna.IDNAError:
            return label
    return label


def _ascii(host: str) -> str:
    try:
        return idna.encode(host, uts46=True).decode("ascii")
    except idna.IDNAError:
        return host.encode("ascii", "backslashreplace").decode("ascii")


def links_in(text: str) -> dict[str, FoundLink]:
    """Every link of `text`, by its normalised form (`url`)."""
    plain = unmasked(text)
    found = {}
    linked = "\n".join(  # the lines that may hold a link: a fast look first
        line for line in plain.splitlines() if "/" in line or "\\" in line or "ww" in line.lower()
    )
    for match in LINK.finditer(linked):
        link = normalised(match.group(0).rstrip(".,;:!?*_~"))
        if link is not None:
            found.setdefault(link.url, link)
    for value in _field_values(plain):
        for match in BARE_HOST.finditer(value):
            link = normalised(match.group(0).rstrip(".,;:"), bare=True)
            if link is not None:
                found.setdefault(link.url, link)
    return found


def _field_values(text: str):
    """The lines of infobox blocks and citation entries, where a bare host is a link."""
    in_infobox = False
    for line in text.splitlines():
        if INFOBOX_OPEN.match(line):
            in_infobox = True
        elif in_infobox and BLOCK_CLOSE.match(line):
            in_infobox = False
        elif in_infobox or CITATION_LINE.match(line):
            yield LINK.sub(" ", line)  # the scheme links are found already


def added_links(old_text: str, new_text: str) -> list[FoundLink]:
    """The links of `new_text` that `old_text` did not have (as MediaWiki's SpamBlacklist
    checks only what an edit adds)."""
    before = links_in(old_text)
    return [link for url, link in links_in(new_text).items() if url not in before]
