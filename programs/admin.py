from django.contrib import admin

from programs.models import Membership, Program


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 0
    autocomplete_fields = ("user",)


@admin.register(Program)
class ProgramAdmin(admin.ModelAdmin):
    list_display = ("name", "slug", "status", "starts_on", "ends_on")
    list_filter = ("status",)
    search_fields = ("name", "slug", "theme")
    prepopulated_fields = {"slug": ("name",)}
    filter_horizontal = ("schools",)
    inlines = [MembershipInline]
