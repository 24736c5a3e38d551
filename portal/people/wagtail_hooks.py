from django.contrib import messages
from django.db.models import ProtectedError
from django.shortcuts import redirect
from django.urls import path, reverse
from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.admin.panels import FieldPanel, ObjectList
from wagtail.admin.views import generic
from wagtail.admin.viewsets.model import ModelViewSet, ModelViewSetGroup

from portal.audit import ACTIONS

from .admin_forms import ProfileAdminForm, TeamAdminForm
from .admin_views import import_people_view
from .models import Department, Profile, Team


class ProtectedDeleteView(generic.DeleteView):
    """Explain, rather than fail, when other rows still need the one being deleted."""

    def form_valid(self, form):
        try:
            return super().form_valid(form)
        except ProtectedError as error:
            users = sorted(str(item) for item in error.protected_objects)
            shown = ", ".join(users[:5]) + (f" and {len(users) - 5} more" if len(users) > 5 else "")
            messages.error(
                self.request, f"{self.object} is still used by {shown}; move or delete those first."
            )
            return redirect(self.get_success_url())


class DepartmentViewSet(ModelViewSet):
    model = Department
    icon = "folder-open-inverse"
    url_prefix = "people/departments"
    form_fields = ["name", "slug"]
    list_display = ["name", "slug"]
    search_fields = ["name"]
    copy_view_enabled = False
    delete_view_class = ProtectedDeleteView


class TeamViewSet(ModelViewSet):
    model = Team
    icon = "group"
    url_prefix = "people/teams"
    list_display = ["name", "department", "manager_list"]
    list_filter = ["department"]
    search_fields = ["name"]
    copy_view_enabled = False
    edit_handler = ObjectList(
        [
            FieldPanel("name"),
            FieldPanel("slug"),
            FieldPanel("department"),
            FieldPanel("manager_emails"),
        ],
        base_form_class=TeamAdminForm,
    )

    def get_queryset(self, request):
        return Team.objects.select_related("department").prefetch_related("managers")


class PersonViewSet(ModelViewSet):
    model = Profile
    menu_label = "People"
    icon = "user"
    url_prefix = "people/profiles"
    list_display = ["name", "email", "department", "team", "manager", "onboarding_state"]
    list_filter = ["department", "team", "leaderboard_visibility", "mentor_opt_in"]
    search_fields = ["display_name", "user__email", "user__first_name", "user__last_name"]
    copy_view_enabled = False
    add_view_enabled = False
    edit_handler = ObjectList(
        [
            FieldPanel("display_name"),
            FieldPanel("department"),
            FieldPanel("team"),
            FieldPanel("manager_email"),
            FieldPanel("location"),
            FieldPanel("job_role"),
            FieldPanel("cohort"),
        ],
        base_form_class=ProfileAdminForm,
    )

    def get_queryset(self, request):
        return Profile.objects.select_related("user", "department", "team__department", "manager")


class PeopleViewSetGroup(ModelViewSetGroup):
    menu_label = "People"
    menu_icon = "group"
    menu_order = 890
    items = (PersonViewSet, TeamViewSet, DepartmentViewSet)


@hooks.register("register_admin_viewset")
def register_people_viewsets():
    return PeopleViewSetGroup()


@hooks.register("register_admin_urls")
def register_import_url():
    return [path("people/import/", import_people_view, name="people_import")]


class ImportPeopleMenuItem(MenuItem):
    def is_shown(self, request):
        return request.user.has_perm("people.import_people")


@hooks.register("register_admin_menu_item")
def register_import_menu_item():
    return ImportPeopleMenuItem(
        "Import people", reverse("people_import"), icon_name="group", order=900
    )


@hooks.register("register_log_actions")
def register_audit_actions(actions):
    for action, (label, message) in ACTIONS.items():
        actions.register_action(action, label, message)
