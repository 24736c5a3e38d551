"""Content per language: originals hold the state, translations are what people read.

Pages, hub items and badges are written in the programme's language (``LANGUAGE_CODE``)
and translated with wagtail-localize into the interface's other languages. A
translation is a copy in its own locale, but only the original counts: people enrol in,
complete, share and earn the original, so progress, points, boards and measurement stay
one figure whatever language people read in. What they read is the published version
in their language where one exists (``localised``), else the original.

Wagtail routes a request through the home page of the active language; the home page
hands routing back to the original tree (``LocalisedPage.route``), so every address is
served by the original with its translation as content.
"""

from collections import defaultdict
from collections.abc import Sequence
from typing import Any, TypeVar

from django.conf import settings
from django.db import models
from django.utils import translation
from wagtail.coreutils import get_supported_content_language_variant
from wagtail.models import DraftStateMixin, Locale, Site

T = TypeVar("T", bound=models.Model)
QS = TypeVar("QS", bound=models.QuerySet)


def original_language() -> str:
    """The language originals are written in: the content language of ``LANGUAGE_CODE``."""
    return get_supported_content_language_variant(settings.LANGUAGE_CODE)


def reading_language() -> str:
    """The content language people read in now (the active interface language)."""
    try:
        return get_supported_content_language_variant(translation.get_language())
    except LookupError:
        return original_language()


def originals(queryset: QS) -> QS:
    """Only the originals: what people enrol in, share and earn (never a translation)."""
    return queryset.filter(locale__language_code=original_language())


def is_original(obj: Any) -> bool:
    return obj.locale.language_code == original_language()


def original_of(obj: T) -> T:
    """The original of a translation (itself for an original)."""
    if is_original(obj):
        return obj
    original = (
        type(obj)
        .objects.filter(  # type: ignore[attr-defined]
            translation_key=obj.translation_key,  # type: ignore[attr-defined]
            locale__language_code=original_language(),
        )
        .first()
    )
    return original or obj


def localised(objects: Sequence[T], language: str | None = None) -> list[T]:
    """Each of ``objects`` (originals) in ``language`` (by default the reading one): its
    published translation where one exists, else itself; one query per model."""
    language = language or reading_language()
    if language == original_language() or not objects:
        return list(objects)
    by_model: dict[Any, list[Any]] = defaultdict(list)
    for obj in objects:
        by_model[type(obj)].append(obj)
    found: dict[tuple[type, Any], Any] = {}
    for model, items in by_model.items():
        translations = model.objects.filter(
            translation_key__in=[item.translation_key for item in items],
            locale__language_code=language,
        )
        if issubclass(model, DraftStateMixin):
            translations = translations.filter(live=True)
        for version in translations:
            found[(model, version.translation_key)] = version
    return [found.get((type(obj), obj.translation_key), obj) for obj in objects]  # type: ignore[attr-defined]


def localised_one(obj: T, language: str | None = None) -> T:
    return localised([obj], language)[0]


class LocalisedPage:
    """A page whose translations are content: the original serves every request and its
    templates read ``content``, the version in the reader's language."""

    def route(self, request, path_components):
        # Wagtail starts at the home page of the active language; the site's own root
        # page is the original, and routes from there.
        site = Site.find_for_request(request)
        if site and site.root_page_id != self.pk and self.depth == 2:
            root = site.root_page.specific
            if root.translation_key == self.translation_key:
                return root.route(request, path_components)
        return super().route(request, path_components)

    def serve_preview(self, request, mode_name):
        # An author previews a translation's draft on its original: the original keeps
        # the state and the addresses, the draft is the content.
        if not hasattr(request, "previewed"):
            request.previewed = self
        original = original_of(self)
        if original.pk != self.pk:
            return original.specific.serve_preview(request, mode_name)
        return super().serve_preview(request, mode_name)

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["content"] = content_of(self, request)
        return context


def content_of(page: Any, request) -> Any:
    """What ``page`` (an original) shows this request: the draft an author previews, else
    the reader's language's published version, else the page itself."""
    previewed = getattr(request, "previewed", None)
    if previewed is not None and previewed.translation_key == page.translation_key:
        return previewed
    return localised_one(page)


def translate(instance: Any, language: str, words: dict[str, str], *, publish: bool = True):
    """Translate ``instance`` (an original) into ``language`` the way an author does in the
    admin with wagtail-localize: each of its texts found in ``words`` gets that wording
    (the rest keep the original's), then the translation is saved (and published).
    Returns the translation. For the demo data and tests; authors use the admin."""
    from wagtail_localize.models import (
        StringSegment,
        StringTranslation,
        Translation,
        TranslationSource,
    )

    locale = Locale.objects.get(language_code=language)
    source, _created = TranslationSource.get_or_create_from_instance(instance)
    work, _created = Translation.objects.get_or_create(source=source, target_locale=locale)
    for segment in StringSegment.objects.filter(source=source).select_related("string", "context"):
        wording = words.get(segment.string.data)
        if wording is not None:
            StringTranslation.objects.update_or_create(
                translation_of=segment.string,
                locale=locale,
                context=segment.context,
                defaults={"data": wording},
            )
    # wagtail-localize publishes drafts when the transaction commits, after anything that
    # follows in it; save the draft and publish it here instead.
    drafts = isinstance(instance, DraftStateMixin)
    work.save_target(publish=not drafts)
    version = type(instance).objects.get(translation_key=instance.translation_key, locale=locale)
    if drafts and publish:
        version.get_latest_revision().publish()
        version.refresh_from_db()
    return version
