"""Query pieces the indicator definitions share, so that each indicator stays one query.

- `count_of`: a count as a scalar subquery, to sit inside another query;
- `with_figures`: lines (of one or several querysets) and, beside them, a few scalar figures (the people reached,
  the people counted on at least one row…), in one query: a UNION ALL whose first line carries the figures;
- `listed`: a reference list (neighbourhoods, workshop kinds, themes…) in its order with a count per entry, zeros
  included, and what is not known, in one query. The records are grouped by entry first (one pass over the
  period's records, as a hand-written GROUP BY would), and the list's active entries are read beside them so that
  an entry without records shows 0. A network's organisations each have their own copy of a list: entries of
  the same code are added up into one row;
- `merged`: rows of several organisations added up by key, in first-seen order.
"""

from decimal import Decimal

from django.db.models import F, Func, IntegerField, Subquery, Sum, Value

from insertion.models import Organisation

HEADER, LINE = 0, 1


def count_of(qs, field="pk"):
    """A scalar subquery: the number of distinct `field` values of `qs` (0 when none)."""
    counted = qs.order_by().annotate(
        _count=Func(
            F(field), function="COUNT", template="COUNT(DISTINCT %(expressions)s)", output_field=IntegerField()
        )
    )
    return Subquery(counted.values("_count"), output_field=IntegerField())


def with_figures(scope, lines, placeholders, **figures):
    """One query: ([tuple of the columns] of the querysets `lines`, {name: figure} of the scalar subqueries
    `figures`).

    `lines` is a list of (queryset, columns) giving the same number of columns of the same types. A UNION ALL of
    one header line carrying the figures (read once whatever the number of lines, and there even when no line
    is) and the lines. `placeholders` fill the header's columns: one expression per column, of the column's type
    (Value(0) for a number, Value("") for a text), as PostgreSQL requires.
    """
    names = sorted(figures)
    header = (
        Organisation.objects.filter(pk=scope.organisation_ids[0])
        .order_by()
        .annotate(**{f"_f_{name}": figures[name] for name in names})
        .values_list(Value(HEADER), *placeholders, *[f"_f_{name}" for name in names])
    )
    bodies = [
        queryset.order_by().values_list(Value(LINE), *its_columns, *[Value(0) for _name in names])
        for queryset, its_columns in lines
    ]
    found, scalars = [], dict.fromkeys(names, 0)
    width = len(placeholders)
    for kind, *values in header.union(*bodies, all=True):
        if kind == HEADER:
            scalars = {name: figure or 0 for name, figure in zip(names, values[width:], strict=True)}
        else:
            found.append(tuple(values[:width]))
    return found, scalars


def listed(scope, items, records, relation, count, **figures):
    """One query: ([(code, label, count)] in the order of the reference list `items`, the count of what is not
    known, {name: figure} of the scalar subqueries `figures`).

    `records` (people, workshops, partnerships…) are grouped by their entry of the list, reached through
    `relation`, and counted with the aggregate `count`; records without an entry make the "not known" count. The
    active entries of `items` without records show 0; an inactive one shows when it has records in the period.
    """
    fields = [f"{relation}__position", f"{relation}__code", f"{relation}__label"]
    lines, scalars = with_figures(
        scope,
        [
            (items.filter(is_active=True), ["position", "code", "label", Value(0)]),
            (records.values(*fields).annotate(_count=count), [*fields, "_count"]),
        ],
        [Value(0), Value(""), Value(""), Value(0)],
        **figures,
    )
    unknown = sum(amount for _position, code, _label, amount in lines if code is None)
    known = sorted((line for line in lines if line[1] is not None), key=lambda line: (line[0], line[2], line[1]))
    return merged((code, label, amount) for _position, code, label, amount in known), unknown, scalars


def merged(rows):
    """[(key, label, value)] with the rows of one key added up (a network's organisations), in first-seen order."""
    found = {}
    for key, label, amount in rows:
        if key in found:
            found[key][2] += amount
        else:
            found[key] = [key, label, amount]
    return [tuple(row) for row in found.values()]


def two_places(amount):
    """Kilograms, hours or euros as a Decimal with two places (0 for nothing)."""
    return Decimal(amount or 0).quantize(Decimal("0.01"))


def by_variety(qs):
    """[(code, "Species — variety", kg)] of the harvests or distribution lines `qs`, in the catalogue's order
    (species, variety), from one grouped query; a network's varieties of one code are added up."""
    found = qs.values("variety__code", "variety__species", "variety__label").annotate(kg=Sum("weight_kg")).order_by()
    found = sorted(found, key=lambda row: (row["variety__species"], row["variety__label"], row["variety__code"]))
    return merged(
        (row["variety__code"], f"{row['variety__species']} — {row['variety__label']}", two_places(row["kg"]))
        for row in found
    )
