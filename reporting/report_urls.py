from django.urls import path

from reporting import report_views

urlpatterns = [
    path("tableau-de-bord/", report_views.dashboard, name="dashboard"),
    path("rapport/", report_views.report, name="report"),
    path("rapport/pdf/", report_views.report_pdf_view, name="report_pdf"),
    path("rapport/export/<str:fmt>/", report_views.report_export, name="report_export"),
]
