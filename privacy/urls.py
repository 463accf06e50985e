from django.urls import path

from privacy import views

urlpatterns = [
    path("", views.student_record, name="student_record"),
    path("export.<str:fmt>", views.student_export, name="student_export"),
    path("correct/", views.student_correct, name="student_correct"),
    path("delete/", views.student_delete, name="student_delete"),
]
