from django.contrib import admin

from gardens.models import SkillCriterion, TimetableSlot, Variety
from insertion.admin import OrganisationScopedAdmin, ReferenceAdmin, admin_site


@admin.register(TimetableSlot, site=admin_site)
class TimetableSlotAdmin(OrganisationScopedAdmin):
    """The weekly timetable, an organisation setting: workshops and terms take their times from it."""

    list_display = ["weekday", "start_time", "end_time"]
    ordering = ["weekday", "start_time"]


@admin.register(Variety, site=admin_site)
class VarietyAdmin(ReferenceAdmin):
    list_display = ["species", "label", "family", "is_heritage", "is_active"]
    list_editable = ["is_active"]
    list_filter = ["is_heritage", "is_active"]
    search_fields = ["species", "label", "family"]
    prepopulated_fields = {"code": ["species", "label"]}


@admin.register(SkillCriterion, site=admin_site)
class SkillCriterionAdmin(ReferenceAdmin):
    pass
