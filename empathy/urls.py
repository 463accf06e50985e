from django.contrib import admin
from django.urls import include, path
from django.views.generic import RedirectView
from django.views.i18n import JavaScriptCatalog

from analysis.views.qdpx import project_import, project_import_status
from district.language_views import set_language
from district.sign_in_views import two_factor_setup, two_factor_sign_in
from district.views import first_run
from empathy import views, views_audit
from empathy.accounts import SignInView
from interviews.views.consent_public import consent_page
from interviews.views.followup import followup_page, followup_start
from interviews.views.runner import runner_service_worker
from reports.views import student_summary_page

urlpatterns = [
    path("", views.home, name="home"),
    path("healthz", views.healthz, name="healthz"),
    path("whoami", views.whoami, name="whoami"),
    path("language/", set_language, name="set_language"),
    path("jsi18n/", JavaScriptCatalog.as_view(), name="javascript_catalog"),
    path("runner-sw.js", runner_service_worker, name="runner_service_worker"),
    path("f/", followup_start, name="followup_start"),
    path("s/<str:token>/", student_summary_page, name="student_summary_page"),
    path("f/<str:code>/", followup_page, name="followup_page"),
    path("c/<str:code>/", consent_page, name="consent_page"),
    path("welcome/", first_run, name="first_run"),
    path("district/", include("district.urls")),
    path("accounts/login/", SignInView.as_view(), name="login"),
    path("accounts/login/code/", two_factor_sign_in, name="two_factor_sign_in"),
    path("accounts/two-factor/", two_factor_setup, name="two_factor_setup"),
    path("accounts/sso/", include("district.sso_urls")),
    path("accounts/", include("django.contrib.auth.urls")),
    path("roster/", include("participants.urls")),
    path("roster/students/<int:pk>/", include("privacy.urls")),
    path("programs/new/project/", project_import, name="project_import"),
    path("programs/new/project/<str:token>/", project_import_status, name="project_import_status"),
    path("programs/", include("programs.urls")),
    path("programs/<slug:slug>/", include("recruitment.urls")),
    path("programs/<slug:slug>/", include("interviews.urls")),
    path("programs/<slug:slug>/analysis/", include("analysis.urls")),
    path("programs/<slug:slug>/analysis/", include("actions.urls")),
    path("programs/<slug:slug>/reports/", include("reports.urls")),
    path("programs/<slug:slug>/", views.program_dashboard, name="program_dashboard"),
    path("programs/<slug:slug>/audit/", views_audit.audit_log, name="audit_log"),
    path("audit/", views_audit.district_audit_log, name="district_audit_log"),
    # The admin signs in on the app's own page, so throttling, "school account only" and two-factor apply.
    path("admin/login/", RedirectView.as_view(pattern_name="login", query_string=True), name="admin_sign_in"),
    path("admin/", admin.site.urls),
]
