"""Templates that stand for a value: measures, numbers, dates, codes, coordinates, links to a
source or an archive, and images."""

import re

from .cite_templates import identifier_link
from .file_links import figure
from .markup import escape_text, html_block
from .template_args import plain_arg, text_of, write
from .wikilinks import safe_url

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


def identifier(kind: str):
    def render(cv, args, writer, name):
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


def format_number(cv, args, writer, name):  # {{formatnum:1234567}} -> 1,234,567
    value = args.raw(1) or name.partition(":")[2].strip()
    if re.fullmatch(r"-?\d+", value):
        value = f"{int(value):,}"
    write(writer, escape_text(value))


def pdf_link(cv, args, writer, name):
    write(writer, text_of(cv, args, 1) + " (PDF)")


def archived(cv, args, writer, name):  # {{webarchive|url=…}}, {{wayback|url=…|date=…}}
    url = args.raw("url")
    if name == "wayback" and url and not url.startswith("https://web.archive.org"):
        url = f"https://web.archive.org/web/{args.raw('date') or '*'}/{url}"
    if not url.startswith(("http://", "https://")):
        return False
    write(writer, f"[Archived]({safe_url(url)})")


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
    url = args.raw(1, "url")
    if not url:
        return False
    shown = args.raw(2) or ("Official website" if name.startswith("official") else url)
    if not url.startswith(("http://", "https://")):
        url = "https://" + url.removeprefix("//")
    write(writer, f"[{escape_text(shown)}]({safe_url(url)})")


def double_image(cv, args):
    """{{double image|right|A.jpg|150|B.jpg|150|caption A|caption B}} as numbered ones."""
    values = args.positional
    for n, (image, caption) in enumerate(((1, 5), (3, 6)), start=1):
        if len(values) > image:
            args.named.setdefault(f"image{n}", values[image])
        if len(values) > caption and str(values[caption]).strip():
            args.named.setdefault(f"caption{n}", values[caption])


def value_with_unit(cv, args, writer, name):  # {{val|1.5|e=3|u=m}} -> 1.5×10³ m
    text = escape_text(args.raw(1))
    if args.raw("e"):
        text += f"×10<sup>{escape_text(args.raw('e'))}</sup>"
    unit = escape_text(args.raw("u", "ul"))
    write(writer, text + (f" {unit}" if unit else ""))


def multiple_image(cv, args, writer, name):  # {{multiple image|image1=…|caption1=…}}
    if name == "double image":
        double_image(cv, args)
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
