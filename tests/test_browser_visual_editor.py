"""The visual editor (static/editor/) in a real browser. The contract: any article opened in
the visual editor and saved without a change is byte-identical (and makes no revision);
changing one word changes only that word. Held over every demo article, every article of
../shared/mediawiki-samples after import, and a generated corpus with every construct; then an
editor's journey (a section edited visually: bold, a link completed from `[[`, a list item, a
table row, saved, the diff shows just that), switching modes, the section links, the infobox
form, the toolbar at 375 px and keyboard-only use with axe clean."""

import io
import itertools
import re
from pathlib import Path

import pytest
from django.contrib.auth.models import User
from django.core.management import call_command
from playwright.sync_api import expect

from tests.conftest import editors_group, make_media, save
from tests.helpers import AXE_SOURCE, RUN_AXE, sample_exports, session_for
from wiki import search
from wiki.languages import url_in
from wiki.models import Article

ROOT = Path(__file__).resolve().parent.parent


# Every construct of the dialect, and odd spellings of them, each a block of the corpus.
BLOCKS = [
    "# Title heading",
    "## Section heading ##",
    "### Sub *with* **marks** and [[Link]]",
    "Plain paragraph with **bold**, *italic*, __strong__, _em_, ***both*** and `code`.",
    "A [[Migraine]] link, a [[Tension headache|piped label]], [[Migraine#Causes|an anchor]].",
    'An [external link](https://example.org/page) and [one with title](https://example.org "T").',
    "Escapes \\*not bold\\* and \\_x\\_ and a\\\\b, snake_case_word, 2 * 3 * 4.",
    "Footnote mark.[^smith] And again[^smith], and a second[^2].",
    "Inline <span>html</span>, <br> a &amp; entity, <https://autolink.example>.",
    "An image ![alt text](/media/x.png) inline.",
    "[[Category:Neurology]] and [[:File:Scan.png]] and [[File:Scan.png|inline]].",
    "Line one\nline two of the same paragraph  \nline three after a hard break",
    "* one\n* two with [[Link]]\n* three",
    "- dash item\n- second\n  continued lazily",
    "1. first\n2. second\n3. third",
    "3) odd start\n4) next",
    "* outer\n  * inner one\n  * inner two\n* outer two",
    "* loose one\n\n* loose two",
    "1. numbered\n   - mixed nested\n2. after",
    "| Head A | Head B |\n| --- | :---: |\n| a1 | b1 |\n| a2 | **b2** |",
    "Head | Other\n--- | ---\nno | pipes",
    "| ragged | table |\n|---|---|\n| only one |",
    "> A quotation\n> on two lines\n>\n> second paragraph",
    "> * a list in a quote",
    "```python\nprint('code')\n## not a heading\n```",
    "~~~\ntilde fence\n~~~",
    "    indented code block",
    '<div class="note">Raw <b>HTML</b> block</div>',
    "<!-- a comment -->",
    "---",
    "Setext heading\n==============",
    "[ref]: https://example.org/reference-definition",
    "::: infobox medical condition\nName: Migraine\nSpecialty: [[Neurology]]\nicd10: G43\n"
    "Symptoms:   spaced value\n:::",
    "::: infobox drug\nName: Ibuprofen\nATC code: M01AE01\n:::",
    "::: gallery\nFile:Scan.png|A scan\nSecond.png|alt=Described|Caption\n:::",
    "::: unknown block\nwhatever\n:::",
    "[[File:Scan.png|thumb|right|alt=A chest scan|A chest scan, frontal]]",
    "[[File:Scan.png|thumb|One]]\n[[File:Other.png|frameless|Two]]",
    "[^smith]: cite journal | authors: Smith J, Roe A | title: Triptans | journal: Headache |\n"
    "    year: 2020 | doi: 10.1111/head.13700",
    "[^2]: A free-text note with a [link](https://example.org).",
    "#REDIRECT [[Migraine]]",
    "Trailing spaces   ",
    "\tTabbed paragraph start",
    "A paragraph with a | pipe and [brackets] and (parens).",
    "Unicode: ± µ ° ≥ ≤ α β — “quotes”.",
    "A call {{ warning box |text = Bleeds [[Easy bruising|easily]]|emergency=112}} inline, "
    "a {{{param|default}}} and {{#if:x|y}} and {{Nested|a={{Inner|1}}}} and {{unclosed|x",
    "{{Drug class navbox}}",
]
SEPARATORS = ["\n\n", "\n\n\n", "\n", "\n \n"]


def generated_corpus() -> list[str]:
    """Every block alone, every pair (with several separators), the whole lot in one text,
    and texts with odd starts and ends."""
    texts = list(BLOCKS)
    texts += [
        a + sep + b
        for (a, b), sep in zip(itertools.permutations(BLOCKS, 2), itertools.cycle(SEPARATORS))
    ]
    whole = "\n\n".join(BLOCKS)
    texts += [
        whole,
        whole + "\n",
        "\n\n" + whole + "\n\n\n",
        whole.replace("\n", "\r\n"),
        "",
        "\n",
        "x",
    ]
    return texts


@pytest.fixture
def signed_in(live_server, page):
    editor = User.objects.create_user("vera", password="a-long-test-password")
    editor.groups.add(editors_group())
    page.context.add_cookies(
        [{"name": "sessionid", "value": session_for(editor), "url": live_server.url}]
    )
    return editor


def open_visual(page, url):
    errors = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.on("console", lambda m: m.type == "error" and errors.append(m.text))
    page.goto(url)
    try:
        page.wait_for_function("() => document.querySelector('.ve-host')?.dataset.ready === '1'")
    except Exception:
        raise AssertionError(f"the visual editor did not start at {url}: {errors}") from None
    # Nothing it needs refused by the content security policy (an inline style sheet was).
    assert not [e for e in errors if "Content Security Policy" in e], errors


def round_trips(page, sources: list[str]) -> list[int]:
    """The indexes of the sources the visual editor does not give back byte for byte. None
    may pass by being kept whole as one preserved block (the editor's last resort)."""
    page.evaluate("() => { window.EncyclopediaVisual.keptWhole = 0; }")
    changed = []
    for start in range(0, len(sources), 50):
        batch = sources[start : start + 50]
        bad = page.evaluate(
            "(texts) => texts.map((t, i) => window.EncyclopediaVisual.roundTrip(t) === t ? -1 : i)"
            ".filter((i) => i >= 0)",
            batch,
        )
        changed += [start + i for i in bad]
    assert page.evaluate("() => window.EncyclopediaVisual.keptWhole") == 0
    return changed


ONE_WORD = """(sources) => {
  const V = window.EncyclopediaVisual;
  const out = [];
  sources.forEach((source) => {
    let blocks = 0;
    V.edited(source, (editor) => { blocks = editor.state.doc.childCount; });
    for (let k = 0; k < blocks; k++) {
      let word = null;
      const written = V.edited(source, (editor) => {
        const doc = editor.state.doc;
        let offset = 0;
        for (let i = 0; i < k; i++) offset += doc.child(i).nodeSize;
        doc.child(k).descendants((node, pos) => {
          if (word || !node.isText) return !word;
          if (node.marks.some((m) => ["code", "wikiLink", "link"].includes(m.type.name))) return false;
          const m = /(?:^|[^A-Za-z])([A-Za-z]{4,})(?![A-Za-z])/.exec(node.text);
          if (!m) return false;
          word = m[1];
          const at = offset + 1 + pos + m.index + m[0].length - word.length;
          editor.view.dispatch(editor.state.tr.insertText("Qqqq", at, at + word.length));
          return false;
        });
      });
      if (word) out.push([source, written, word]);
    }
  });
  return out;
}"""


def one_word_changes(page, sources: list[str]) -> tuple[int, list[str]]:
    """Each block of each source with one word replaced in the visual editor: how many were
    changed, and those whose written text differs from the source by more than that word."""
    wider, count = [], 0
    for start in range(0, len(sources), 10):
        for source, written, word in page.evaluate(ONE_WORD, sources[start : start + 10]):
            count += 1
            p = next(
                (i for i, (a, b) in enumerate(zip(source, written, strict=False)) if a != b), 0
            )
            s = 0
            while s < min(len(source), len(written)) - p and source[-1 - s] == written[-1 - s]:
                s += 1
            old, new = source[p : len(source) - s], written[p : len(written) - s]
            if old not in word or new not in "Qqqq":
                wider.append(f"{word!r}: {old[:80]!r} became {new[:80]!r}")
    return count, wider


def first_difference(page, source: str) -> str:
    out = page.evaluate("(t) => window.EncyclopediaVisual.roundTrip(t)", source)
    at = next(
        (i for i, (a, b) in enumerate(zip(source, out, strict=False)) if a != b),
        min(len(source), len(out)),
    )
    return (
        f"at {at}: {source[max(0, at - 40) : at + 40]!r} became {out[max(0, at - 40) : at + 40]!r}"
    )


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_the_generated_corpus_and_the_demo_articles_round_trip_byte_for_byte(
    live_server, page, signed_in
):
    call_command("load_demo", stdout=io.StringIO())
    User.objects.filter(pk=signed_in.pk).update(is_superuser=True)  # the help pages are protected
    article = Article.objects.in_language("en").order_by("-id").first()
    open_visual(page, f"{live_server.url}/wiki/{article.slug}/edit?mode=visual")
    corpus = generated_corpus()
    bad = round_trips(page, corpus)
    assert not bad, [first_difference(page, corpus[i]) for i in bad[:5]]
    demo = [a.source for a in Article.objects.all()]
    assert len(demo) >= 12
    bad = round_trips(page, demo)
    assert not bad, [first_difference(page, demo[i]) for i in bad[:5]]
    # One word changed in any block changes only that word in the source.
    count, wider = one_word_changes(page, demo + ["\n\n".join(BLOCKS)])
    assert count > 200 and not wider, wider[:5]
    # Each demo article opened in the visual editor as an editor opens it, then written back.
    for one in Article.objects.all():  # each at its language's address (/es/wiki/…)
        edit = url_in(one.language, "wiki:edit", args=[one.slug])
        open_visual(page, f"{live_server.url}{edit}?mode=visual")
        written = page.evaluate("() => window.EncyclopediaVisual.serialize()")
        assert written == one.source, one.title
        assert page.locator("textarea.markdownx-editor").input_value() == one.source
        if one.title == "Migraine":  # the infobox form, references as on the page
            page.wait_for_function("() => document.querySelector('.ve-host').dataset.previewed")
            expect(page.locator(".ve-raw--footnote .ve-citation").first).to_be_visible()
            page.screenshot(path="/tmp/visual-migraine.png", full_page=True)


SAMPLES = sample_exports()


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(not SAMPLES, reason="no MediaWiki samples")
def test_every_imported_mediawiki_sample_round_trips_byte_for_byte(
    live_server, page, signed_in, make_article
):
    # Oldest first, as docs/operators.md asks (by the earliest revision a dump holds).
    files = sorted(
        SAMPLES, key=lambda p: min(re.findall(r"<timestamp>([^<]+)</timestamp>", p.read_text()))
    )
    call_command("import_mediawiki", *map(str, files), stdout=io.StringIO(), stderr=io.StringIO())
    try:
        sources = [a.source for a in Article.objects.all()]
        assert len(sources) > 200
        make_article("Plain page", "Some text.\n")
        open_visual(page, f"{live_server.url}/wiki/Plain_page/edit?mode=visual")
        bad = round_trips(page, sources)
        assert not bad, [first_difference(page, sources[i]) for i in bad[:5]]
    finally:
        search.engine().clear()


TREATMENT = (
    "Lead about [[Aspirin]] and [[Nowhere yet]].\n\n"
    "## Treatment\n\n"
    "Rest helps most people.\n\n"
    "* Fluids\n"
    "* Sleep\n\n"
    "| Drug | Dose |\n"
    "|------|------|\n"
    "| Aspirin | 300 mg |\n\n"
    "## See also\n\n"
    "Other   spacing  kept *as typed* here.\n"
)


def put_cursor_at_end_of(page, text: str) -> None:
    """Click the visual editor's block holding `text`, then End: the cursor after it."""
    page.locator(".ve-content").get_by_text(text, exact=True).click()
    page.keyboard.press("End")


def tool(page, name):
    return page.get_by_role("toolbar", name="Formatting").get_by_role(
        "button", name=name, exact=True
    )


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_a_section_edited_visually_saves_only_the_changes_typed(
    live_server, page, signed_in, make_article
):
    page.set_viewport_size({"width": 1280, "height": 900})
    make_article("Aspirin", "Aspirin is a painkiller.\n")
    article = make_article("Headache care", TREATMENT)
    page.goto(f"{live_server.url}/wiki/Headache_care")
    # MediaWiki's pair on each heading: "edit" opens the visual editor on that section.
    heading = page.locator("h2", has_text="Treatment")
    expect(heading.locator(".editsection")).to_have_text("[edit | edit source]")
    heading.get_by_role("link", name="edit", exact=True).click()
    expect(page).to_have_url(f"{live_server.url}/wiki/Headache_care/edit?section=1&mode=visual")
    page.wait_for_function("() => document.querySelector('.ve-host')?.dataset.ready === '1'")
    expect(page.locator("textarea.markdownx-editor")).to_be_hidden()
    visual = page.locator(".ve-content")
    expect(visual.locator("h2")).to_have_text("Treatment")
    expect(page.get_by_role("button", name="Visual", exact=True)).to_have_attribute(
        "aria-pressed", "true"
    )

    # Bold text typed after the first sentence, then a link completed from `[[`.
    put_cursor_at_end_of(page, "Rest helps most people.")
    page.keyboard.type(" ")
    page.keyboard.press("Control+b")
    page.keyboard.type("Bold words")
    page.keyboard.press("Control+b")
    page.keyboard.type(" and [[")
    dialog = page.get_by_role("dialog")
    expect(dialog).to_be_visible()
    page.keyboard.type("Aspi")
    expect(dialog.get_by_role("option", name="Aspirin")).to_be_visible()
    page.keyboard.press("Enter")  # the first title chosen
    page.keyboard.press("Enter")  # the link inserted
    expect(dialog).to_be_hidden()
    page.keyboard.type(".")
    expect(visual.locator("strong")).to_have_text("Bold words")
    expect(visual.locator("a.wikilink", has_text="Aspirin")).to_be_visible()

    # A list item after "Sleep", a table row through the toolbar's table menu.
    put_cursor_at_end_of(page, "Sleep")
    page.keyboard.press("Enter")
    page.keyboard.type("Walking")
    visual.get_by_text("300 mg", exact=True).click()
    tool(page, "Edit table").click()
    page.get_by_role("menuitem", name="Add row below").click()
    page.keyboard.type("Ibuprofen")
    page.keyboard.press("Tab")
    page.keyboard.type("400 mg")
    page.screenshot(path="/tmp/visual-journey-1280.png", full_page=True)

    page.get_by_label("Summary").fill("Visual edit")
    page.get_by_role("button", name="Save changes").click()
    expect(page.locator(".messages, .message, main").first).to_contain_text("Your edit was saved")
    article.refresh_from_db()
    assert article.source == TREATMENT.replace(
        "Rest helps most people.\n",
        "Rest helps most people. **Bold words** and [[Aspirin]].\n",
    ).replace("* Sleep\n", "* Sleep\n* Walking\n").replace(
        "| Aspirin | 300 mg |\n", "| Aspirin | 300 mg |\n| Ibuprofen | 400 mg |\n"
    )
    # The history's diff: only that section changed, and in it the lines typed.
    latest = article.revisions.order_by("-pk")
    page.goto(f"{live_server.url}/wiki/Headache_care/diff?from={latest[1].pk}&to={latest[0].pk}")
    changed = page.locator(".diff-section--changed")
    expect(changed).to_have_count(1)
    expect(changed.locator(".diff-section-title")).to_contain_text("Treatment")
    for typed in ("Bold words", "Walking", "Ibuprofen"):
        expect(changed.locator(".diff-new", has_text=typed)).to_have_count(1)
    page.screenshot(path="/tmp/visual-diff.png", full_page=True)

    # Saving without a change through the form makes no revision.
    count = article.revisions.count()
    open_visual(page, f"{live_server.url}/wiki/Headache_care/edit?section=2&mode=visual")
    page.get_by_role("button", name="Save changes").click()
    expect(page.locator("main")).to_contain_text("You made no changes")
    open_visual(page, f"{live_server.url}/wiki/Headache_care/edit?mode=visual")
    page.get_by_role("button", name="Save changes").click()
    expect(page.locator("main")).to_contain_text("You made no changes")
    assert article.revisions.count() == count


INFOBOXED = (
    "::: infobox medical condition\n"
    "Name: Migraine\n"
    "Specialty: [[Neurology]]\n"
    "ICD-10: G43\n"
    ":::\n\n"
    "**Migraine** is a headache disorder.\n\n"
    "## Causes\n\n"
    "Unknown.\n\n"
    "## Treatment\n\n"
    "Rest and [[Ibuprofen]].\n"
)


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_switching_modes_keeps_text_and_section_and_is_remembered(
    live_server, page, signed_in, make_article
):
    page.set_viewport_size({"width": 1280, "height": 900})
    article = make_article("Migraine", INFOBOXED)
    # The article page loads no editor code.
    page.goto(f"{live_server.url}/wiki/Migraine")
    scripts = page.eval_on_selector_all(
        "script[src], link[rel=stylesheet]", "els => els.map(e => e.src || e.href)"
    )
    assert not [s for s in scripts if "editor" in s or "toolbar" in s], scripts
    # The Edit tab, nothing used yet: the whole article, in source mode.
    page.get_by_role("link", name="Edit", exact=True).click()
    text = page.locator("textarea.markdownx-editor")
    expect(text).to_be_visible()
    expect(page.get_by_role("button", name="Source", exact=True)).to_have_attribute(
        "aria-pressed", "true"
    )
    # The cursor in "Treatment", then Visual: the cursor is in that section's text there.
    text.evaluate(
        "(t, at) => { t.focus(); t.setSelectionRange(at, at); }", INFOBOXED.index("Rest and")
    )
    page.get_by_role("button", name="Visual", exact=True).click()
    expect(text).to_be_hidden()
    held = page.evaluate(
        "() => { const e = window.EncyclopediaVisual.editor(); return e.state.selection.$from.parent.textContent; }"
    )
    assert held.startswith("Rest and")
    # A link to an article that does not exist is red, as on the page.
    expect(page.locator(".ve-content .new", has_text="Ibuprofen")).to_be_visible()
    page.keyboard.press("End")
    page.keyboard.type(" Sleep helps")
    # Back to source: the text typed is there, the cursor after it, the preview follows.
    page.get_by_role("button", name="Source", exact=True).click()
    expect(text).to_be_visible()
    expect(text).to_have_value(INFOBOXED.replace("[[Ibuprofen]].", "[[Ibuprofen]]. Sleep helps"))
    assert text.evaluate("t => t.value.slice(0, t.selectionStart)").endswith("Sleep helps")
    expect(page.locator(".markdownx-preview")).to_contain_text("Sleep helps")
    # Remembered: the Edit tab now opens in the mode used last.
    page.get_by_role("button", name="Visual", exact=True).click()
    page.goto(f"{live_server.url}/wiki/Migraine/edit")
    page.wait_for_function("() => document.querySelector('.ve-host')?.dataset.ready === '1'")
    expect(page.get_by_role("button", name="Visual", exact=True)).to_have_attribute(
        "aria-pressed", "true"
    )
    expect(text).to_be_hidden()

    # The infobox is a form of its fields; a changed field changes its line only.
    form = page.locator("fieldset.ve-infobox")
    expect(form.locator("legend")).to_have_text("Infobox: medical condition")
    expect(form.get_by_label("ICD-10", exact=True)).to_have_value("G43")
    expect(form.get_by_label("Symptoms", exact=True)).to_have_value("")
    form.get_by_label("ICD-10", exact=True).fill("banana")
    form.get_by_label("ICD-10", exact=True).press("Tab")
    form.get_by_label("Symptoms", exact=True).press_sequentially(
        "Headache, nausea"
    )  # typed: a new field
    form.get_by_label("Symptoms", exact=True).press("Tab")
    page.get_by_role("button", name="Save changes").click()
    # Validation stays the server's: "banana" is no ICD-10 code; nothing is saved.
    expect(page.locator(".errorlist")).to_contain_text("ICD-10")
    article.refresh_from_db()
    assert article.source == INFOBOXED
    page.wait_for_function("() => document.querySelector('.ve-host')?.dataset.ready === '1'")
    form = page.locator("fieldset.ve-infobox")
    form.get_by_label("ICD-10", exact=True).fill("G43")
    form.get_by_label("ICD-10", exact=True).press("Tab")
    page.get_by_role("button", name="Save changes").click()
    expect(page.locator("main")).to_contain_text("Your edit was saved")
    article.refresh_from_db()
    assert article.source == INFOBOXED.replace(  # the page left unsaved above kept nothing
        "Specialty: [[Neurology]]\n", "Specialty: [[Neurology]]\nSymptoms: Headache, nausea\n"
    )


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_the_visual_editor_at_375_px_with_the_keyboard_alone_and_axe_clean(
    live_server, page, signed_in, make_article
):
    make_article("Ibuprofen", "Ibuprofen is a painkiller.\n")
    make_article("Migraine", INFOBOXED)
    page.set_viewport_size({"width": 375, "height": 800})
    open_visual(page, f"{live_server.url}/wiki/Migraine/edit?section=2&mode=visual")
    width = page.evaluate("() => document.documentElement.scrollWidth")
    assert width <= 375, width
    page.evaluate(AXE_SOURCE)
    assert page.evaluate(RUN_AXE) == []
    # Keyboard only: into the text, a bold word, Tab out to the next field (no trap).
    page.locator(".ve-content").focus()
    page.keyboard.press("Control+End")
    page.keyboard.press("Enter")
    page.keyboard.press("Control+b")
    page.keyboard.type("Ice")
    page.keyboard.press("Control+b")
    page.keyboard.press("Tab")
    focused = page.evaluate("() => document.activeElement.closest('.ve-host') === null")
    assert focused
    # Shift+Tab back from the text reaches the toolbar.
    page.locator(".ve-content").focus()
    page.keyboard.press("Shift+Tab")
    assert page.evaluate("() => !!document.activeElement.closest('[role=toolbar]')")
    page.screenshot(path="/tmp/visual-375.png", full_page=True)
    assert page.evaluate(RUN_AXE) == []
    page.get_by_role("button", name="Save changes").click()
    expect(page.locator("main")).to_contain_text("Your edit was saved")
    assert Article.objects.get(title="Migraine").source == INFOBOXED.replace(
        "Rest and [[Ibuprofen]].\n", "Rest and [[Ibuprofen]].\n\n**Ice**\n"
    )


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_show_changes_and_a_merge_go_through_the_same_form_in_visual_mode(
    live_server, page, signed_in, make_article
):
    page.set_viewport_size({"width": 1280, "height": 900})
    article = make_article("Migraine", INFOBOXED)
    open_visual(page, f"{live_server.url}/wiki/Migraine/edit?mode=visual")
    put_cursor_at_end_of(page, "Unknown.")
    page.keyboard.type(" Genes play a part.")
    # Show changes: the diff of what was typed; the form comes back in visual mode with it.
    page.get_by_role("button", name="Show changes").click()
    expect(page.locator(".edit-changes")).to_contain_text("Genes play a part.")
    page.wait_for_function("() => document.querySelector('.ve-host')?.dataset.ready === '1'")
    expect(page.get_by_role("button", name="Visual", exact=True)).to_have_attribute(
        "aria-pressed", "true"
    )
    expect(page.locator(".ve-content")).to_contain_text("Genes play a part.")
    # Someone saves another section meanwhile: the visual edit is merged with theirs.
    other = User.objects.create_user("olga")
    save(article, other, INFOBOXED.replace("Rest and", "Sleep, rest and"))
    page.get_by_label("Summary").fill("Causes")
    page.get_by_label("This is a minor edit").check()
    page.get_by_role("button", name="Save changes").click()
    expect(page.locator("main")).to_contain_text("Your changes did not overlap")
    article.refresh_from_db()
    assert article.source == INFOBOXED.replace("Rest and", "Sleep, rest and").replace(
        "Unknown.", "Unknown. Genes play a part."
    )
    latest = article.revisions.order_by("-pk").first()
    assert latest.minor and latest.summary == "Causes"


FIGURED = (
    "Scans help.[^smith]\n\n"
    "[[File:Chest scan.png|thumb|right|alt=A chest X-ray, front view|A chest scan]]\n\n"
    "## References\n\n"
    "[^smith]: cite journal | authors: Smith J, Roe A | title: Reading scans | "
    "journal: Radiology | year: 2020 | volume: 12 | pages: 45-67\n"
)


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_figures_and_references_show_as_on_the_page_and_stay_as_typed(
    live_server, page, signed_in, make_article
):
    page.set_viewport_size({"width": 1280, "height": 900})
    make_media(signed_in)
    article = make_article("Scans", FIGURED)
    open_visual(page, f"{live_server.url}/wiki/Scans/edit?mode=visual")
    page.wait_for_function("() => document.querySelector('.ve-host').dataset.previewed")
    figure = page.locator(".ve-raw--figure")
    expect(figure.locator("figure img")).to_be_visible()
    expect(figure.locator("figcaption")).to_contain_text("A chest scan")
    expect(figure).to_contain_text("Dr Ana Rivera")  # the credit line, from the file's page
    expect(figure).to_contain_text("alt text: A chest X-ray, front view")
    # The reference written out in AMA style; its mark numbered, the reference its tooltip.
    expect(page.locator(".ve-raw--footnote .ve-citation")).to_contain_text(
        "Smith J, Roe A. Reading scans. Radiology. 2020;12:45-67."
    )
    mark = page.locator(".ve-content sup.ve-footnote")
    expect(mark).to_have_text("[1]")
    assert "Reading scans" in mark.get_attribute("title")
    page.screenshot(path="/tmp/visual-figures.png", full_page=True)
    # Text typed around them leaves them as typed.
    page.locator(".ve-content p", has_text="Scans help").click()
    page.keyboard.press("End")
    page.keyboard.type(" Often.")
    page.get_by_role("button", name="Save changes").click()
    expect(page.locator("main")).to_contain_text("Your edit was saved")
    article.refresh_from_db()
    assert article.source == FIGURED.replace("[^smith]\n\n[[File", "[^smith] Often.\n\n[[File")


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_a_reference_cited_in_visual_mode_goes_in_at_the_cursor(
    live_server, page, signed_in, make_article
):
    page.set_viewport_size({"width": 1280, "height": 900})
    article = make_article("Migraine", INFOBOXED)
    open_visual(page, f"{live_server.url}/wiki/Migraine/edit?section=1&mode=visual")
    put_cursor_at_end_of(page, "Unknown.")
    tool(page, "Cite a source").click()
    page.get_by_label("Authors").fill("Okafor N")
    page.get_by_label("Title", exact=True).fill("Migraine genetics")
    page.get_by_role("textbox", name="Journal").fill("Cephalalgia")
    page.get_by_label("Year").fill("2021")
    page.get_by_role("button", name="Insert citation").click()
    # Back in the visual text: the mark where the cursor was, the entry at the end.
    expect(page.locator(".ve-content sup.ve-footnote")).to_have_count(1)
    expect(page.locator(".ve-raw--footnote")).to_contain_text("Migraine genetics")
    page.keyboard.type(" More to learn.")
    page.get_by_role("button", name="Save changes").click()
    expect(page.locator("main")).to_contain_text("Your edit was saved")
    article.refresh_from_db()
    assert article.source == INFOBOXED.replace(
        "Unknown.\n",
        "Unknown.[^Okafor2021] More to learn.\n\n[^Okafor2021]: cite journal | authors: Okafor N | "
        "title: Migraine genetics | journal: Cephalalgia | year: 2021\n",
    )
