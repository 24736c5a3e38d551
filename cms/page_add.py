"""Wagtail's "add page" view, safe when autosave and Publish race on a new page.

On a new page, Wagtail's autosave posts the form to the add URL and only then moves the
editor to the page's edit URL. A Publish (or Save) pressed in that moment posts to the
add URL too: both requests pass the form's slug check, and the second fails inside
``add_child`` with "slug already in use", a 500. Here creations under one parent take
turns (a row lock on the parent; SQLite serialises writers anyway), a post that finds
the draft its own autosave just made is sent to that draft's edit view, and a slug
taken in the last instant answers like any other form error, never a 500.
"""

from datetime import timedelta

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import JsonResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone
from wagtail.admin.viewsets.pages import page_viewset_registry
from wagtail.models import Page

# A draft its author's autosave made this recently is "the page being created".
AUTOSAVE_WINDOW = timedelta(minutes=10)

_add = page_viewset_registry.as_view(
    "add", app_label_kwarg="content_type_app_name", model_name_kwarg="content_type_model_name"
)


def page_add(request, content_type_app_name, content_type_model_name, parent_page_id):
    kwargs = {
        "content_type_app_name": content_type_app_name,
        "content_type_model_name": content_type_model_name,
        "parent_page_id": parent_page_id,
    }
    if request.method != "POST":
        return _add(request, **kwargs)
    with transaction.atomic():
        list(Page.objects.select_for_update().filter(pk=parent_page_id).values_list("pk"))
        draft = _autosaved_draft(request, parent_page_id)
        if draft is None:
            try:
                # No savepoint needed: the slug check raises before anything is written.
                return _add(request, **kwargs)
            except ValidationError as error:
                if "slug" not in getattr(error, "message_dict", {}):
                    raise
                draft = _autosaved_draft(request, parent_page_id)
                if draft is None:
                    return _slug_taken(request, " ".join(error.message_dict["slug"]))
    return _to_draft(request, draft)


def _autosaved_draft(request, parent_page_id):
    slug = (request.POST.get("slug") or "").strip()
    if not slug or "\x00" in slug:
        return None
    parent = Page.objects.filter(pk=parent_page_id).first()
    if parent is None:
        return None
    return (
        parent.get_children()
        .filter(
            slug=slug,
            first_published_at__isnull=True,
            latest_revision__user=request.user,
            latest_revision__created_at__gte=timezone.now() - AUTOSAVE_WINDOW,
        )
        .first()
    )


def _wants_json(request) -> bool:
    return not request.accepts("text/html")


def _to_draft(request, draft):
    """The page exists already: its author carries on in its edit view."""
    edit_url = reverse("wagtailadmin_pages:edit", args=[draft.pk])
    message = "This page was saved as a draft a moment ago; check it and press the button again."
    if _wants_json(request):
        return JsonResponse(
            {"success": False, "error_code": "page_exists", "error_message": message,
             "edit_url": edit_url},
            status=409,
        )  # fmt: skip
    messages.warning(request, message)
    return redirect(edit_url)


def _slug_taken(request, message):
    if _wants_json(request):
        return JsonResponse(
            {"success": False, "error_code": "slug_taken", "error_message": message}, status=409
        )
    messages.error(request, message + " Choose another slug in the Promote tab.")
    return redirect(request.get_full_path())
