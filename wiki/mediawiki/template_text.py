"""The common inline and hatnote templates as text, and the templates that are dropped."""

from . import footnote_templates as notes
from . import hatnotes
from . import template_values as values
from .markup import code_span, escape_text, html_escape
from .template_args import plain_arg, text_of, write


def handler(name: str):
    found = HANDLERS.get(name)
    if found is not None:
        return found
    if name.startswith("lang-"):
        return lang_prefixed
    if name.startswith(("ipa-", "ipac-", "ipa ", "ipa2")):
        return ipa
    if name.endswith(" icon") and len(name) <= 8:
        return language_icon
    if name.startswith("formatnum:"):
        return values.format_number
    return None


def first(cv, args, writer, name):  # {{nowrap|text}} and the like: the text itself
    write(writer, text_of(cv, args, 1))


def second(cv, args, writer, name):  # {{lang|fr|text}}
    write(writer, text_of(cv, args, 2, "text"))


LANGUAGES = {
    "fr": "French",
    "de": "German",
    "la": "Latin",
    "el": "Greek",
    "grc": "Ancient Greek",
    "es": "Spanish",
    "it": "Italian",
    "ru": "Russian",
    "ja": "Japanese",
    "zh": "Chinese",
    "ar": "Arabic",
    "he": "Hebrew",
    "pt": "Portuguese",
    "nl": "Dutch",
}


def lang_prefixed(cv, args, writer, name):  # {{lang-fr|text}} -> "French: text"
    code = name[5:]
    language = LANGUAGES.get(code, code)
    write(writer, f"{escape_text(language)}: *{text_of(cv, args, 1)}*")


def wrapped(tag):
    def render(cv, args, writer, name):
        text = text_of(cv, args, 1)
        write(writer, f"<{tag}>{text}</{tag}>" if text else "")

    return render


def emphasised(mark: str):
    def render(cv, args, writer, name):
        text = text_of(cv, args, 1).strip()
        write(writer, f"{mark}{text}{mark}" if text else "")

    return render


def fixed(text):
    def render(cv, args, writer, name):
        write(writer, text)

    return render


def code(cv, args, writer, name):
    write(writer, code_span(args.raw(1)))


def abbr(cv, args, writer, name):
    write(writer, f'<abbr title="{html_escape(args.raw(2))}">{text_of(cv, args, 1)}</abbr>')


def frac(cv, args, writer, name):
    parts = [args.raw(n) for n in (1, 2, 3) if args.raw(n)]
    if len(parts) == 3:
        write(writer, escape_text(f"{parts[0]} {parts[1]}/{parts[2]}"))
    else:
        write(writer, escape_text("/".join(parts) if len(parts) == 2 else f"1/{parts[0]}"))


def ipa(cv, args, writer, name):
    if name.startswith("ipac-"):
        sounds = "".join(plain_arg(v) for v in args.positional if "=" not in str(v))
        write(writer, escape_text(f"/{sounds}/"))
    else:
        write(writer, escape_text(args.raw(1)))


def needed(label: str):
    def render(cv, args, writer, name):
        write(writer, f"<sup>\\[{label}\\]</sup>")

    return render


def list_items(separator: str):
    def render(cv, args, writer, name):
        items = [cv.flat(v).replace("\n    ", " ") for v in args.positional]
        write(writer, separator.join(i for i in items if i.strip()))

    return render


def page_name(cv, args, writer, name):
    write(writer, escape_text(cv.title))


def sortname(cv, args, writer, name):
    write(writer, escape_text(f"{args.raw(1)} {args.raw(2)}".strip()))


def nihongo(cv, args, writer, name):
    rest = ", ".join(x for x in (args.raw(2), args.raw(3)) if x)
    write(writer, text_of(cv, args, 1) + (f" ({escape_text(rest)})" if rest else ""))


def as_of(cv, args, writer, name):
    write(writer, escape_text("As of " + " ".join(args.raw(n) for n in (1, 2, 3) if args.raw(n))))


def money(symbol):
    def render(cv, args, writer, name):
        write(writer, escape_text(symbol + args.raw(1)))

    return render


def language_icon(cv, args, writer, name):  # {{fr icon}} -> "(in French)"
    code = name.removesuffix(" icon") if name.endswith(" icon") else args.raw(1)
    write(writer, escape_text(f"(in {LANGUAGES.get(code, code)})"))


HANDLERS = {
    **dict.fromkeys(
        [
            "nowrap",
            "nobr",
            "nowrap begin",
            "not a typo",
            "notatypo",
            "vanchor",
            "flag",
            "flagcountry",
            "math",
            "bigger",
            "big",
            "resize",
            "highlight",
            "avoid wrap",
            "j",
            "nobold",
            "noitalic",
            "plainlist",
            "flatlist",
            "transl",
            "linktext",
            "sic?",
            "unicode",
            "script",
            "nowrap end",
            "columns-list",
            "div col begin",
        ],
        first,
    ),
    **dict.fromkeys(["lang", "langx", "lang-x"], second),
    **dict.fromkeys(["small", "smaller", "midsize"], wrapped("small")),
    **dict.fromkeys(["em", "var", "mvar"], emphasised("*")),
    "strong": emphasised("**"),
    "sup": wrapped("sup"),
    "sub": wrapped("sub"),
    "kbd": wrapped("kbd"),
    **dict.fromkeys(["code", "mono", "tt", "samp", "param"], code),
    "abbr": abbr,
    "frac": frac,
    "fraction": frac,
    **dict.fromkeys(["ndash", "snd", "spaced ndash", "spnd", "sndash"], fixed("–")),
    **dict.fromkeys(["mdash", "spaced mdash", "dash"], fixed("—")),
    **dict.fromkeys(["nbsp", "space", "sp"], fixed("\u00a0")),
    "!": fixed("|"),
    "=": fixed("="),
    "'": fixed("'"),
    "''": fixed("″"),
    **dict.fromkeys(["·", "dot", "middot", "dot-", "•", "bull", "bullet"], fixed(" · ")),
    "sic": fixed(" \\[*sic*\\]"),
    "circa": fixed("c. "),
    "c.": fixed("c. "),
    "pagename": page_name,
    "fullpagename": page_name,
    "basepagename": page_name,
    "pagenamee": page_name,
    "subpagename": page_name,
    **dict.fromkeys(["convert", "cvt"], values.convert_units),
    "ipa": ipa,
    "ipa2": ipa,
    "ipa3": ipa,
    "ipac-en": ipa,
    "ipa-en": ipa,
    "ipa-all": ipa,
    "respell": lambda cv, a, w, n: write(
        w, "*" + escape_text("-".join(plain_arg(v) for v in a.positional)) + "*"
    ),
    **dict.fromkeys(["main", "main article"], hatnotes.hatnote("Main article:")),
    **dict.fromkeys(["see also", "seealso", "see"], hatnotes.hatnote("See also:")),
    **dict.fromkeys(
        ["further", "further information", "details", "further2"],
        hatnotes.hatnote("Further information:"),
    ),
    **dict.fromkeys(
        [
            "about",
            "other uses",
            "otheruses",
            "for",
            "redirect",
            "distinguish",
            "other uses of",
            "redirect-distinguish",
        ],
        hatnotes.about,
    ),
    **dict.fromkeys(
        [
            "citation needed",
            "cn",
            "fact",
            "citation needed span",
            "cns",
            "unreferenced inline",
            "citeneeded",
        ],
        needed("citation needed"),
    ),
    **dict.fromkeys(["clarify", "clarification needed", "vague"], needed("clarification needed")),
    "who": needed("who?"),
    "when": needed("when?"),
    "which": needed("which?"),
    "by whom": needed("by whom?"),
    "where": needed("where?"),
    **dict.fromkeys(["dead link", "deadlink", "dl"], needed("dead link")),
    **dict.fromkeys(
        ["failed verification", "verify source", "verification needed"],
        needed("verification needed"),
    ),
    **dict.fromkeys(
        ["better source", "better source needed", "unreliable source?"],
        needed("better source needed"),
    ),
    **dict.fromkeys(
        ["page needed", "pn", "page number", "full citation needed"], needed("page needed")
    ),
    **dict.fromkeys(["sfn", "sfnp", "sfnm", "shortened footnote"], notes.short_footnote),
    **dict.fromkeys(
        ["harvnb", "harv", "harvtxt", "harvp", "harvcolnb", "harvard citation"], notes.harvard
    ),
    **dict.fromkeys(
        ["efn", "efn-ua", "efn-lr", "efn-la", "efn-lg", "refn", "notetag", "nb"],
        notes.explanatory_note,
    ),
    **dict.fromkeys(
        [
            "reflist",
            "references",
            "notelist",
            "notes",
            "notelist-ua",
            "refs",
            "reflist-talk",
            "notelist-lr",
            "notelist-la",
            "note list",
            "ref list",
            "listaref",
            "reference list",
        ],
        notes.note_list,
    ),
    **dict.fromkeys(
        [
            "quote",
            "quotation",
            "cquote",
            "blockquote",
            "rquote",
            "quote box",
            "bquote",
            "centered pull quote",
        ],
        hatnotes.quote,
    ),
    **dict.fromkeys(["hlist", "flatlist items", "middot list"], list_items(" · ")),
    **dict.fromkeys(
        ["unbulleted list", "ubl", "ubil", "plainlist items", "br separated entries", "unbulleted"],
        list_items("<br>"),
    ),
    "isbn": values.identifier("isbn"),
    "doi": values.identifier("doi"),
    "pmid": values.identifier("pmid"),
    "pmc": values.identifier("pmc"),
    "oclc": values.identifier("oclc"),
    **dict.fromkeys(["icd10", "icd9", "icd10pcs", "icdo", "icd9cm", "icd11"], values.icd),
    "sortname": sortname,
    **dict.fromkeys(
        ["start date", "start date and age", "birth date", "death date"], values.start_date
    ),
    **dict.fromkeys(["url", "official website", "official url"], values.website),
    **dict.fromkeys(["multiple image", "multiple images", "double image"], values.multiple_image),
    "dubious": needed("dubious – discuss"),
    "rp": notes.page_reference,
    "#tag:ref": notes.tag_reference,
    "val": values.value_with_unit,
    "'s": fixed("'s"),
    **dict.fromkeys(["vr", "longitem", "sc", "smallcaps", "nts", "ntsh", "sort"], first),
    "keypress": wrapped("kbd"),
    "vol.": lambda cv, a, w, n: write(w, "vol. " + text_of(cv, a, 1)),
    "p.": lambda cv, a, w, n: write(w, "p. " + text_of(cv, a, 1)),
    "sfrac": frac,
    "dts": lambda cv, a, w, n: write(w, escape_text(" ".join(plain_arg(v) for v in a.positional))),
    "issn": lambda cv, a, w, n: write(w, escape_text("ISSN " + a.raw(1))),
    "native name": second,
    **dict.fromkeys(["death date and age", "birth date and age"], values.start_date),
    **dict.fromkeys(["redirect2", "redirect3"], hatnotes.about),
    "formatnum": values.format_number,
    **dict.fromkeys(["pdflink", "pdf"], values.pdf_link),
    **dict.fromkeys(["webarchive", "wayback", "webcite"], values.archived),
    **dict.fromkeys(["in lang", "icon lang"], language_icon),
    **dict.fromkeys(["coord", "coor d", "coor dm", "coor dms"], values.coordinates),
    **dict.fromkeys(["ref", "note"], notes.old_footnote),
    "main articles": hatnotes.hatnote("Main articles:"),
    "see details": hatnotes.hatnote("For further details see:"),
    **dict.fromkeys(
        ["harvard citation no brackets", "harvard citation text", "harvnb"], notes.harvard
    ),
    **dict.fromkeys(["flagu", "flagcountry", "flag country", "flagdeco"], first),
    **dict.fromkeys(["legend", "color", "colour", "font color", "fgcolor"], second),
    "n/a": fixed("N/A"),
    "na": fixed("N/A"),
    "yes": fixed("Yes"),
    "no": fixed("No"),
    "nom": fixed("Nominated"),
    "won": fixed("Won"),
    "tba": fixed("TBA"),
    "dunno": fixed("?"),
    "partial": fixed("Partial"),
    "pipe": fixed("|"),
    "increase": fixed("▲"),
    "decrease": fixed("▼"),
    "steady": fixed("▬"),
    "increasenegative": fixed("▲"),
    "decreasepositive": fixed("▼"),
    "angbr": lambda cv, a, w, n: write(w, f"⟨{text_of(cv, a, 1)}⟩"),
    "hatnote": hatnotes.hatnote_text,
    "rellink": hatnotes.hatnote_text,
    "nihongo": nihongo,
    "as of": as_of,
    "us$": money("US$"),
    "usd": money("US$"),
    "£": money("£"),
    "€": money("€"),
}
