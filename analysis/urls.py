from django.urls import path

from analysis.views import agreement, assistant, bulk, codebook, coding, patterns, suggestions, themes
from analysis.views.qdpx import project_qdpx

urlpatterns = [
    path("codebook/", codebook.codebook, name="codebook"),
    path("codebook.csv", codebook.codebook_export, name="codebook_export"),
    path("codebook.qdc", codebook.codebook_qdc, name="codebook_qdc"),
    path("project.qdpx", project_qdpx, name="project_qdpx"),
    path("excerpts.xlsx", coding.excerpts_xlsx, name="excerpts_xlsx"),
    path("compare/", patterns.compare, name="compare"),
    path("workbench/", coding.workbench, name="workbench"),
    path("workbench/code/", coding.code_note, name="code_note"),
    path("workbench/coding/<int:pk>/remove/", coding.uncode, name="uncode"),
    path("workbench/undo/", coding.undo, name="undo_coding"),
    path("workbench/proposals/decide/", assistant.decide_proposal, name="proposal_decide"),
    path("workbench/code-every-result/", bulk.bulk_code, name="bulk_code"),
    path("workbench/code-every-result/<int:pk>/undo/", bulk.bulk_undo, name="bulk_undo"),
    path("excerpts.csv", coding.excerpts_export, name="excerpts_export"),
    path("suggestions/", suggestions.suggestions, name="suggestions"),
    path("agreement/", agreement.agreement_rounds, name="agreement_rounds"),
    path("agreement/<int:pk>/", agreement.agreement_round, name="agreement_round"),
    path("themes/", themes.themes, name="themes"),
    path("themes/<int:pk>/", themes.theme_detail, name="theme_detail"),
    path("patterns/", patterns.patterns, name="patterns"),
    path("patterns.csv", patterns.patterns_export, name="patterns_export"),
]
