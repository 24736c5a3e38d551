from django.contrib import admin

from .models import Activity, Delivery


@admin.register(Activity)
class ActivityAdmin(admin.ModelAdmin):
    """Read-only: the ledger is append-only, corrections are new rows."""

    list_display = ["timestamp", "actor", "verb", "object_label", "points"]
    list_filter = ["verb"]
    search_fields = ["actor__email", "object_label", "key"]
    date_hierarchy = "timestamp"

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Delivery)
class DeliveryAdmin(admin.ModelAdmin):
    """Statements a subscriber has yet to apply: normally none for more than a moment; a
    row with attempts and an error is a subscriber failing (the worker retries it)."""

    list_display = ["activity", "subscriber", "due", "attempts", "error"]
    list_filter = ["subscriber"]
    ordering = ["due"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
