from django.urls import path

from participants import views

urlpatterns = [
    path("", views.roster, name="roster"),
    path("import/", views.roster_upload, name="roster_upload"),
    path("import/<int:pk>/", views.roster_import, name="roster_import"),
    path("import/oneroster/", views.oneroster_upload, name="oneroster_upload"),
]
