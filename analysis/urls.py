from django.urls import path

from analysis import views

urlpatterns = [
    path("codebook/", views.codebook, name="codebook"),
    path("codebook.csv", views.codebook_export, name="codebook_export"),
    path("codebook.qdc", views.codebook_qdc, name="codebook_qdc"),
    path("excerpts.xlsx", views.excerpts_xlsx, name="excerpts_xlsx"),
    path("compare/", views.compare, name="compare"),
    path("workbench/", views.workbench, name="workbench"),
    path("workbench/code/", views.code_note, name="code_note"),
    path("workbench/coding/<int:pk>/remove/", views.uncode, name="uncode"),
    path("workbench/undo/", views.undo, name="undo_coding"),
    path("excerpts.csv", views.excerpts_export, name="excerpts_export"),
    path("suggestions/", views.suggestions, name="suggestions"),
    path("agreement/", views.agreement_rounds, name="agreement_rounds"),
    path("agreement/<int:pk>/", views.agreement_round, name="agreement_round"),
    path("themes/", views.themes, name="themes"),
    path("themes/<int:pk>/", views.theme_detail, name="theme_detail"),
    path("patterns/", views.patterns, name="patterns"),
    path("patterns.csv", views.patterns_export, name="patterns_export"),
]
