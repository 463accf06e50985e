from django.apps import AppConfig


class AnalysisConfig(AppConfig):
    name = "analysis"

    def ready(self) -> None:
        # A signal, because the note lives in `interviews`, a layer above that cannot import analysis:
        # when a note's text changes, its coded spans are moved or flagged for review.
        from django.db.models.signals import post_save

        from analysis.coding import reanchor
        from interviews.models import Note

        def note_saved(sender, instance: Note, created: bool, **kwargs) -> None:
            if not created and instance.codings.exists():
                reanchor(instance)

        post_save.connect(note_saved, sender=Note, weak=False, dispatch_uid="analysis.reanchor_codings")
