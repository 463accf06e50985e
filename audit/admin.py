from django.contrib import admin

from audit.models import AuditEvent


@admin.register(AuditEvent)
class AuditEventAdmin(admin.ModelAdmin):
    list_display = ("created_at", "actor_username", "action", "object_label", "program_id", "program_slug", "ip_address")
    list_filter = ("action", "program_slug")
    search_fields = ("actor_username", "object_label", "program_slug")
    date_hierarchy = "created_at"

    # The log is append-only: nobody edits or deletes it, not even staff.
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
