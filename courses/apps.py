from django.apps import AppConfig


class CoursesConfig(AppConfig):
    """Training courses, lessons, scenarios and purpose workshops (built in a later issue)."""

    name = "courses"
