from django.urls import path

from beneficiaries import import_views, livret, rights, views

app_name = "beneficiaries"

urlpatterns = [
    path("", views.beneficiary_list, name="list"),
    path("export.<str:fmt>", views.beneficiary_export, name="export"),
    path("suivi/", views.dashboard, name="dashboard"),
    path("nouveau/", views.beneficiary_create, name="create"),
    path("<int:pk>/", views.beneficiary_detail, name="detail"),
    path("<int:pk>/modifier/", views.beneficiary_edit, name="edit"),
    path("<int:pk>/inscriptions/ajouter/", views.enrolment_add, name="enrolment_add"),
    path("inscriptions/<int:pk>/", views.enrolment_edit, name="enrolment_edit"),
    path("<int:pk>/bilans/ajouter/", views.assessment_add, name="assessment_add"),
    path("bilans/<int:pk>/", views.assessment_edit, name="assessment_edit"),
    path("<int:pk>/entretiens/ajouter/", views.interview_add, name="interview_add"),
    path("entretiens/<int:pk>/", views.interview_edit, name="interview_edit"),
    path("<int:pk>/objectifs/ajouter/", views.objective_add, name="objective_add"),
    path("objectifs/<int:pk>/", views.objective_edit, name="objective_edit"),
    path("objectifs/<int:pk>/actions/ajouter/", views.action_add, name="action_add"),
    path("actions/<int:pk>/", views.action_edit, name="action_edit"),
    path("<int:pk>/livret.pdf", livret.livret_pdf, name="livret"),
    path("<int:pk>/historique/", rights.beneficiary_history, name="history"),
    path("<int:pk>/donnees.json", rights.subject_export, name="subject_export"),
    path("<int:pk>/donnees.pdf", rights.subject_export_pdf, name="subject_export_pdf"),
    path("<int:pk>/effacer/", rights.beneficiary_erase, name="erase"),
    path("importer/", import_views.import_upload, name="import"),
    path("importer/confirmer/", import_views.import_confirm, name="import_confirm"),
    path("importer/exemple.<str:fmt>", import_views.import_sample, name="import_sample"),
]
