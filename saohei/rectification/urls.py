from django.urls import path

from . import ledger_views, views

urlpatterns = [
    path("", views.inspection_list, name="inspection_list"),
    path("new/", views.inspection_create, name="inspection_create"),
    path("<int:pk>/", views.inspection_detail, name="inspection_detail"),
    path("<int:pk>/problems/", views.problem_add, name="problem_add"),
    path("problems/<int:pk>/tasks/new/", views.task_create, name="task_create"),
    path("tasks/", views.task_list, name="task_list"),
    path("tasks/import/", ledger_views.task_import, name="task_import"),
    path("tasks/<int:pk>/", views.task_detail, name="task_detail"),
    path("tasks/<int:pk>/edit/", views.task_edit, name="task_edit"),
    path("tasks/<int:pk>/progress/", views.task_progress, name="task_progress"),
    path("tasks/<int:pk>/step/<str:step>/", views.task_step, name="task_step"),
    path("tasks/<int:pk>/sign-off.docx", ledger_views.sign_off_form, name="task_sign_off_form"),
    path("evidence/<int:pk>/", views.evidence_file, name="evidence_file"),
    path("completion/", views.completion_page, name="rectification_completion"),
    path("categories/", views.categories, name="rectification_categories"),
    path("export/lists.docx", ledger_views.lists_export_docx, name="rectification_docx"),
    path("export/lists.xlsx", ledger_views.lists_export_xlsx, name="rectification_xlsx"),
]
