"""The network's figures shown on the partner pages and reused by the reports."""

from django.db.models import Count

from partners.models import Partnership


def partnerships_formed_by_theme(organisation, start, end):
    """[(theme label, count)] of the partnerships formed (started) from `start` to `end`, both days included.

    One aggregate query, ordered by the theme's position in the organisation's list; only the themes with at least
    one partnership in the period appear (the total is the sum of the counts).
    """
    rows = (
        Partnership.objects.filter(organisation=organisation, start_date__gte=start, start_date__lte=end)
        .values("theme_id", "theme__label", "theme__position")
        .annotate(count=Count("pk"))
        .order_by("theme__position", "theme__label", "theme_id")
    )
    return [(row["theme__label"], row["count"]) for row in rows]
