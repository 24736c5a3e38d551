"""Helpers for data migrations that grant permissions to the role groups."""

from django.contrib.auth.management import create_permissions


def grant_permissions(apps, group_name: str, permissions: list[tuple[str, str]]) -> None:
    """Give ``group_name`` each ``(app_label, codename)``, creating permissions first.

    Django creates model permissions after all migrations have run; a migration that
    grants them must make them itself.
    """
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None
    Group = apps.get_model("auth.Group")
    Permission = apps.get_model("auth.Permission")
    group, _ = Group.objects.get_or_create(name=group_name)
    for app_label, codename in permissions:
        group.permissions.add(
            Permission.objects.get(content_type__app_label=app_label, codename=codename)
        )


def translatable(model: str) -> list:
    """The operations that make ``model`` ("app_label.ModelName") translatable with
    Wagtail's ``TranslatableMixin`` after the fact: a locale and a translation key on
    every row, existing rows becoming originals in the programme's language, then both
    fields required and unique together."""
    import uuid

    from django.db import migrations, models
    from wagtail.models import BootstrapTranslatableModel

    name = model.split(".")[1].lower()

    def locale(**null):
        return models.ForeignKey(
            editable=False,
            on_delete=models.PROTECT,
            related_name="+",
            to="wagtailcore.locale",
            verbose_name="locale",
            **null,
        )

    return [
        migrations.AddField(model_name=name, name="locale", field=locale(null=True)),
        migrations.AddField(
            model_name=name,
            name="translation_key",
            field=models.UUIDField(editable=False, null=True),
        ),
        BootstrapTranslatableModel(model),
        migrations.AlterField(model_name=name, name="locale", field=locale()),
        migrations.AlterField(
            model_name=name,
            name="translation_key",
            field=models.UUIDField(default=uuid.uuid4, editable=False),
        ),
        migrations.AlterUniqueTogether(name=name, unique_together={("translation_key", "locale")}),
    ]
