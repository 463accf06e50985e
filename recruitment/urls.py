from django.urls import path

from recruitment import views, views_consent, views_letters

urlpatterns = [
    path("facilitators/", views.program_facilitators, name="program_facilitators"),
    path("students/", views.program_students, name="program_students"),
    path("students/invitations/<int:pk>/", views.invitation_change, name="invitation_change"),
    path("students/consent-import/", views.consent_import, name="consent_import"),
    path("students/community/", views.community_shares, name="community_shares"),
    path("students/missing/", views.missing_group_change, name="missing_group_change"),
    path("consent/letter/", views_letters.consent_letter, name="consent_letter"),
    path("consent/letters/", views_letters.consent_letters_pdf, name="consent_letters_pdf"),
    path("consent/email/", views_letters.consent_email, name="consent_email"),
    path("consent/paper/", views_letters.consent_paper, name="consent_paper"),
    path("consent/", views_consent.consent_page, name="consent"),
    path("consent/remind/", views_consent.consent_remind, name="consent_remind"),
    path("consent/replace/", views_consent.consent_replace, name="consent_replace"),
]
