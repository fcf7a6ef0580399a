"""Each language's words as search matches them: reduced to their stem by the language's
Snowball stemmer, diacritics folded ("migrañas", "Migraña" and "migrana" all to "migran").

PostgreSQL does both in its text search configurations `folded_<stemmer>` (`unaccent`, then
its own Snowball stemmer; migration 0034 creates them). SQLite's FTS5 folds diacritics and
stems English itself (porter), so for the other languages the words are stemmed here, with
the same Snowball algorithms (`snowballstemmer`), then folded, before they are indexed and
before they are looked up: the stemmer first, as it knows its language's marks (Arabic's
hamza, which folding would strip, and its short vowels, which FTS5 would split words at).
A language PostgreSQL has no stemmer for is searched by its folded words alone.
"""

import unicodedata
from functools import cache

import regex
import snowballstemmer

# The Snowball stemmer of each language PostgreSQL 15 ships one for (`pg_ts_config`), by the
# language's code; its name is also that of PostgreSQL's configuration.
STEMMERS = {
    "ar": "arabic",
    "ca": "catalan",
    "da": "danish",
    "de": "german",
    "el": "greek",
    "en": "english",
    "es": "spanish",
    "eu": "basque",
    "fi": "finnish",
    "fr": "french",
    "ga": "irish",
    "hi": "hindi",
    "hu": "hungarian",
    "hy": "armenian",
    "id": "indonesian",
    "it": "italian",
    "lt": "lithuanian",
    "nb": "norwegian",
    "ne": "nepali",
    "nl": "dutch",
    "no": "norwegian",
    "pt": "portuguese",
    "ro": "romanian",
    "ru": "russian",
    "sr": "serbian",
    "sv": "swedish",
    "ta": "tamil",
    "tr": "turkish",
    "yi": "yiddish",
}
NO_STEMMER = "simple"
# The languages whose stemmer FTS5 has built in (its porter tokenizer): indexed as written.
STEMMED_BY_SQLITE = {"english"}
WORDS = regex.compile(r"[\p{L}\p{M}\p{N}]+")  # marks too: Arabic's short vowels are in words


def stemmer_name(language: str) -> str:
    """The Snowball stemmer of `language` ("es", "pt-br"), or "simple" when there is none."""
    return STEMMERS.get(language.lower().split("-")[0], NO_STEMMER)


def postgres_config(language: str) -> str:
    """The PostgreSQL text search configuration `language`'s text is indexed and queried with."""
    return f"folded_{stemmer_name(language)}"


def stemmed_here(language: str) -> bool:
    """Whether SQLite's entries of `language` hold words stemmed by `stems` (every language
    but those FTS5 stems itself)."""
    return stemmer_name(language) not in STEMMED_BY_SQLITE


def fold(text: str) -> str:
    """Lower case, without diacritics ("Migraña" → "migrana"; Arabic loses its harakat)."""
    decomposed = unicodedata.normalize("NFD", text.lower())
    return "".join(c for c in decomposed if unicodedata.category(c) != "Mn")


@cache
def _stemmer(name: str):
    return snowballstemmer.stemmer(name) if name != NO_STEMMER else None


def stems(text: str, language: str) -> list[str]:
    """The words of `text`, stemmed and folded, in order."""
    words = WORDS.findall(unicodedata.normalize("NFC", text.lower()))
    distinct = list(dict.fromkeys(words))
    if stemmer := _stemmer(stemmer_name(language)):
        stem_of = dict(zip(distinct, map(fold, stemmer.stemWords(distinct)), strict=True))
    else:
        stem_of = {word: fold(word) for word in distinct}
    return [stem for word in words if (stem := stem_of[word])]
