from django.contrib import admin

from participants.models import School, StaffMember, Student, StudentGroup, TeachingAssignment


@admin.register(School)
class SchoolAdmin(admin.ModelAdmin):
    list_display = ("name", "code")
    search_fields = ("name", "code")


@admin.register(StudentGroup)
class StudentGroupAdmin(admin.ModelAdmin):
    list_display = ("name", "kind", "school")
    list_filter = ("kind", "school")


@admin.register(Student)
class StudentAdmin(admin.ModelAdmin):
    list_display = ("pseudonym", "school", "grade", "english_learner", "special_education")
    list_filter = ("school", "grade", "english_learner", "special_education")
    search_fields = ("pseudonym",)
    list_select_related = ("school",)
    readonly_fields = ("pseudonym",)


@admin.register(StaffMember)
class StaffMemberAdmin(admin.ModelAdmin):
    list_display = ("full_name", "email", "is_outside_facilitator", "training_completed")
    list_filter = ("is_outside_facilitator", "training_completed")
    search_fields = ("full_name", "email")


@admin.register(TeachingAssignment)
class TeachingAssignmentAdmin(admin.ModelAdmin):
    list_display = ("staff", "student", "course", "starts_on", "ends_on")
    list_select_related = ("staff", "student")
    raw_id_fields = ("student",)
