from django import forms
from django.contrib import admin

from programs.forms import clean_program_slug
from programs.models import Membership, Program, RetiredSlug


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 0
    autocomplete_fields = ("user",)


class ProgramAdminForm(forms.ModelForm):
    """The admin's own fields (modelform_factory adds the Meta), with the lead's form's refusals of a short name."""

    def clean_slug(self) -> str:
        current = Program.objects.filter(pk=self.instance.pk).values_list("slug", flat=True).first() or ""
        return clean_program_slug(self.cleaned_data.get("slug", ""), name=self.cleaned_data.get("name", ""),
                                  program_id=self.instance.pk, current=current)


@admin.register(Program)
class ProgramAdmin(admin.ModelAdmin):
    form = ProgramAdminForm
    list_display = ("name", "slug", "status", "starts_on", "ends_on")
    list_filter = ("status",)
    search_fields = ("name", "slug", "theme")
    prepopulated_fields = {"slug": ("name",)}
    filter_horizontal = ("schools",)
    inlines = [MembershipInline]


@admin.register(RetiredSlug)
class RetiredSlugAdmin(admin.ModelAdmin):
    """Read-only: a retired short name stays retired."""

    list_display = ("slug", "program_id", "retired_at")
    search_fields = ("slug",)

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
