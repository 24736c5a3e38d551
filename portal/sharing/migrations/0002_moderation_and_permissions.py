"""Hub content goes through moderation by the programme team; admins manage it."""

from django.db import migrations

from portal.migration_support import grant_permissions

PERMISSIONS = [
    ("sharing", codename)
    for codename in (
        "add_contentitem",
        "change_contentitem",
        "delete_contentitem",
        "view_contentitem",
        "view_share",
    )
]


def create(apps, schema_editor):
    ContentType = apps.get_model("contenttypes", "ContentType")
    Group = apps.get_model("auth", "Group")
    Workflow = apps.get_model("wagtailcore", "Workflow")
    WorkflowTask = apps.get_model("wagtailcore", "WorkflowTask")
    WorkflowContentType = apps.get_model("wagtailcore", "WorkflowContentType")
    GroupApprovalTask = apps.get_model("wagtailcore", "GroupApprovalTask")

    Permission = apps.get_model("auth", "Permission")

    grant_permissions(apps, "Programme admin", PERMISSIONS)
    team = Group.objects.get(name="Programme admin")
    item_type, _ = ContentType.objects.get_or_create(app_label="sharing", model="contentitem")
    # Wagtail adds these snippet permissions after migrating; the grant needs them now.
    for action in ("publish", "lock", "unlock"):
        permission, _ = Permission.objects.get_or_create(
            content_type=item_type,
            codename=f"{action}_contentitem",
            defaults={"name": f"Can {action} content item"},
        )
        team.permissions.add(permission)
    task_type, _ = ContentType.objects.get_or_create(
        app_label="wagtailcore", model="groupapprovaltask"
    )
    task = GroupApprovalTask.objects.create(
        name="Programme team approval", content_type=task_type, active=True
    )
    task.groups.set([team])
    workflow = Workflow.objects.create(name="Content hub moderation", active=True)
    WorkflowTask.objects.create(workflow=workflow, task=task, sort_order=0)
    WorkflowContentType.objects.update_or_create(
        content_type=item_type, defaults={"workflow": workflow}
    )


class Migration(migrations.Migration):
    dependencies = [
        ("sharing", "0001_initial"),
        ("people", "0002_roles"),
        ("wagtailcore", "0098_apitoken"),
    ]

    operations = [migrations.RunPython(create, migrations.RunPython.noop)]
