"""Training in the Wagtail admin: the feedback report and workshop facilitators."""

from django.urls import path, reverse
from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.admin.widgets import Button

from portal.people.models import User

from .admin_views import facilitators_view, feedback_report_view
from .models import WorkshopPage
from .services import workshop_contributions_credit


@hooks.register("register_admin_urls")
def register_training_urls():
    return [
        path("courses/feedback/", feedback_report_view, name="courses_feedback"),
        path(
            "courses/workshops/<id:page_id>/facilitators/",
            facilitators_view,
            name="courses_facilitators",
        ),
    ]


class FeedbackMenuItem(MenuItem):
    def is_shown(self, request):
        return request.user.has_perm("courses.view_coursefeedback")


@hooks.register("register_reports_menu_item")
def register_feedback_report():
    return FeedbackMenuItem(
        "Course feedback", reverse("courses_feedback"), icon_name="comment", order=700
    )


def _facilitators_button(page, user: User, priority):
    if (
        isinstance(page.specific_deferred, WorkshopPage)
        and page.permissions_for_user(user).can_edit()
    ):
        yield Button(
            "Facilitators",
            reverse("courses_facilitators", args=[page.pk]),
            icon_name="group",
            priority=priority,
        )


@hooks.register("register_page_listing_more_buttons")
def workshop_listing_buttons(page, user: User, next_url=None):
    yield from _facilitators_button(page, user, 70)


@hooks.register("register_page_header_buttons")
def workshop_header_buttons(page, user: User, view_name, next_url=None):
    yield from _facilitators_button(page, user, 70)


@hooks.register("after_publish_page")
def credit_workshop_when_closed(request, page):
    """A workshop published closed for answers credits everyone still waiting, together."""
    specific = page.specific
    if isinstance(specific, WorkshopPage) and not specific.accepting_answers:
        workshop_contributions_credit(workshop=specific)
