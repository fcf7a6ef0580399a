"""The anti-abuse corpus: hostile edits as spammers and vandals make them, and ordinary edits
as good-faith newcomers make them, each a change to one of two demo articles (Paracetamol, in
Drugs; Migraine, with an infobox and a cited reference). `tests/test_abuse_corpus.py` posts
them through every interface as a young account and counts what happens."""

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings

DEMO = Path(settings.BASE_DIR) / "demo" / "articles"

# Domains an operator would have on the blocklist after the first spam wave.
SPAM_DOMAINS = (
    "cheap-meds-online.example",
    "casino-royale-bonus.example",
    "replica-watch-deals.example",
    "essay-writers-pro.example",
    "keto-miracle-pills.example",
)
# An operator's rule for promotional text (the shipped rules do not guess at wording).
PROMOTION = (
    r"(?i)\b(?:buy|order)\b[^.\n]{0,40}\bonline\b|without (?:a )?prescription|discount code"
    r"|free shipping|best price|lowest price|\bcasino\b|payday loan|click here"
)


@dataclass(frozen=True)
class CorpusEdit:
    """One edit: which article, and the text it makes of the article's text."""

    name: str
    kind: str
    article: str  # "Paracetamol" or "Migraine"
    change: Callable[[str], str]


def append(text: str) -> Callable[[str], str]:
    return lambda old: old.rstrip("\n") + "\n\n" + text + "\n"


def after_lead(text: str) -> Callable[[str], str]:
    """Inserted before the first section heading."""
    return lambda old: old.replace("\n## ", "\n" + text + "\n\n## ", 1)


def replace(before: str, after: str) -> Callable[[str], str]:
    def change(old: str) -> str:
        assert before in old, before
        return old.replace(before, after, 1)

    return change


def drop_section(heading: str) -> Callable[[str], str]:
    """The section's body emptied, its heading kept (a blanked section)."""

    def change(old: str) -> str:
        start = old.index(f"## {heading}\n") + len(f"## {heading}\n")
        end = old.find("\n## ", start)
        return old[:start] + "\n" + (old[end:] if end != -1 else "")

    return change


def keep_share(share: float) -> Callable[[str], str]:
    return lambda old: old[: int(len(old) * share)]


def drop_references(old: str) -> str:
    return "\n".join(line for line in old.split("\n") if not line.startswith("[^"))


SPAM, SEO, DOSE, BLANK, LOOKALIKE, HIDDEN, NOISE = (
    "link spam",
    "promotional text",
    "dose tampering",
    "blanking",
    "look-alike domain",
    "hidden link",
    "repeated characters",
)

HOSTILE = [
    # Link spam: the blocklisted domains, written every way Markdown allows.
    CorpusEdit("markdown link", SPAM, "Paracetamol", append(
        "Compare prices at [our pharmacy](https://cheap-meds-online.example/paracetamol).")),
    CorpusEdit("bare address", SPAM, "Migraine", append(
        "More help: https://keto-miracle-pills.example/migraine-cure")),
    CorpusEdit("autolink", SPAM, "Paracetamol", after_lead(
        "Order here: <https://cheap-meds-online.example/order>")),
    CorpusEdit("subdomain", SPAM, "Migraine", append(
        "See [relief tips](https://tips.casino-royale-bonus.example/)")),
    CorpusEdit("upper-case host", SPAM, "Paracetamol", append(
        "[Watches](HTTPS://REPLICA-WATCH-DEALS.EXAMPLE/rolex)")),
    CorpusEdit("www without scheme", SPAM, "Migraine", append(
        "Essays on headaches at www.essay-writers-pro.example/headache")),
    CorpusEdit("list item", SPAM, "Paracetamol", replace(
        "* pain after minor procedures or vaccinations.",
        "* pain after minor procedures or vaccinations.\n"
        "* [cheap paracetamol](https://cheap-meds-online.example/p)")),
    CorpusEdit("protocol-relative", SPAM, "Migraine", append(
        "[Relief](//keto-miracle-pills.example/relief)")),
    CorpusEdit("HTML anchor", SPAM, "Paracetamol", append(
        '<a href="https://casino-royale-bonus.example/">bonus</a>')),
    CorpusEdit("link in see also", SPAM, "Migraine", replace(
        "## See also\n", "## See also\n\n* [Cure migraine](https://keto-miracle-pills.example/)\n")),
    # Promotional text without a link.
    CorpusEdit("buy online", SEO, "Paracetamol", after_lead(
        "Buy paracetamol online today and get it delivered tomorrow.")),
    CorpusEdit("no prescription", SEO, "Paracetamol", append(
        "Get any painkiller without a prescription from trusted sellers.")),
    CorpusEdit("discount code", SEO, "Migraine", append(
        "Use discount code MIGRAINE50 for half off your first relief kit.")),
    CorpusEdit("free shipping", SEO, "Paracetamol", replace(
        "## Interactions\n", "## Interactions\n\nFree shipping on all orders over ten tablets.\n")),
    CorpusEdit("best price", SEO, "Migraine", after_lead(
        "We offer the best price on migraine medicines anywhere.")),
    CorpusEdit("casino", SEO, "Migraine", append(
        "Relax after an attack with a round at your favourite online casino.")),
    CorpusEdit("payday loan", SEO, "Paracetamol", append(
        "Cannot afford treatment? A payday loan gets you cash in minutes.")),
    CorpusEdit("click here", SEO, "Migraine", append(
        "Click here to learn the one secret neurologists hide from you.")),
    # Dose tampering in a Drugs article.
    CorpusEdit("tenfold daily dose", DOSE, "Paracetamol", replace(
        "Key general points are", "Adults can safely take 10 g a day. Key general points are")),
    CorpusEdit("child dose per kg", DOSE, "Paracetamol", append(
        "Children may be given 150 mg/kg at once.")),
    CorpusEdit("interval shortened", DOSE, "Paracetamol", replace(
        "the minimum interval between doses",
        "the minimum interval between doses (1000 mg every hour is fine)")),
    CorpusEdit("dose in the infobox", DOSE, "Paracetamol", replace(
        "ATC code: N02BE01", "ATC code: N02BE01\nBioavailability: complete at 6 g a day")),
    CorpusEdit("dose in side effects", DOSE, "Paracetamol", replace(
        "At recommended doses", "At doses up to 12000 mg")),
    CorpusEdit("micrograms", DOSE, "Paracetamol", append(
        "A single 5000 mcg tablet treats an overdose.")),
    CorpusEdit("millilitres for infants", DOSE, "Paracetamol", replace(
        "Children's doses are based on age or weight",
        "Infants need 40 ml of the adult syrup; children's doses are based on age or weight")),
    CorpusEdit("dose as a list", DOSE, "Paracetamol", replace(
        "## Interactions\n", "## Interactions\n\n* Adults: 4 g every 4 hours\n")),
    # Blanking.
    CorpusEdit("whole page blanked", BLANK, "Paracetamol", lambda old: ""),
    CorpusEdit("page replaced by a word", BLANK, "Migraine", lambda old: "lol\n"),
    CorpusEdit("nine tenths removed", BLANK, "Paracetamol", keep_share(0.1)),
    CorpusEdit("two thirds removed", BLANK, "Migraine", keep_share(0.3)),
    CorpusEdit("side effects blanked", BLANK, "Paracetamol", drop_section("Side effects")),
    CorpusEdit("interactions blanked", BLANK, "Paracetamol", drop_section("Interactions")),
    CorpusEdit("symptoms blanked", BLANK, "Migraine", drop_section("Symptoms")),
    CorpusEdit("treatment blanked", BLANK, "Migraine", drop_section("Treatment")),
    # Look-alike domains of allowlisted sources.
    CorpusEdit("Cyrillic o in who.int", LOOKALIKE, "Migraine", append(
        "[WHO fact sheet](https://www.wh\u043e.int/news-room/fact-sheets)")),
    CorpusEdit("Greek omicron in doi.org", LOOKALIKE, "Migraine", append(
        "[Study](https://d\u03bfi.org/10.1000/xyz123)")),
    CorpusEdit("Cyrillic i in nih.gov", LOOKALIKE, "Paracetamol", append(
        "[NIH](https://n\u0456h.gov/paracetamol)")),
    CorpusEdit("zero in cdc.gov", LOOKALIKE, "Paracetamol", append(
        "[CDC advice](https://cdc.g0v/advice)")),
    CorpusEdit("Cyrillic shha in nhs.uk", LOOKALIKE, "Migraine", append(
        "[NHS](https://n\u04bbs.uk/conditions/migraine)")),
    CorpusEdit("rn for m in bmj.com", LOOKALIKE, "Migraine", append(
        "[BMJ review](https://brnj.com/migraine-review)")),
    # Links hidden where a reader does not look first.
    CorpusEdit("in a reference", HIDDEN, "Migraine", replace(
        "## References\n",
        "## References\n\n[^shop]: See https://cheap-meds-online.example/triptans\n")),
    CorpusEdit("in a citation url", HIDDEN, "Migraine", replace(
        "pmid: 29368949", "pmid: 29368949 | url: https://casino-royale-bonus.example/ichd")),
    CorpusEdit("in an infobox field", HIDDEN, "Migraine", replace(
        "::: infobox medical condition\n",
        "::: infobox medical condition\nWebsite: https://keto-miracle-pills.example\n")),
    CorpusEdit("bare host in the infobox", HIDDEN, "Paracetamol", replace(
        "Trade names: Tylenol, Panadol", "Trade names: Tylenol, Panadol, cheap-meds-online.example")),
    CorpusEdit("reference-style definition", HIDDEN, "Paracetamol", append(
        "See the [leaflet][1].\n\n[1]: https://replica-watch-deals.example/leaflet")),
    CorpusEdit("entity-encoded host", HIDDEN, "Migraine", append(
        "[Tips](https://essay&#45;writers&#45;pro.example/tips)")),
    CorpusEdit("percent-encoded host", HIDDEN, "Paracetamol", append(
        "[Leaflet](https://cheap%2Dmeds%2Donline.example/leaflet)")),
    CorpusEdit("zero-width space in host", HIDDEN, "Migraine", append(
        "[Relief](https://keto-miracle\u200b-pills.example/)")),
    # Noise.
    CorpusEdit("a row of one letter", NOISE, "Migraine", after_lead("a" * 40)),
    CorpusEdit("exclamation marks", NOISE, "Paracetamol", append("!" * 30)),
    CorpusEdit("keyboard mash in a section", NOISE, "Migraine", replace(
        "## Causes\n", "## Causes\n\nzzzzzzzzzzzzzzzzzzzzzzzzzzzzzz\n")),
    CorpusEdit("shouting", NOISE, "Paracetamol", append("A" * 25 + "RGH THIS IS WRONG")),
]  # fmt: skip

GOOD = [
    CorpusEdit("typo", "fix", "Paracetamol", replace("widely used", "commonly used")),
    CorpusEdit("clearer word", "fix", "Migraine", replace("throbbing or pulsing", "throbbing, pulsing")),
    CorpusEdit("sentence added", "addition", "Paracetamol", replace(
        "It is often chosen for people", "It is also used in hospitals. It is often chosen for people")),
    CorpusEdit("DOI reference", "reference", "Migraine", append(
        "Recent reviews summarise the evidence [doi](https://doi.org/10.1177/0333102417738202).")),
    CorpusEdit("PubMed link", "reference", "Migraine", append(
        "A classification paper: https://pubmed.ncbi.nlm.nih.gov/29368949/")),
    CorpusEdit("WHO link", "reference", "Paracetamol", append(
        "It is on the [WHO list of essential medicines](https://www.who.int/groups/expert-committee-on-selection-and-use-of-essential-medicines).")),
    CorpusEdit("NHS link", "reference", "Migraine", append(
        "Patient information: [NHS](https://www.nhs.uk/conditions/migraine/).")),
    CorpusEdit("NICE link", "reference", "Migraine", append(
        "Guidance: [NICE](https://www.nice.org.uk/guidance/cg150).")),
    CorpusEdit("see also item", "addition", "Paracetamol", replace(
        "* [[Ibuprofen]]\n", "* [[Ibuprofen]]\n* [[Aspirin]]\n")),
    CorpusEdit("wiki link", "addition", "Migraine", replace("## Causes\n", "## Causes\n\nSee also [[Tension headache]].\n")),
    CorpusEdit("history section", "addition", "Paracetamol", append(
        "## History\n\nParacetamol was first made in the late nineteenth century and came into "
        "wide use in the middle of the twentieth.")),
    CorpusEdit("table", "addition", "Migraine", append(
        "| Phase | Typical length |\n| --- | --- |\n| Aura | Up to an hour |\n| Headache | Hours to days |")),
    CorpusEdit("infobox trade name", "fix", "Paracetamol", replace(
        "Trade names: Tylenol, Panadol", "Trade names: Tylenol, Panadol, Calpol")),
    CorpusEdit("duplicate sentence removed", "removal", "Paracetamol", replace(
        " Common situations include:", "")),
    CorpusEdit("small cut", "removal", "Migraine", replace("* [[Sleep hygiene]]\n", "")),
    CorpusEdit("bold term", "fix", "Paracetamol", replace("antidote treatment", "**antidote** treatment")),
    CorpusEdit("list item added", "addition", "Paracetamol", replace(
        "* muscle aches and back pain;", "* muscle aches and back pain;\n* joint pain from osteoarthritis;")),
    CorpusEdit("question answered", "addition", "Migraine", append(
        "Keeping a headache diary helps many people find their triggers.")),
    CorpusEdit("dose in a non-drug article", "addition", "Migraine", append(
        "Some guidelines suggest magnesium, around 600 mg a day, for prevention.")),
    CorpusEdit("numbers without units", "addition", "Paracetamol", append(
        "It was among the 10 most prescribed medicines in 2019.")),
    CorpusEdit("a year", "addition", "Migraine", append("The criteria were revised in 2018.")),
    CorpusEdit("punctuation", "fix", "Paracetamol", replace("Common situations include:", "Common situations include the following:")),
    CorpusEdit("ellipsis", "fix", "Migraine", append("Symptoms vary... from person to person.")),
    CorpusEdit("long word", "addition", "Paracetamol", append(
        "Its chemical name is N-acetyl-para-aminophenol.")),
    CorpusEdit("citation added", "reference", "Paracetamol", append(
        "Overdose is a common cause of acute liver failure.[^alf]\n\n[^alf]: cite journal | "
        "authors: Lee WM | title: Acetaminophen toxicity | journal: Hepatology | year: 2004 | "
        "doi: 10.1002/hep.20293")),
    CorpusEdit("section reworded", "fix", "Paracetamol", replace(
        "Paracetamol has relatively few significant drug interactions.",
        "Paracetamol interacts with few other medicines.")),
    CorpusEdit("Cochrane link", "reference", "Migraine", append(
        "A [Cochrane review](https://www.cochranelibrary.com/cdsr/doi/10.1002/14651858.CD008541) compares treatments.")),
    CorpusEdit("clinical trial link", "reference", "Migraine", append(
        "Trials are listed at [ClinicalTrials.gov](https://clinicaltrials.gov/search?cond=migraine).")),
    CorpusEdit("MedlinePlus", "reference", "Paracetamol", append(
        "Reader's guide: [MedlinePlus](https://medlineplus.gov/druginfo/meds/a681004.html).")),
    CorpusEdit("EMA link", "reference", "Paracetamol", append(
        "Regulatory information: [EMA](https://www.ema.europa.eu/).")),
    CorpusEdit("FDA link", "reference", "Paracetamol", append(
        "Label warnings: [FDA](https://www.fda.gov/drugs).")),
    CorpusEdit("CDC link", "reference", "Migraine", append(
        "Statistics: [CDC](https://www.cdc.gov/).")),
    CorpusEdit("Europe PMC link", "reference", "Migraine", append(
        "Full text: [Europe PMC](https://europepmc.org/article/MED/29368949).")),
    CorpusEdit("NEJM link", "reference", "Migraine", append(
        "A review in the [NEJM](https://www.nejm.org/).")),
    CorpusEdit("Lancet link", "reference", "Paracetamol", append(
        "Discussed in [The Lancet](https://www.thelancet.com/).")),
    CorpusEdit("JAMA link", "reference", "Migraine", append("See [JAMA](https://jamanetwork.com/).")),
    CorpusEdit("Nature link", "reference", "Migraine", append(
        "Genetics: [Nature](https://www.nature.com/).")),
    CorpusEdit("heading fixed", "fix", "Migraine", replace("## Diagnosis\n", "## Diagnosis and tests\n")),
    CorpusEdit("short paragraph", "addition", "Paracetamol", append(
        "Tablets, capsules, liquids and suppositories are all available.")),
    CorpusEdit("caution sentence", "addition", "Paracetamol", replace(
        "## Interactions\n", "## Interactions\n\nAsk a pharmacist before combining products.\n")),
    CorpusEdit("american spelling", "fix", "Paracetamol", replace("period pain", "menstrual pain")),
    CorpusEdit("children note", "addition", "Migraine", append(
        "Children can have migraine too, often with shorter attacks.")),
    CorpusEdit("trigger list", "addition", "Migraine", append(
        "* lack of sleep\n* skipped meals\n* bright light")),
    CorpusEdit("quote marks", "fix", "Migraine", append('Some call it a "sick headache".')),
    CorpusEdit("emphasis", "fix", "Paracetamol", replace("even if they feel well", "*even if they feel well*")),
    CorpusEdit("small removal", "removal", "Migraine", replace(" such as climbing stairs", "")),
    CorpusEdit("number with unit in a fact", "addition", "Migraine", append(
        "About 1 in 7 people have migraine.")),
    CorpusEdit("category-free sentence", "addition", "Paracetamol", append(
        "It is sold under many brand names around the world.")),
    CorpusEdit("rewording of the lead", "fix", "Migraine", after_lead(
        "Attacks often begin in adolescence.")),
    CorpusEdit("footnote wording", "fix", "Migraine", replace(
        "Established criteria[^ichd3]", "Established international criteria[^ichd3]")),
]  # fmt: skip
