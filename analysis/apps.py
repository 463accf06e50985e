from django.apps import AppConfig


class AnalysisConfig(AppConfig):
    name = "analysis"

    def ready(self) -> None:
        # A signal, because the note lives in `interviews`, a floor below that cannot import analysis:
        # when a note's text changes, its coded spans and quotes follow (see analysis/redaction.py).
        from django.db.models.signals import post_save

        from analysis.redaction import follow_edit
        from interviews.models import Note

        def note_saved(sender, instance: Note, created: bool, **kwargs) -> None:
            if not created and (instance.codings.exists() or instance.theme_quotes.exists()):
                follow_edit(instance)

        post_save.connect(note_saved, sender=Note, weak=False, dispatch_uid="analysis.reanchor_codings")
