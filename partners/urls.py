from django.urls import path

from partners import distributions, funding, referrals, views

app_name = "partners"

urlpatterns = [
    # The directory and the partnerships (views.py)
    path("", views.partner_list, name="list"),
    path("nouveau/", views.partner_create, name="create"),
    path("<int:pk>/", views.partner_detail, name="detail"),
    path("<int:pk>/modifier/", views.partner_edit, name="edit"),
    path("<int:pk>/archiver/", views.partner_archive, name="archive"),
    path("<int:pk>/supprimer/", views.partner_delete, name="delete"),
    path("partenariats/", views.partnership_list, name="partnership_list"),
    path("partenariats/nouveau/", views.partnership_add, name="partnership_add"),
    path("partenariats/<int:pk>/", views.partnership_edit, name="partnership_edit"),
    path("partenariats/<int:pk>/supprimer/", views.partnership_delete, name="partnership_delete"),
    # Redistribution of the harvest (distributions.py)
    path("distributions/", distributions.distribution_list, name="distribution_list"),
    path("distributions/nouvelle/", distributions.distribution_add, name="distribution_add"),
    path("distributions/totaux/", distributions.distribution_totals, name="distribution_totals"),
    path("distributions/<int:pk>/", distributions.distribution_detail, name="distribution_detail"),
    path("distributions/<int:pk>/modifier/", distributions.distribution_edit, name="distribution_edit"),
    path("distributions/<int:pk>/supprimer/", distributions.distribution_delete, name="distribution_delete"),
    path("distributions/<int:pk>/bon-de-livraison.pdf", distributions.distribution_slip, name="distribution_slip"),
    path("stock/", distributions.stock, name="stock"),
    # Referrals of a beneficiary (referrals.py)
    path("orientations/nouvelle/<int:pk>/", referrals.referral_add, name="referral_add"),
    path("orientations/<int:pk>/", referrals.referral_edit, name="referral_edit"),
    path("orientations/<int:pk>/supprimer/", referrals.referral_delete, name="referral_delete"),
    # Funding and budgets (funding.py)
    path("financements/", funding.funding_current, name="funding"),
    path("financements/<int:year>/", funding.funding_year, name="funding_year"),
    path("budgets/", funding.budget_list, name="budget_list"),
    path("budgets/nouveau/", funding.budget_add, name="budget_add"),
    path("budgets/<int:pk>/", funding.budget_detail, name="budget_detail"),
    path("budgets/<int:pk>/modifier/", funding.budget_edit, name="budget_edit"),
    path("budgets/<int:pk>/supprimer/", funding.budget_delete, name="budget_delete"),
]
