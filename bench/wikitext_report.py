"""What the wikitext converter makes of MediaWiki exports: per file, the revisions converted,
the time taken, and how many templates, references, tables, links and files were seen and
converted, with the most frequent things left unconverted; and the dump's own templates: its
`Template:` pages converted to ours, the share of template calls rendered through them, and
what of them could not be mapped (issue 29).

    .venv/bin/python bench/wikitext_report.py [FILE.xml ...]   (default: the shared samples)
"""

import collections
import pathlib
import sys
import time
import xml.etree.ElementTree as ElementTree

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parent.parent))

from wiki.mediawiki.dump_templates import CALL_COUNT, dump_template_name  # noqa: E402
from wiki.mediawiki.wikitext import convert, convert_template  # noqa: E402

SAMPLES = pathlib.Path(__file__).resolve().parent.parent.parent / "shared/mediawiki-samples/xml"
KINDS = ("templates", "refs", "tables", "links", "external links", "files", "citations")


def revisions(path: pathlib.Path):
    """(title, is a template, wikitext) of every revision in an export, read as a stream."""
    title, template = "", False
    for _, element in ElementTree.iterparse(path):
        tag = element.tag.rsplit("}", 1)[-1]
        if tag == "title":
            title = element.text or ""
            template = title.startswith("Template:")  # schema 0.3-0.5: no <ns>
        elif tag == "ns":
            template = (element.text or "").strip() == "10"
        elif tag == "text":
            yield title, template, element.text or ""
        elif tag == "page":
            element.clear()


def template_names(path: pathlib.Path) -> frozenset[str]:
    return frozenset(dump_template_name(t) for t, template, _ in revisions(path) if template)


def report(path: pathlib.Path) -> dict:
    counts: collections.Counter = collections.Counter()
    unconverted: collections.Counter = collections.Counter()
    seconds, n, chars, slowest = 0.0, 0, 0, (0.0, "")
    names, template_pages = template_names(path), set()
    for title, template, text in revisions(path):
        start = time.perf_counter()
        if template:
            template_pages.add(title)
            conversion = convert_template(text, names, title=title)
        else:
            conversion = convert(text, title=title, templates=names)
        took = time.perf_counter() - start
        seconds += took
        slowest = max(slowest, (took, title))
        n += 1
        chars += len(text)
        counts.update(conversion.counts)
        unconverted.update(conversion.unconverted)
    return {
        "revisions": n,
        "chars": chars,
        "seconds": seconds,
        "slowest": slowest,
        "counts": counts,
        "unconverted": unconverted,
        "template pages": len(template_pages),
    }


def show(path: pathlib.Path, result: dict) -> None:
    n, seconds = result["revisions"], result["seconds"]
    rate = n / seconds if seconds else 0
    print(
        f"\n{path.name}: {n} revisions, {result['chars'] / 1e6:.1f} MB, {seconds:.2f} s "
        f"({rate:.1f} revisions/s, {result['chars'] / 1e6 / max(seconds, 1e-9):.2f} MB/s); "
        f"slowest {result['slowest'][0]:.2f} s ({result['slowest'][1]})"
    )
    counts = result["counts"]
    for kind in KINDS:
        seen, done = counts[kind], counts[kind + " converted"]
        if seen:
            print(f"  {kind:15} {seen:7} seen {done:7} converted ({100 * done / seen:5.1f} %)")
    dropped = {k: v for k, v in counts.items() if k.startswith("templates dropped")}
    for name, count in sorted(dropped.items()):
        print(f"  {name:32} {count:6}")
    print(
        f"  interlanguage links dropped {counts['interlanguage links']}, "
        f"categories {counts['categories']}, infoboxes {counts['infoboxes']}"
    )
    calls, through = counts["templates"], counts[CALL_COUNT]
    mapped = counts["templates converted"] - through
    functions = [
        (k, v) for k, v in result["unconverted"].items() if k.startswith("parser function")
    ]
    print(
        f"  dump's templates: {result['template pages']} template pages; of {calls} template "
        f"calls {through} rendered through them ({100 * through / max(calls, 1):.1f} %), "
        f"{mapped} mapped to text, {calls - through - mapped} kept visibly; parser functions "
        f"mapped {counts['template functions converted']} of {counts['template functions']}"
        + (f", left: {', '.join(f'{k[17:]} ×{v}' for k, v in functions)}" if functions else "")
    )
    top = ", ".join(f"{k} ×{v}" for k, v in result["unconverted"].most_common(12))
    print(f"  unconverted ({sum(result['unconverted'].values())}): {top}")


def main(argv: list[str]) -> None:
    paths = [pathlib.Path(a) for a in argv] or sorted(SAMPLES.glob("*.xml"))
    for path in paths:
        show(path, report(path))


if __name__ == "__main__":
    main(sys.argv[1:])
