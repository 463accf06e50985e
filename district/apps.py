from django.apps import AppConfig


class DistrictConfig(AppConfig):
    name = "district"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from district import language  # noqa: F401  (connects the sign-in receiver)
