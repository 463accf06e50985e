from django.apps import AppConfig


class DistrictConfig(AppConfig):
    name = "district"
    default_auto_field = "django.db.models.BigAutoField"
