from django.apps import AppConfig


class CmsConfig(AppConfig):
    """Wagtail home, standard and guidelines pages, and the branding site settings."""

    name = "cms"
    verbose_name = "Content"

    def ready(self):
        from django.db.models.signals import post_delete, post_save
        from wagtail.models import Site

        from portal.cache import forget_when_changed

        from .models import BrandingSettings
        from .sites import brandings, sites

        # A site's hostname, default or root page changed, or its branding did.
        forget_when_changed(sites, Site)
        forget_when_changed(brandings, BrandingSettings)
        # A site's root page (kept with its site) saved or deleted, whatever its type.
        post_save.connect(page_changed, dispatch_uid="cms-kept-page-saved")
        post_delete.connect(page_changed, dispatch_uid="cms-kept-page-deleted")


def page_changed(sender, instance, **kwargs) -> None:
    from wagtail.models import Page

    from .sites import sites

    if isinstance(instance, Page) and sites.holds(instance):
        sites.forget()
