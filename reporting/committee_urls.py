"""The committees with their frozen reports, the synthesis sheet and the network view (included by reporting/urls.py
under the "reporting" namespace)."""

from django.urls import path

from reporting import committees, network, synthesis

urlpatterns = [
    # Committees and the reports frozen onto them (committees.py)
    path("comites/", committees.committee_list, name="committee_list"),
    path("comites/nouveau/", committees.committee_add, name="committee_add"),
    path("comites/rattacher/", committees.committee_attach, name="committee_attach"),
    path("comites/<int:pk>/", committees.committee_detail, name="committee_detail"),
    path("comites/<int:pk>/modifier/", committees.committee_edit, name="committee_edit"),
    path("comites/<int:pk>/supprimer/", committees.committee_delete, name="committee_delete"),
    path("comites/rapports/<int:pk>/rapport.pdf", committees.frozen_report_pdf, name="frozen_report_pdf"),
    path("comites/rapports/<int:pk>/rapport.json", committees.frozen_report_json, name="frozen_report_json"),
    path("comites/rapports/<int:pk>/retirer/", committees.frozen_report_delete, name="frozen_report_delete"),
    # The synthesis sheet (synthesis.py)
    path("synthese/", synthesis.synthesis, name="synthesis"),
    path("synthese/fiche.pdf", synthesis.synthesis_pdf, name="synthesis_pdf"),
    # The network view (network.py)
    path("reseau/", network.network_report, name="network_report"),
    path("reseau/rapport.pdf", network.network_report_pdf, name="network_report_pdf"),
    path("reseau/rapport.json", network.network_report_json, name="network_report_json"),
]
