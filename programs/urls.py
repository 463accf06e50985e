from django.urls import path

from programs import views

urlpatterns = [
    path("new/", views.program_create, name="program_create"),
    path("<slug:slug>/edit/", views.program_edit, name="program_edit"),
    path("<slug:slug>/team/", views.program_team, name="program_team"),
]
