from django.apps import AppConfig


class AnalysisConfig(AppConfig):
    name = "analysis"

    def ready(self) -> None:
        # A signal, because the note lives in `interviews`, a floor below that cannot import analysis:
        # when a note's text changes, its coded spans and quotes follow (see analysis/redaction.py).
        from django.db.models.signals import post_save

        from analysis.redaction import follow_edit
        from interviews.models import Note

        def note_saved(sender, instance: Note, created: bool, update_fields=None, **kwargs) -> None:
            if created or (update_fields is not None and "text" not in update_fields):
                return  # a save that did not write the words (a flag, a conflict kept beside) moves no span
            from django.db.models import Exists, OuterRef

            from analysis.models import CodeApplication, ThemeQuote

            coded_or_quoted = Note.objects.filter(pk=instance.pk).filter(
                Exists(CodeApplication.objects.filter(note=OuterRef("pk")))
                | Exists(ThemeQuote.objects.filter(note=OuterRef("pk"))))
            if coded_or_quoted.exists():  # one query, not one per kind
                follow_edit(instance)

        post_save.connect(note_saved, sender=Note, weak=False, dispatch_uid="analysis.reanchor_codings")
