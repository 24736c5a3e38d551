from django.contrib import admin

from .models import Activity


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
