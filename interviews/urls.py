from django.urls import path

from interviews.views import followup as views_followup
from interviews.views import note_import as views_note_import
from interviews.views import protocol as views_protocol
from interviews.views import review as views_review
from interviews.views import runner as views_runner
from interviews.views import sessions as views_sessions

urlpatterns = [
    path("protocol/", views_protocol.protocol_page, name="protocol"),
    path("protocol/questions/", views_protocol.question_add, name="question_add"),
    path("protocol/questions/<int:pk>/", views_protocol.question_edit, name="question_edit"),
    path("protocol/questions/<int:pk>/delete/", views_protocol.question_delete, name="question_delete"),
    path("protocol/questions/<int:pk>/move/", views_protocol.question_move, name="question_move"),
    path("protocol/check/", views_protocol.question_check, name="question_check"),
    path("protocol/bank/", views_protocol.bank_search, name="bank_search"),
    path("protocol/bank/add/", views_protocol.bank_add, name="bank_add"),
    path("protocol/ready/", views_protocol.protocol_ready, name="protocol_ready"),
    path("protocol/review/", views_protocol.protocol_review, name="protocol_review"),
    path("protocol/versions/", views_protocol.protocol_versions, name="protocol_versions"),
    path("protocol/guide.pdf", views_protocol.protocol_guide, name="protocol_guide"),
    path("sessions/", views_sessions.session_list, name="session_list"),
    path("sessions/new/", views_sessions.session_new, name="session_new"),
    path("sessions/<int:pk>/", views_sessions.session_detail, name="session_detail"),
    path("sessions/<int:pk>/action/", views_sessions.session_action, name="session_action"),
    path("sessions/<int:pk>/run/", views_runner.runner, name="runner"),
    path("sessions/<int:pk>/follow-up-slips/", views_followup.followup_slips, name="followup_slips"),
    path("sessions/<int:pk>/notes/review/", views_review.notes_review, name="notes_review"),
    path("sessions/<int:pk>/notes/<uuid:note_id>/correct/", views_review.note_correct, name="note_correct"),
    path("sessions/<int:pk>/notes/<uuid:note_id>/resolve/", views_review.note_resolve, name="note_resolve"),
    path("sessions/<int:pk>/notes/", views_runner.runner_notes, name="runner_notes"),
    path("sessions/<int:pk>/import/", views_note_import.note_import, name="note_import"),
    path("sessions/<int:pk>/import/<str:token>/", views_note_import.note_import_preview, name="note_import_preview"),
    path("sessions/<int:pk>/import/<str:token>/cancel/", views_note_import.note_import_cancel, name="note_import_cancel"),
    path("sessions/<int:pk>/assent/", views_runner.runner_assent, name="runner_assent"),
    path("sessions/<int:pk>/session.ics", views_sessions.session_ics, name="session_ics"),
    path("sessions/facilitator/<int:user_id>.ics", views_sessions.facilitator_ics, name="facilitator_ics"),
]
