"""The translation view (`/<target>/translate/<source language>/<title>`), marking a translation
brought up to date with its source, and a language's translation lists (`wiki.translating`)."""

from django import forms
from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext, gettext_lazy
from django.views.decorators.http import require_POST

from .. import caching
from ..antiabuse.captcha import with_posted_captcha
from ..antiabuse.holding import EditHeld
from ..article_urls import article_from_url, canonical_redirect
from ..languages import content_language, default_language, is_rtl, language_codes
from ..limits import client_address
from ..models import Article
from ..permissions import EditRefused, can_edit
from ..rendering import RenderTooComplex
from ..services import SourceTooLarge, TitleTaken
from ..titles import InvalidTitle, title_to_slug, validate_title
from ..translating import (
    mark_current,
    outdated_translations,
    translation_create,
    translation_in,
    translation_parts,
    untranslated,
)
from ..translations import TranslationRefused
from ..views import language_name_in_interface
from .views import editor_mode, held_page
from .views import refused_on_form as _refused_on_form


class TranslationForm(forms.Form):
    """The target title first, then one text box per part of the source (`part_0`: the lead)."""

    title = forms.CharField(label=gettext_lazy("Title in this language"), max_length=255)
    source_revision = forms.IntegerField(widget=forms.HiddenInput)
    summary = forms.CharField(
        label=gettext_lazy("Summary"), max_length=500, required=False, strip=True
    )

    def __init__(self, *args, parts=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.parts = list(parts)
        for i, part in enumerate(self.parts):
            if i:
                self.fields[f"heading_{i}"] = forms.CharField(
                    label=gettext_lazy("Heading"), max_length=500, required=False, strip=True
                )
                self.initial.setdefault(f"heading_{i}", part.heading)
            self.fields[f"part_{i}"] = forms.CharField(
                label=gettext_lazy("Translation"),
                required=False,
                strip=False,
                widget=forms.Textarea(attrs={"rows": 8, "class": "source-text"}),
            )
            self.initial.setdefault(f"part_{i}", part.offered)

    def clean_title(self):
        try:
            return validate_title(self.cleaned_data["title"])
        except InvalidTitle as exc:
            raise forms.ValidationError(str(exc)) from None

    def rows(self):
        """(part, its heading field or None, its text field) for the template."""
        for i, part in enumerate(self.parts):
            yield part, (self[f"heading_{i}"] if i else None), self[f"part_{i}"]

    def translated_parts(self) -> list[tuple[str, int, str]]:
        data = self.cleaned_data
        return [
            ("" if i == 0 else data.get(f"heading_{i}") or part.heading, part.level,
             data.get(f"part_{i}", ""))
            for i, part in enumerate(self.parts)
        ]  # fmt: skip

    # The edit form's refusals name the text field; here they go on the form.
    def add_error(self, field, error):
        super().add_error(None if field in ("text",) else field, error)


def translate(request, source_language: str, slug: str):
    """Translate the source article into the language of the address."""
    language = content_language()
    if source_language not in language_codes() or source_language == language:
        raise Http404(gettext("There is no such language to translate from."))
    if moved := canonical_redirect(request, slug, {"source_language": source_language}):
        return moved
    source = (
        Article.objects.by_slug(title_to_slug(slug), source_language)
        .filter(redirect_to=None)
        .first()
    )
    if source is None or not source.latest_revision_id:
        raise Http404(gettext("No article has this title."))
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    existing = translation_in(source, language)
    if existing is not None:
        messages.info(request, gettext("This article is already translated into this language."))
        return redirect(existing)
    parts = translation_parts(source, language)
    form = TranslationForm(
        request.POST or None,
        parts=parts,
        initial={"title": "", "source_revision": source.latest_revision_id},
    )
    with_posted_captcha(form)
    status = 200
    mode = editor_mode(request)  # the Visual / Source choice, kept as the edit page's
    if request.method == "POST" and form.is_valid():
        title = form.cleaned_data["title"]
        if Article.objects.by_title(title, language).exists():
            form.add_error("title", gettext("An article with this title already exists."))
        else:
            try:
                result = translation_create(
                    source=source,
                    language=language,
                    title=title,
                    parts=form.translated_parts(),
                    source_revision_id=form.cleaned_data["source_revision"],
                    user=request.user,
                    address=client_address(request),
                    summary=form.cleaned_data["summary"],
                    captcha_solved="captcha" in form.fields,
                )
            except EditHeld as held:
                return held_page(request, held)
            except EditRefused as refused:
                _refused_on_form(form, refused)
                status = refused.status
            except (TitleTaken, TranslationRefused) as refused:
                form.add_error("title", str(refused) or gettext("This title is taken."))
            except (SourceTooLarge, RenderTooComplex) as refused:
                form.add_error(None, str(refused))
            else:
                messages.success(
                    request,
                    gettext("The translation “%(title)s” was created.")
                    % {"title": result.article.title},
                )
                return redirect(result.article)
        if status == 200:
            status = 400
    response = render(
        request,
        "wiki/translate.html",
        {
            "source": source,
            "form": form,
            "language": language,
            "language_name": language_name_in_interface(language),
            "source_language_name": language_name_in_interface(source.language),
            "source_dir": "rtl" if is_rtl(source.language) else "ltr",
            "target_dir": "rtl" if is_rtl(language) else "ltr",
            "editor_mode": mode,
        },
    )
    response.status_code = status
    return response


def _may_not(user, article) -> str:
    return gettext("You cannot edit this article.")


@require_POST
@article_from_url(sign_in="wiki:article", may=can_edit, refusal=_may_not)
def translation_current(request, article: Article):
    """An editor marks the translation brought up to date with its source's newest revision."""
    if mark_current(article):
        caching.invalidate_article(article)
        messages.success(request, gettext("The translation is marked up to date with its source."))
    return redirect(article)


def translation_status(request):
    """`/<language>/translations`: the language's outdated translations, and the default
    language's articles not yet translated into it."""
    language = content_language()
    return render(
        request,
        "wiki/translation_status.html",
        {
            "language": language,
            "language_name": language_name_in_interface(language),
            "is_default": language == default_language(),
            "default_name": language_name_in_interface(default_language()),
            "outdated": [] if language == default_language() else outdated_translations(language),
            "untranslated": [] if language == default_language() else untranslated(language),
        },
    )
