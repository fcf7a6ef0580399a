"""The common inline and hatnote templates as text, and the templates that are dropped."""

import re

from . import footnote_templates as notes
from . import hatnotes
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
        return format_number
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


UNITS = {
    "to": " to ",
    "-": "–",
    "and": " and ",
    "or": " or ",
    "x": " × ",
    "by": " × ",
    "+/-": " ± ",
    "to(-)": " to ",
    "–": "–",
}


def convert_units(cv, args, writer, name):  # {{convert|5|km|mi}} -> "5 km"
    values = [plain_arg(v) for v in args.positional]
    if not values:
        return False
    out = values[0]
    i = 1
    while i + 1 < len(values) and values[i] in UNITS:
        out += UNITS[values[i]] + values[i + 1]
        i += 2
    unit = values[i] if i < len(values) else ""
    write(writer, escape_text(f"{out} {unit}".strip()))


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


def identifier(kind: str):
    def render(cv, args, writer, name):
        from .citations import identifier_link

        value = args.raw(1)
        write(writer, identifier_link(kind, value) if value else "")

    return render


def icd(cv, args, writer, name):  # {{ICD10|F|84|0|f|80}} -> "F84.0"; {{ICD9|299.00}}
    values = [plain_arg(v) for v in args.positional]
    if name.startswith("icd10") and len(values) >= 2:
        text = values[0] + values[1] + (f".{values[2]}" if len(values) > 2 and values[2] else "")
    else:
        text = values[0] if values else ""
    write(writer, escape_text(text))


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


def format_number(cv, args, writer, name):  # {{formatnum:1234567}} -> 1,234,567
    value = args.raw(1) or name.partition(":")[2].strip()
    if re.fullmatch(r"-?\d+", value):
        value = f"{int(value):,}"
    write(writer, escape_text(value))


def pdf_link(cv, args, writer, name):
    write(writer, text_of(cv, args, 1) + " (PDF)")


def archived(cv, args, writer, name):  # {{webarchive|url=…}}, {{wayback|url=…|date=…}}
    from .links import safe_url

    url = args.raw("url")
    if name == "wayback" and url and not url.startswith("https://web.archive.org"):
        url = f"https://web.archive.org/web/{args.raw('date') or '*'}/{url}"
    if not url.startswith(("http://", "https://")):
        return False
    write(writer, f"[Archived]({safe_url(url)})")


def language_icon(cv, args, writer, name):  # {{fr icon}} -> "(in French)"
    code = name.removesuffix(" icon") if name.endswith(" icon") else args.raw(1)
    write(writer, escape_text(f"(in {LANGUAGES.get(code, code)})"))


def coordinates(cv, args, writer, name):  # {{coord|40|26|N|79|58|W}} -> 40°26′N 79°58′W
    values = [plain_arg(v) for v in args.positional if "=" not in str(v) and ":" not in str(v)]
    marks, text, part = ("°", "′", "″"), "", 0
    for value in values:
        if value.upper() in {"N", "S", "E", "W"}:
            text += value.upper() + " "
            part = 0
        elif part < 3:
            text += value + marks[part]
            part += 1
    write(writer, escape_text(text.strip() or " ".join(values)))


MONTHS = "January February March April May June July August September October November December"


def start_date(cv, args, writer, name):  # {{start date|2010|5|3}} -> 3 May 2010
    year, month, day = args.raw(1), args.raw(2), args.raw(3)
    months = MONTHS.split()
    if month.isdigit() and 1 <= int(month) <= 12:
        month = months[int(month) - 1]
    write(writer, escape_text(" ".join(x for x in (day.lstrip("0"), month, year) if x)))


def website(cv, args, writer, name):  # {{URL|example.org}}, {{official website|…}}
    from .links import safe_url

    url = args.raw(1, "url")
    if not url:
        return False
    shown = args.raw(2) or ("Official website" if name.startswith("official") else url)
    if not url.startswith(("http://", "https://")):
        url = "https://" + url.removeprefix("//")
    write(writer, f"[{escape_text(shown)}]({safe_url(url)})")


def multiple_image(cv, args, writer, name):  # {{multiple image|image1=…|caption1=…}}
    from .markup import html_block
    from .media import figure

    figures = []
    for n in range(1, 11):
        image = args.raw(f"image{n}")
        if image:
            caption = text_of(cv, args, f"caption{n}")
            figures.append(figure(cv, image, caption=caption, alt=args.raw(f"alt{n}")))
    if not figures:
        return False
    footer = text_of(cv, args, "footer")
    html = (
        '<div class="gallery">' + "".join(figures) + "</div>" + (f"<br>{footer}" if footer else "")
    )
    cv.write_block(writer, html_block(html), html)


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
    **dict.fromkeys(["convert", "cvt"], convert_units),
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
    "isbn": identifier("isbn"),
    "doi": identifier("doi"),
    "pmid": identifier("pmid"),
    "pmc": identifier("pmc"),
    "oclc": identifier("oclc"),
    **dict.fromkeys(["icd10", "icd9", "icd10pcs", "icdo", "icd9cm", "icd11"], icd),
    "sortname": sortname,
    **dict.fromkeys(["start date", "start date and age", "birth date", "death date"], start_date),
    **dict.fromkeys(["url", "official website", "official url"], website),
    **dict.fromkeys(["multiple image", "multiple images", "double image"], multiple_image),
    "dubious": needed("dubious – discuss"),
    "rp": notes.page_reference,
    "formatnum": format_number,
    **dict.fromkeys(["pdflink", "pdf"], pdf_link),
    **dict.fromkeys(["webarchive", "wayback", "webcite"], archived),
    **dict.fromkeys(["in lang", "icon lang"], language_icon),
    **dict.fromkeys(["coord", "coor d", "coor dm", "coor dms"], coordinates),
    **dict.fromkeys(["ref", "note"], notes.old_footnote),
    "main articles": hatnotes.hatnote("Main articles:"),
    "see details": hatnotes.hatnote("For further details see:"),
    **dict.fromkeys(
        ["harvard citation no brackets", "harvard citation text", "harvnb"], notes.harvard
    ),
    **dict.fromkeys(["flagu", "flagcountry", "flag country", "flagdeco"], first),
    "legend": second,
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
