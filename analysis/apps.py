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
            from django.db import connection

            from analysis.models import CodeApplication, ThemeQuote

            # One query, not one per kind; plain SQL, as it runs on every edit of a note's words (a hot path).
            quote = connection.ops.quote_name
            exists = [f"EXISTS(SELECT 1 FROM {quote(model._meta.db_table)} WHERE "
                      f"{quote(model._meta.get_field('note').column)} = %s)" for model in (CodeApplication, ThemeQuote)]
            key = Note._meta.pk.get_db_prep_value(instance.pk, connection)
            with connection.cursor() as cursor:
                cursor.execute(f"SELECT {' OR '.join(exists)}", [key, key])
                coded_or_quoted = cursor.fetchone()[0]
            if coded_or_quoted:
                follow_edit(instance)

        post_save.connect(note_saved, sender=Note, weak=False, dispatch_uid="analysis.reanchor_codings")
