"""Look-alike letters: a host's skeleton, the plain ASCII it is made to look like, so that
`whо.int` with a Cyrillic о, `ｗｈｏ.int` in full-width letters or `wh0.int` with a zero are
matched as `who.int`. A small table of the confusable letters spammers use (after Unicode's
own compatibility folding, NFKC), not the whole of Unicode's confusables list."""

import re
import unicodedata

LOOKALIKES = {
    # Cyrillic
    "а": "a", "в": "b", "е": "e", "ё": "e", "һ": "h", "і": "i", "ї": "i", "ј": "j",
    "к": "k", "ӏ": "l", "м": "m", "н": "h", "о": "o", "р": "p", "с": "c", "ѕ": "s",
    "т": "t", "у": "y", "х": "x", "ԁ": "d", "ԛ": "q", "ԝ": "w", "ь": "b", "п": "n",
    # Greek
    "α": "a", "β": "b", "γ": "y", "ε": "e", "η": "n", "ι": "i", "κ": "k", "ν": "v",
    "ο": "o", "ρ": "p", "τ": "t", "υ": "u", "χ": "x", "ω": "w", "ϲ": "c",
    # Armenian and Latin extensions
    "ո": "n", "ս": "u", "օ": "o", "ɑ": "a", "ɡ": "g", "ı": "i", "ȷ": "j", "ł": "l",
    "ß": "ss", "ø": "o", "đ": "d", "ħ": "h",
    # digits and signs read as letters
    "0": "o", "1": "l", "|": "l", "!": "l",
    # dots that browsers and IDNA take for a dot
    "。": ".", "．": ".", "｡": ".",
}  # fmt: skip
INVISIBLE = re.compile("[\u00ad\u034f\u180e\u200b\u200c\u200d\u2060\ufeff]")
DIGRAPHS = (("rn", "m"), ("vv", "w"), ("cl", "d"))


def visible(text: str) -> str:
    """`text` without the invisible characters that split a word for a filter, not a reader."""
    return INVISIBLE.sub("", text)


def skeleton(host: str) -> str:
    """The ASCII a host is made to look like (lower case; accents dropped)."""
    folded = unicodedata.normalize("NFKD", visible(host).casefold())
    plain = "".join(ch for ch in folded if not unicodedata.combining(ch))
    plain = "".join(LOOKALIKES.get(ch, ch) for ch in unicodedata.normalize("NFKC", plain))
    for pair, letter in DIGRAPHS:
        plain = plain.replace(pair, letter)
    return plain
