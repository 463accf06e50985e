from django.urls import path

from interviews import views, views_students

urlpatterns = [
    path("new/", views.program_create, name="program_create"),
    path("<slug:slug>/edit/", views.program_edit, name="program_edit"),
    path("<slug:slug>/team/", views.program_team, name="program_team"),
    path("<slug:slug>/facilitators/", views_students.program_facilitators, name="program_facilitators"),
    path("<slug:slug>/students/", views_students.program_students, name="program_students"),
    path("<slug:slug>/students/invitations/<int:pk>/", views_students.invitation_change, name="invitation_change"),
    path("<slug:slug>/students/consent-import/", views_students.consent_import, name="consent_import"),
    path("<slug:slug>/students/community/", views_students.community_shares, name="community_shares"),
    path("<slug:slug>/students/missing/", views_students.missing_group_change, name="missing_group_change"),
]
