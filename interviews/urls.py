from django.urls import path

from interviews import views, views_protocol, views_sessions, views_students

urlpatterns = [
    path("new/", views.program_create, name="program_create"),
    path("<slug:slug>/edit/", views.program_edit, name="program_edit"),
    path("<slug:slug>/team/", views.program_team, name="program_team"),
    path("<slug:slug>/facilitators/", views_students.program_facilitators, name="program_facilitators"),
    path("<slug:slug>/protocol/", views_protocol.protocol_page, name="protocol"),
    path("<slug:slug>/protocol/questions/", views_protocol.question_add, name="question_add"),
    path("<slug:slug>/protocol/questions/<int:pk>/", views_protocol.question_edit, name="question_edit"),
    path("<slug:slug>/protocol/questions/<int:pk>/delete/", views_protocol.question_delete, name="question_delete"),
    path("<slug:slug>/protocol/questions/<int:pk>/move/", views_protocol.question_move, name="question_move"),
    path("<slug:slug>/protocol/check/", views_protocol.question_check, name="question_check"),
    path("<slug:slug>/protocol/bank/", views_protocol.bank_search, name="bank_search"),
    path("<slug:slug>/protocol/bank/add/", views_protocol.bank_add, name="bank_add"),
    path("<slug:slug>/protocol/ready/", views_protocol.protocol_ready, name="protocol_ready"),
    path("<slug:slug>/protocol/review/", views_protocol.protocol_review, name="protocol_review"),
    path("<slug:slug>/protocol/versions/", views_protocol.protocol_versions, name="protocol_versions"),
    path("<slug:slug>/protocol/guide.pdf", views_protocol.protocol_guide, name="protocol_guide"),
    path("<slug:slug>/sessions/", views_sessions.session_list, name="session_list"),
    path("<slug:slug>/sessions/new/", views_sessions.session_new, name="session_new"),
    path("<slug:slug>/sessions/<int:pk>/", views_sessions.session_detail, name="session_detail"),
    path("<slug:slug>/sessions/<int:pk>/action/", views_sessions.session_action, name="session_action"),
    path("<slug:slug>/sessions/<int:pk>/session.ics", views_sessions.session_ics, name="session_ics"),
    path("<slug:slug>/sessions/facilitator/<int:user_id>.ics", views_sessions.facilitator_ics, name="facilitator_ics"),
    path("<slug:slug>/students/", views_students.program_students, name="program_students"),
    path("<slug:slug>/students/invitations/<int:pk>/", views_students.invitation_change, name="invitation_change"),
    path("<slug:slug>/students/consent-import/", views_students.consent_import, name="consent_import"),
    path("<slug:slug>/students/community/", views_students.community_shares, name="community_shares"),
    path("<slug:slug>/students/missing/", views_students.missing_group_change, name="missing_group_change"),
]
