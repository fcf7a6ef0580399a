"""The site pages every footer links to, as a fresh install has them until an admin edits
them (migration 0003 creates the missing ones; `{site_name}` becomes SITE_NAME)."""

DEFAULT_PAGES = {
    "about": (
        "About",
        """{site_name} is a free encyclopedia of medicine and wellbeing, written and corrected \
by its contributors.

Every article keeps its full history: anyone can see who changed what and when, compare two \
versions, and read any earlier one. Contributors are credited on the articles they write.

To take part, sign in and use the Edit link of any article. The administrators of this site \
can be reached through the contact details they publish here.""",
    ),
    "disclaimer": (
        "Medical disclaimer",
        """The articles on {site_name} give **general information** only. They are not \
medical advice and do not replace a diagnosis or treatment by a qualified health professional.

Anyone may edit this encyclopedia, so a page can be incomplete, out of date or wrong at the \
moment you read it, whatever the credentials of its contributors.

* Ask a doctor, nurse or pharmacist about any symptom, medicine or treatment decision.
* Do not stop or delay a treatment because of something you read here.
* **In an emergency, call your local emergency number at once.**

{site_name} and its contributors accept no liability for what follows from the use of this \
information.""",
    ),
    "license": (
        "License",
        """The text of {site_name} is available under the [Creative Commons \
Attribution-ShareAlike 4.0 License][cc-by-sa] (CC BY-SA 4.0).

You may copy, adapt and share it, also commercially, if you credit {site_name} and its \
contributors (a link to the article and its history is enough) and share your adaptation \
under the same license.

Images are credited to their authors on their own description pages and may be under other \
licenses.

[cc-by-sa]: https://creativecommons.org/licenses/by-sa/4.0/""",
    ),
    "how-we-review": (
        "How we review",
        """Articles on {site_name} are written by many hands. To help you judge what you read, \
members of our **Reviewers** group, health professionals whose credentials are shown with \
their name, check articles against the sources they cite.

When a reviewer has checked a version of an article, the article says so under its title: \
who reviewed it, with their credentials, and on what date. If the article has been edited \
since, it also says how many edits were made after the review, and links to exactly what \
changed, so you can see whether the reviewed text is still the one in front of you.

On some articles the editors choose to show readers the last reviewed version until a \
reviewer has checked the newer edits. Such pages say so at the top, with a link to the \
changes waiting for review.

A review is a check at one point in time, not a guarantee. Every review is public: it \
appears in the article's history and in recent changes. If you find an error, tell us on \
the article or correct it with a source.""",
    ),
    "privacy": (
        "Privacy policy",
        """Reading {site_name} needs no account, and readers are not tracked across sites.

If you sign in, the site keeps your user name, your password (only as a secure hash) and a \
session cookie while you are signed in. Every edit you make is public and lasting: the \
history of each article shows the name you are credited under and the time of the edit.

The server's logs hold addresses and pages requested, kept for a short time to run and \
protect the site. Ask the administrators to see or delete what concerns you.""",
    ),
}


def create_missing_site_pages(SitePage, *, site_name: str, render) -> None:
    """Create the default pages whose slug has no page yet; `render` turns Markdown to HTML."""
    taken = set(SitePage.objects.filter(slug__in=DEFAULT_PAGES).values_list("slug", flat=True))
    for slug, (title, body) in DEFAULT_PAGES.items():
        if slug not in taken:
            body = body.replace("{site_name}", site_name)
            SitePage.objects.create(slug=slug, title=title, body=body, html=render(body))


def is_unedited_default(page, *, site_name: str) -> bool:
    """Whether `page` still holds the default text it was created with."""
    title, body = DEFAULT_PAGES.get(page.slug, (None, None))
    return body is not None and page.body == body.replace("{site_name}", site_name)
