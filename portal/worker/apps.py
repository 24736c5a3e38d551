from django.apps import AppConfig


class WorkerConfig(AppConfig):
    """Background work: Django's task framework (the database backend by default), and
    the housekeeping that makes every projection of the ledger converge by itself."""

    name = "portal.worker"
    label = "worker"
    verbose_name = "Background work"
    default_auto_field = "django.db.models.BigAutoField"
