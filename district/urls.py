from django.urls import path

from district import repository_views, sign_in_views, views

urlpatterns = [
    path("", views.district_home, name="district_home"),
    path("schools/", views.schools, name="district_schools"),
    path("schools/<int:pk>/", views.school_edit, name="district_school_edit"),
    path("staff/", views.staff, name="district_staff"),
    path("staff/<int:pk>/", views.staff_edit, name="district_staff_edit"),
    path("accounts/", views.accounts, name="district_accounts"),
    path("accounts/<int:pk>/active/", views.account_active, name="district_account_active"),
    path("accounts/<int:pk>/invitation/", views.account_invite_again, name="district_account_invite_again"),
    path("accounts/<int:pk>/two-factor/", sign_in_views.account_two_factor_reset, name="district_account_two_factor_reset"),
    path("repository/", repository_views.repository, name="district_repository"),
    path("sign-in/", sign_in_views.sign_in_settings, name="district_sign_in"),
    path("sign-in/providers/<int:pk>/", sign_in_views.sign_in_provider, name="district_sign_in_provider"),
]
