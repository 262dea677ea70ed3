from django.urls import path

from gardens import attendance_sheet, skills, views

app_name = "gardens"

urlpatterns = [
    path("", views.home, name="home"),
    path("stagiaires/", views.trainee_list, name="trainees"),
    path("sites/", views.site_list, name="site_list"),
    path("sites/nouveau/", views.site_create, name="site_create"),
    path("sites/<int:pk>/", views.site_detail, name="site_detail"),
    path("sites/<int:pk>/modifier/", views.site_edit, name="site_edit"),
    path("sites/<int:pk>/archiver/", views.site_archive, name="site_archive"),
    path("sites/<int:pk>/supprimer/", views.site_delete, name="site_delete"),
    path("varietes/", views.variety_list, name="variety_list"),
    path("varietes/nouvelle/", views.variety_create, name="variety_create"),
    path("varietes/<int:pk>/", views.variety_edit, name="variety_edit"),
    path("ateliers/", views.workshop_list, name="workshop_list"),
    path("ateliers/nouveau/", views.workshop_create, name="workshop_create"),
    path("ateliers/periode/", views.workshop_term, name="workshop_term"),
    path("ateliers/<int:pk>/", views.workshop_edit, name="workshop_edit"),
    path("ateliers/<int:pk>/presences/", views.register, name="register"),
    path("recoltes/", views.harvest_list, name="harvest_list"),
    path("recoltes/saisir/", views.harvest_create, name="harvest_create"),
    path("recoltes/<int:pk>/", views.harvest_edit, name="harvest_edit"),
    path("stagiaires/<int:beneficiary_pk>/", skills.trainee_skills, name="trainee"),
    path(
        "stagiaires/<int:beneficiary_pk>/competences/ajouter/",
        skills.skill_evaluation_add,
        name="skill_evaluation_add",
    ),
    path("competences/<int:pk>/", skills.skill_evaluation_edit, name="skill_evaluation_edit"),
    path("presences/", attendance_sheet.attendance_sheet_choose, name="attendance_sheet_choose"),
    path(
        "sites/<int:site_pk>/presences/<int:year>-<int:month>.pdf",
        attendance_sheet.attendance_sheet,
        name="attendance_sheet",
    ),
]
