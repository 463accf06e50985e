from django.apps import AppConfig


class ProgramsConfig(AppConfig):
    name = "programs"

    def ready(self) -> None:
        from programs import slugs

        slugs.connect()  # retire a program's short name when it is renamed or deleted
