"""The project's URLs and, beside them, the test-only OpenID Connect provider at /o/ (tests/oidc_provider.py)."""

from django.urls import include, path

from empathy.urls import urlpatterns as project_urlpatterns

urlpatterns = [
    path("o/", include("oauth2_provider.urls", namespace="oauth2_provider")),
    *project_urlpatterns,
]
