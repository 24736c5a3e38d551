from django.apps import AppConfig


class PeopleConfig(AppConfig):
    """People: users, profiles, departments, teams, roles and consent."""

    name = "portal.people"
    label = "people"
    verbose_name = "People"

    def ready(self):
        from django.contrib.auth.models import Group
        from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
        from django.db.models.signals import m2m_changed, post_save, pre_save

        from .audit import sign_in_failed, signed_in
        from .models import Team, User
        from .navigation import permissions_changed, person_changed
        from .permissions import team_managers_changed
        from .services import (
            user_active_after,
            user_active_before,
            user_password_after,
            user_signed_out,
        )

        pre_save.connect(user_active_before, sender=User, dispatch_uid="people.active_before")
        post_save.connect(user_active_after, sender=User, dispatch_uid="people.active_after")
        post_save.connect(user_password_after, sender=User, dispatch_uid="people.password_after")
        user_logged_out.connect(user_signed_out, dispatch_uid="people.signed_out")
        user_logged_in.connect(signed_in, dispatch_uid="people.audit_sign_in")
        user_login_failed.connect(sign_in_failed, dispatch_uid="people.audit_sign_in_failed")

        post_save.connect(person_changed, sender=User, dispatch_uid="people.navigation_person")
        for relation in (User.groups, User.user_permissions, Group.permissions):
            m2m_changed.connect(
                permissions_changed,
                sender=relation.through,
                dispatch_uid=f"people.navigation_{relation.through._meta.label}",
            )
        m2m_changed.connect(
            team_managers_changed,
            sender=Team.managers.through,
            dispatch_uid="people.team_managers_changed",
        )
