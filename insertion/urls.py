from django.urls import include, path

from insertion import two_factor, views
from insertion.admin import admin_site

accounts_patterns = (
    [
        path("connexion/", views.login_view, name="login"),
        path("deconnexion/", views.logout_view, name="logout"),
        path("mot-de-passe/", views.password_change, name="password_change"),
        path("mot-de-passe/modifie/", views.password_change_done, name="password_change_done"),
        path("mot-de-passe/oublie/", views.password_reset, name="password_reset"),
        path("mot-de-passe/oublie/envoye/", views.password_reset_done, name="password_reset_done"),
        path("mot-de-passe/nouveau/<uidb64>/<token>/", views.password_reset_confirm, name="password_reset_confirm"),
        path("mot-de-passe/nouveau/termine/", views.password_reset_complete, name="password_reset_complete"),
        path("double-authentification/", two_factor.otp_setup, name="otp_setup"),
        path("double-authentification/code/", two_factor.otp_verify, name="otp_verify"),
    ],
    "accounts",
)

core_patterns = (
    [
        path("", views.home, name="home"),
        path("accueil/coordination/", views.home_coordinator, name="home_coordinator"),
        path("accueil/administration/", views.home_administrator, name="home_administrator"),
        path("structure/changer/", views.switch_organisation, name="switch_organisation"),
        path("structure/parametres/", views.organisation_settings, name="organisation_settings"),
        path("structure/membres/", views.member_list, name="members"),
        path("structure/membres/ajouter/", views.member_add_view, name="member_add"),
        path("structure/membres/<int:pk>/", views.member_edit, name="member_edit"),
        path("langue/", views.set_language, name="set_language"),
    ],
    "core",
)

urlpatterns = [
    path("", include(core_patterns)),
    path("compte/", include(accounts_patterns)),
    path("beneficiaires/", include("beneficiaries.urls")),
    path("jardins/", include("gardens.urls")),
    path("partenaires/", include("partners.urls")),
    path("rapports/", include("reporting.urls")),
    path("admin/", admin_site.urls),
]
