from django.apps import AppConfig


class DistrictConfig(AppConfig):
    name = "district"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        # The sign-in receivers: the session's language, the sign-in method and its audit entries.
        from district import language, sign_in_events, two_factor  # noqa: F401
