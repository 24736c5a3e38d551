from django.apps import AppConfig


class PrivacyConfig(AppConfig):
    """People's data rights (notice, what others see, export, erasure) and retention.

    Composition layer: it knows every app that keeps something about a person.
    """

    name = "portal.privacy"
    label = "privacy"
    verbose_name = "Privacy"
