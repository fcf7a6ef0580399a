"""The talk page: the discussion as written, with forms to start a topic and to reply."""

from django import forms
from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext
from django.views.decorators.http import require_POST

from ..antiabuse.captcha import add_captcha, with_posted_captcha
from ..antiabuse.services import CaptchaNeeded
from ..article_urls import article_from_url
from ..editing.services import EditRequest, article_edit_submit
from ..form_fields import MarkdownField
from ..limits import client_address
from ..models import Article
from ..permissions import EditRefused, can_edit
from ..reading import article_page
from ..rendering import RenderTooComplex
from ..services import ArticleEdit, EditConflict, SourceTooLarge, TitleTaken
from ..sources import replace_section, section_text, split_source
from ..titles import InvalidTitle, is_talk_title, subject_title_of, title_to_slug, validate_title
from ..watching.watches import page_visited
from .signatures import reply_text, topic_text


class TopicForm(forms.Form):
    prefix = "topic"
    heading = forms.CharField(label=gettext("Subject"), max_length=200)
    text = MarkdownField(
        strip=True,
        label=gettext("Your message"),
        widget=forms.Textarea(attrs={"rows": 6}),
        max_length=50_000,
        help_text=gettext(
            "Markdown. It is signed for you (or type ~~~~ where your signature goes)."
        ),
    )

    def clean_heading(self):
        heading = " ".join(self.cleaned_data["heading"].split()).lstrip("#").strip()
        if not heading:
            raise forms.ValidationError(gettext("A topic needs a subject."))
        return heading


class ReplyForm(forms.Form):
    prefix = "reply"
    section = forms.TypedChoiceField(label=gettext("Reply to"), coerce=int)
    text = MarkdownField(
        strip=True,
        label=gettext("Your reply"),
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=50_000,
        help_text=gettext("Markdown. It is signed for you."),
    )

    def __init__(self, *args, topics=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["section"].choices = [(n, heading) for n, heading in topics]


def topics_of(article: Article | None) -> list[tuple[int, str]]:
    """(section number, heading) of each topic of the talk page."""
    if article is None:
        return []
    return [(n, s.heading) for n, s in enumerate(article.ordered_sections, start=1)]


def talk_page(request, slug: str, article: Article | None, *, topic_form=None, reply_form=None):
    """/wiki/Talk:<Title>: the discussion (or an invitation to start one)."""
    try:
        title = validate_title(slug)
    except InvalidTitle:
        raise Http404(gettext("No talk page has this title.")) from None
    subject = Article.objects.filter(slug=title_to_slug(subject_title_of(title))).first()
    if article is None and subject is None:
        raise Http404(gettext("There is no article to discuss under this title."))
    topics = topics_of(article)
    watching = None
    if request.method == "GET":
        watching = page_visited(request.user, title)
        chosen = request.GET.get("section", "")
        initial = {"section": int(chosen)} if chosen.isdigit() else {}
        reply_form = ReplyForm(topics=topics, initial=initial)
    failed = topic_form is not None or reply_form is not None and request.method == "POST"
    return render(
        request,
        "wiki/talk.html",
        {
            "article": article,
            "subject": subject,
            "title": title,
            "slug": title_to_slug(title),
            "page": article_page(article) if article is not None else None,
            # A post refused at the door shows its form again: the reason, and the text kept.
            "can_write": failed or can_edit(request.user, article),
            "topic_form": topic_form or TopicForm(),
            "reply_form": reply_form or ReplyForm(topics=topics),
            "topics": topics,
            **({"tabs_watching": watching} if watching is not None else {}),
        },
        status=400 if failed else 200,
    )


def _talk_title(slug: str) -> str:
    try:
        title = validate_title(slug)
    except InvalidTitle:
        raise Http404(gettext("No talk page has this title.")) from None
    if not is_talk_title(title):
        raise Http404(gettext("Topics and replies are written on talk pages."))
    return title


def _save(request, article: Article, build, summary: str, *, captcha_solved: bool = False):
    """Save the text `build(current source)` gives; built again on the latest text when
    someone saved meanwhile (a topic or reply adds, it never needs merging by hand)."""
    for _attempt in range(3):
        current = Article.objects.filter(pk=article.pk).first() if article.pk else None
        target = current or article
        edit = ArticleEdit(
            text=build(target.source if current else ""),
            base_revision=target.latest_revision_id if current else None,
            user=request.user,
            summary=summary,
            watch=True,
        )
        try:
            return article_edit_submit(
                article=target,
                request=EditRequest(
                    edit=edit,
                    address=client_address(request),
                    interface="talk",
                    captcha_solved=captcha_solved,
                ),
            )
        except (EditConflict, TitleTaken):
            article = Article.objects.by_slug(article.slug).first() or article
    raise EditConflict(article=article, current_source="", your_source="", latest_revision_id=None)


def _refused(form, exc) -> None:
    if isinstance(exc, CaptchaNeeded):  # shown with its reason; the text is kept
        add_captcha(form)
        form.add_error("captcha", str(exc))
        return
    said = str(exc)
    form.add_error("text", said if "Nothing was saved" in said else f"{said} Nothing was saved.")


def _limited(response, exc):
    """A refusal at the edit door answers its own status (403, or 429: wait and try again)."""
    if isinstance(exc, EditRefused):
        response.status_code = exc.status
    return response


# Topics and replies are posts: after signing in, the writer goes back to the talk page.
@require_POST
@article_from_url(missing_ok=True, sign_in="wiki:article")
def new_topic(request, article: Article | None, slug: str):
    title = _talk_title(slug)
    form = TopicForm(request.POST)
    with_posted_captcha(form)
    if form.is_valid():
        heading, body = form.cleaned_data["heading"], topic_text(form.cleaned_data["text"])

        def build(source: str) -> str:
            return (source.rstrip() + "\n\n" if source.strip() else "") + (
                f"## {heading}\n\n{body}\n"
            )

        try:
            _save(
                request,
                article or Article(title=title),
                build,
                f"New topic: {heading}",
                captcha_solved="captcha" in form.fields,
            )
        except (SourceTooLarge, RenderTooComplex, EditConflict, EditRefused) as exc:
            _refused(form, exc)
            return _limited(talk_page(request, title_to_slug(title), article, topic_form=form), exc)
        else:
            messages.success(
                request, gettext("Your topic “%(heading)s” was added.") % {"heading": heading}
            )
            return redirect(reverse("wiki:article", args=[title_to_slug(title)]) + "#talk-end")
    return talk_page(request, title_to_slug(title), article, topic_form=form)


@require_POST
@article_from_url(missing_ok=True, sign_in="wiki:article")
def reply(request, article: Article | None, slug: str):
    title = _talk_title(slug)
    if article is None:
        raise Http404(gettext("This talk page has no topics yet: start one."))
    topics = topics_of(article)
    form = ReplyForm(request.POST, topics=topics)
    with_posted_captcha(form)
    if form.is_valid():
        number = form.cleaned_data["section"]
        heading = dict(topics)[number]
        quoted = reply_text(form.cleaned_data["text"])

        def build(source: str) -> str:
            sections = split_source(source)[1]
            # The topic is found again by its heading: someone may have added one above it.
            at = next((i for i, s in enumerate(sections) if s.heading == heading), None)
            if at is None:
                raise EditConflict(
                    article=article, current_source="", your_source="", latest_revision_id=None
                )
            body = section_text(source, at + 1).rstrip() + "\n\n" + quoted + "\n"
            return replace_section(source, at + 1, body)

        try:
            _save(
                request,
                article,
                build,
                f"Reply: {heading}",
                captcha_solved="captcha" in form.fields,
            )
        except (SourceTooLarge, RenderTooComplex, EditConflict, EditRefused) as exc:
            _refused(form, exc)
            return _limited(talk_page(request, title_to_slug(title), article, reply_form=form), exc)
        else:
            messages.success(request, gettext("Your reply was added."))
            return redirect(article.get_absolute_url())
    return talk_page(request, title_to_slug(title), article, reply_form=form)
