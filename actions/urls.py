from django.urls import path

from actions import views

urlpatterns = [
    path("ideas/", views.ideas, name="ideas"),
    path("actions/", views.actions, name="actions"),
    path("actions/<int:pk>/", views.action_detail, name="action_detail"),
    path("actions.csv", views.actions_csv, name="actions_csv"),
]
