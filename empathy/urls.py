from django.contrib import admin
from django.urls import include, path

from empathy import views

urlpatterns = [
    path("", views.home, name="home"),
    path("healthz", views.healthz, name="healthz"),
    path("accounts/", include("django.contrib.auth.urls")),
    path("roster/", include("participants.urls")),
    path("programs/", include("interviews.urls")),
    path("programs/<slug:slug>/", views.program_dashboard, name="program_dashboard"),
    path("admin/", admin.site.urls),
]
