from django.apps import AppConfig


class ReportsConfig(AppConfig):
    name = "reports"

    def ready(self) -> None:
        # Reports are made from copies of students' words (quotes, coded passages): when an edit or a
        # redaction changes those copies, the finished reports of that program are rendered again.
        from analysis.redaction import words_changed
        from reports.render import rerender_reports

        def copies_changed(sender, program_id: int, **kwargs) -> None:
            rerender_reports([program_id])

        words_changed.connect(copies_changed, weak=False, dispatch_uid="reports.rerender_after_edit")
