"""Programme admins may edit every page, image and document on the site."""

from django.db import migrations

PAGE_PERMISSIONS = ["add_page", "change_page", "publish_page", "lock_page", "unlock_page"]
COLLECTION_PERMISSIONS = [
    ("wagtailimages", "add_image"),
    ("wagtailimages", "change_image"),
    ("wagtailimages", "choose_image"),
    ("wagtaildocs", "add_document"),
    ("wagtaildocs", "change_document"),
    ("wagtaildocs", "choose_document"),
]


def grant(apps, schema_editor):
    Group = apps.get_model("auth.Group")
    Page = apps.get_model("wagtailcore.Page")
    Collection = apps.get_model("wagtailcore.Collection")
    Permission = apps.get_model("auth.Permission")
    GroupPagePermission = apps.get_model("wagtailcore.GroupPagePermission")
    GroupCollectionPermission = apps.get_model("wagtailcore.GroupCollectionPermission")
    group = Group.objects.get(name="Programme admin")
    root = Page.objects.get(depth=1)
    for codename in PAGE_PERMISSIONS:
        permission = Permission.objects.get(content_type__app_label="wagtailcore", codename=codename)
        GroupPagePermission.objects.get_or_create(group=group, page=root, permission=permission)
    root_collection = Collection.objects.get(depth=1)
    for app_label, codename in COLLECTION_PERMISSIONS:
        permission = Permission.objects.get(content_type__app_label=app_label, codename=codename)
        GroupCollectionPermission.objects.get_or_create(
            group=group, collection=root_collection, permission=permission
        )


def revoke(apps, schema_editor):
    apps.get_model("wagtailcore.GroupPagePermission").objects.filter(
        group__name="Programme admin"
    ).delete()
    apps.get_model("wagtailcore.GroupCollectionPermission").objects.filter(
        group__name="Programme admin"
    ).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("cms", "0002_create_home_page"),
        ("people", "0002_roles"),
    ]

    operations = [migrations.RunPython(grant, revoke)]
