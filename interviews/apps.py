from django.apps import AppConfig


class InterviewsConfig(AppConfig):
    name = "interviews"

    def ready(self) -> None:
        from django.db.models.signals import post_migrate

        post_migrate.connect(_search_index_in_step, sender=self)


def _search_index_in_step(sender, using, **kwargs) -> None:
    from django.db import connections

    from interviews.note_search import ensure_search_index

    ensure_search_index(connection=connections[using])
