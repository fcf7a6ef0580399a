"""Content rules: what links, ids, classes and images of content may be, after sanitizing."""

import re

from django.conf import settings

EXTERNAL_REL = "nofollow ugc noopener"
USER_ID_PREFIX = "user-content-"
MAX_IMAGE_SIDE = 2000  # px; a larger width or height is dropped (the image keeps its own)
# A start tag as nh3 writes it: every value double-quoted, `"` inside one escaped, so a `>`
# can only end the tag outside quotes.
CONTENT_TAG = re.compile(r'<(a|img|li|sup|code|div|h[1-6])\s((?:[^>"]|"[^"]*")*)>')
TAG_ATTRIBUTE = re.compile(r'([a-z][a-z0-9-]*)="([^"]*)"')
ID_VALUE = re.compile(r'\sid="([^"]*)"')
CODE_LANGUAGE = re.compile(r"language-[A-Za-z0-9_+#.-]{1,40}")


def _external(url: str) -> bool:
    return url.startswith(("http://", "https://", "//"))


def content_rules(html: str) -> str:
    """The rules for links, ids, classes and images of content, the same for Markdown and for
    raw HTML (sanitized HTML goes in): links to other sites get `rel="nofollow ugc noopener"`
    and the external class, whatever rel the author wrote; ids get a prefix (with the
    fragment links pointing at them, footnotes included), so content cannot take the page's
    own ids (`content`, `search-q`) or clobber DOM globals; remote images become links unless
    WIKI_ALLOW_REMOTE_IMAGES (then https only); oversized width/height are dropped."""
    if "<" not in html:
        return html
    ids = set(ID_VALUE.findall(html))
    remote_images = settings.WIKI_ALLOW_REMOTE_IMAGES

    def rewrite(m):
        tag, attrs = m.group(1), dict(TAG_ATTRIBUTE.findall(m.group(2)))
        if "id" in attrs and not attrs["id"].startswith(USER_ID_PREFIX):
            attrs["id"] = USER_ID_PREFIX + attrs["id"]
        if tag == "a":
            href = attrs.get("href", "")
            if href.startswith("#") and href[1:] in ids:
                attrs["href"] = "#" + USER_ID_PREFIX + href[1:]
            if _external(href):
                attrs["class"] = "external"
                attrs["rel"] = EXTERNAL_REL
        elif tag == "img":
            src = attrs.get("src", "")
            if _external(src) and not (remote_images and src.startswith("https://")):
                return _image_link(attrs)
            for side in ("width", "height"):
                value = attrs.get(side)
                if value is not None and not (value.isdigit() and 0 < int(value) <= MAX_IMAGE_SIDE):
                    del attrs[side]
        elif tag == "code" and "class" in attrs:
            languages = [c for c in attrs["class"].split() if CODE_LANGUAGE.fullmatch(c)]
            if languages:
                attrs["class"] = languages[0]
            else:
                del attrs["class"]
        if attrs.get("class") == "":  # nh3 leaves the attribute when it removed every class
            del attrs["class"]
        written = "".join(f' {name}="{value}"' for name, value in attrs.items())
        return f"<{tag}{written}>"

    return CONTENT_TAG.sub(rewrite, html)


def _image_link(attrs: dict[str, str]) -> str:
    """A remote image, not loaded (a tracking pixel costs readers their privacy): a link."""
    label = attrs.get("alt") or attrs.get("title") or "image"
    return f'<a href="{attrs["src"]}" class="external" rel="{EXTERNAL_REL}">[{label}]</a>'
