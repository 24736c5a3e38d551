import pytest
from django.contrib.auth import authenticate
from django.contrib.auth.models import Group
from django.db import IntegrityError
from django.http import HttpRequest

from portal.people.models import Profile, User, Visibility
from portal.people.services import Role
from tests.people.factories import UserFactory


@pytest.mark.django_db
class TestUser:
    def test_email_is_the_login_and_is_normalised(self):
        user = User.objects.create_user(email="  Ada.Lovelace@Example.COM ", password="pw-12345-x")
        assert user.email == "ada.lovelace@example.com"
        assert (
            authenticate(HttpRequest(), username="ADA.lovelace@example.com", password="pw-12345-x")
            == user
        )

    def test_emails_are_unique_whatever_their_case(self):
        UserFactory(email="same@example.com")
        with pytest.raises(IntegrityError):
            User.objects.bulk_create([User(email="SAME@example.com")])

    def test_superuser(self):
        admin = User.objects.create_superuser(email="root@example.com", password="x-pass-123")
        assert admin.is_staff
        assert admin.is_superuser

    def test_roles_exist_from_the_data_migration(self):
        assert set(Group.objects.values_list("name", flat=True)) >= set(Role.ALL)
        admins = Group.objects.get(name=Role.PROGRAMME_ADMIN)
        codenames = set(admins.permissions.values_list("codename", flat=True))
        assert {"access_admin", "import_people"} <= codenames
        # Images and documents are permitted per collection in Wagtail.
        collection_codenames = set(
            admins.collection_permissions.values_list("permission__codename", flat=True)
        )
        assert {"add_image", "choose_image", "add_document"} <= collection_codenames


@pytest.mark.django_db
class TestProfileNames:
    def test_public_name_uses_the_alias_only_when_chosen(self):
        user = UserFactory(first_name="Ada", last_name="Lovelace")
        profile = Profile.objects.get(user=user)
        assert profile.public_name == "Ada Lovelace"
        assert profile.initials == "AL"
        profile.alias = "Countess"
        assert profile.public_name == "Ada Lovelace"
        profile.leaderboard_visibility = Visibility.ALIAS
        assert profile.public_name == "Countess"
        assert profile.initials == "C"

    def test_aliases_are_unique_ignoring_case(self):
        first = UserFactory().profile
        first.alias = "Spark"
        first.save()
        second = UserFactory().profile
        second.alias = "SPARK"
        with pytest.raises(IntegrityError):
            second.save()

    def test_many_people_may_have_no_alias(self):
        UserFactory()
        UserFactory()
        assert Profile.objects.filter(alias="").count() == 2
