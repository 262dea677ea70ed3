"""The floor of the report benchmark: one hand-written SQL query per indicator, for PostgreSQL.

Each query computes what its indicator computes for a scope of whole organisations (no site, no programme), in
the shape a careful SQL author would give it, with no ORM in between. The benchmark times them in the same run as
the report (their sum is the page's floor) and checks that each gives the indicator's headline figure, so the
floor is known to do the same work.

Parameters: %(orgs)s (array of organisation ids), %(start)s and %(end)s (the inclusive period), and the dates that
Python computes once for the whole scope: %(born_26)s, %(born_45)s, %(born_55)s (the age bands' birth-date limits)
and %(month_before_end)s (one calendar month before the end). The first column of the first row of each query is
the indicator's headline figure, so that the benchmark can compare it with the report's.
"""

# A person reached in the period: of the organisations, with an enrolment running on one of its days.
REACHED = """b.organisation_id = ANY(%(orgs)s) AND EXISTS (
    SELECT 1 FROM beneficiaries_enrolment e WHERE e.beneficiary_id = b.id AND e.entry_date <= %(end)s
    AND (e.exit_date IS NULL OR e.exit_date >= %(start)s))"""
RUNNING_FOR_PRESENCE = """EXISTS (
    SELECT 1 FROM beneficiaries_enrolment e WHERE e.beneficiary_id = a.beneficiary_id AND e.entry_date <= %(end)s
    AND (e.exit_date IS NULL OR e.exit_date >= %(start)s))"""
WORKSHOPS = "w.organisation_id = ANY(%(orgs)s) AND w.date BETWEEN %(start)s AND %(end)s"
PRESENCES = f"""gardens_attendance a JOIN gardens_workshop w ON w.id = a.workshop_id
    WHERE {WORKSHOPS} AND a.status = 'present' AND {RUNNING_FOR_PRESENCE}"""
REACHED_COUNT = f"(SELECT count(*) FROM beneficiaries_beneficiary b WHERE {REACHED})"
LINES = """partners_distributionline l JOIN partners_distribution d ON d.id = l.distribution_id
    WHERE d.organisation_id = ANY(%(orgs)s) AND d.date BETWEEN %(start)s AND %(end)s"""
LINES_WITH_VARIETY = LINES.replace("WHERE", "JOIN gardens_variety v ON v.id = l.variety_id WHERE", 1)
LINES_WITH_PARTNER = LINES.replace("WHERE", "LEFT JOIN partners_partner p ON p.id = d.partner_id WHERE", 1)
PRESENCES_WITH_SITE = PRESENCES.replace("WHERE", "LEFT JOIN gardens_site s ON s.id = w.site_id WHERE", 1)
# The calendar months of the period in which each person reached was enrolled at least one day.
MONTHS_DUE = """SELECT DISTINCT e.beneficiary_id AS person, month::date AS month
    FROM beneficiaries_enrolment e JOIN beneficiaries_beneficiary b ON b.id = e.beneficiary_id,
    generate_series(date_trunc('month', greatest(e.entry_date, %(start)s)),
                    date_trunc('month', least(coalesce(e.exit_date, %(end)s), %(end)s)), interval '1 month') month
    WHERE b.organisation_id = ANY(%(orgs)s) AND e.entry_date <= %(end)s
    AND (e.exit_date IS NULL OR e.exit_date >= %(start)s)"""
DATED_STEPS = f"""beneficiaries_action s JOIN beneficiaries_objective o ON o.id = s.objective_id
    JOIN beneficiaries_beneficiary b ON b.id = o.beneficiary_id
    WHERE s.date BETWEEN %(start)s AND %(end)s AND {REACHED}"""

FLOOR = {
    "beneficiaries_reached": f"SELECT count(*) FROM beneficiaries_beneficiary b WHERE {REACHED}",
    "beneficiaries_by_sex": f"""SELECT sum(count(*)) OVER (), b.sex, count(*) FROM beneficiaries_beneficiary b
        WHERE {REACHED} GROUP BY b.sex""",
    "beneficiaries_by_age_band": f"""SELECT sum(count(*)) OVER (), band, count(*) FROM (
        SELECT CASE WHEN b.birth_date > %(born_26)s THEN 'under_26' WHEN b.birth_date > %(born_45)s THEN '26_44'
        WHEN b.birth_date > %(born_55)s THEN '45_54' ELSE '55_plus' END AS band
        FROM beneficiaries_beneficiary b WHERE {REACHED}) people GROUP BY band""",
    "entries": """SELECT count(*) FROM beneficiaries_beneficiary b WHERE b.organisation_id = ANY(%(orgs)s)
        AND EXISTS (SELECT 1 FROM beneficiaries_enrolment e WHERE e.beneficiary_id = b.id
        AND e.entry_date BETWEEN %(start)s AND %(end)s)""",
    "exits": """SELECT count(*) FROM beneficiaries_beneficiary b WHERE b.organisation_id = ANY(%(orgs)s)
        AND EXISTS (SELECT 1 FROM beneficiaries_enrolment e WHERE e.beneficiary_id = b.id
        AND e.exit_date BETWEEN %(start)s AND %(end)s)""",
    "exits_by_category": """SELECT sum(count(*)) OVER (), category, count(*) FROM (
        SELECT DISTINCT ON (e.beneficiary_id) x.category FROM beneficiaries_enrolment e
        JOIN beneficiaries_beneficiary b ON b.id = e.beneficiary_id
        LEFT JOIN insertion_exitoutcome x ON x.id = e.exit_outcome_id
        WHERE b.organisation_id = ANY(%(orgs)s) AND e.exit_date BETWEEN %(start)s AND %(end)s
        ORDER BY e.beneficiary_id, e.exit_date DESC, e.id DESC) last_exits
        WHERE category IS NOT NULL GROUP BY category""",
    "occupancy": f"""SELECT coalesce(round(count(*) * 100.0 / nullif((SELECT sum(yearly_target)
        FROM insertion_organisation WHERE id = ANY(%(orgs)s)), 0), 1), 0)
        FROM beneficiaries_beneficiary b WHERE {REACHED}""",
    "beneficiaries_by_neighbourhood": f"""SELECT sum(count(*)) OVER (), n.code, count(*)
        FROM beneficiaries_beneficiary b LEFT JOIN insertion_neighbourhood n ON n.id = b.neighbourhood_id
        WHERE {REACHED} GROUP BY n.code""",
    "beneficiaries_from_priority_neighbourhoods": f"""SELECT count(*) FILTER (WHERE n.is_priority), count(*)
        FROM beneficiaries_beneficiary b LEFT JOIN insertion_neighbourhood n ON n.id = b.neighbourhood_id
        WHERE {REACHED}""",
    "beneficiaries_by_education_level": f"""SELECT sum(count(*)) OVER (), l.scale_2019, count(*)
        FROM beneficiaries_beneficiary b LEFT JOIN insertion_educationlevel l ON l.id = b.education_level_id
        WHERE {REACHED} GROUP BY l.scale_2019""",
    "beneficiaries_by_education_level_1969": f"""SELECT sum(count(*)) OVER (), l.scale_1969, count(*)
        FROM beneficiaries_beneficiary b LEFT JOIN insertion_educationlevel l ON l.id = b.education_level_id
        WHERE {REACHED} GROUP BY l.scale_1969""",
    "beneficiaries_by_situation": f"""SELECT max(count(DISTINCT b.id)) OVER (), s.code, count(DISTINCT b.id)
        FROM beneficiaries_beneficiary b
        LEFT JOIN beneficiaries_beneficiary_social_situations bs ON bs.beneficiary_id = b.id
        LEFT JOIN insertion_socialsituation s ON s.id = bs.socialsituation_id
        WHERE {REACHED} GROUP BY GROUPING SETS ((), (s.code))""",
    "workshops_by_kind": f"""SELECT sum(count(*)) OVER (), k.code, count(*) FROM gardens_workshop w
        JOIN insertion_workshopkind k ON k.id = w.kind_id WHERE {WORKSHOPS} GROUP BY k.code""",
    "solidarity_tables": f"""SELECT count(*) FROM gardens_workshop w JOIN insertion_workshopkind k ON k.id = w.kind_id
        WHERE {WORKSHOPS} AND k.code = 'solidarity-table'""",
    "solidarity_tables_by_neighbourhood": f"""SELECT sum(count(*)) OVER (), coalesce(n.code, sn.code), count(*)
        FROM gardens_workshop w JOIN insertion_workshopkind k ON k.id = w.kind_id
        LEFT JOIN insertion_neighbourhood n ON n.id = w.neighbourhood_id LEFT JOIN gardens_site s ON s.id = w.site_id
        LEFT JOIN insertion_neighbourhood sn ON sn.id = s.neighbourhood_id
        WHERE {WORKSHOPS} AND k.code = 'solidarity-table' GROUP BY 2""",
    "solidarity_table_menus": f"""SELECT count(DISTINCT lower(trim(w.menu))) FILTER (WHERE trim(w.menu) <> ''),
        count(*) FILTER (WHERE trim(w.menu) <> '')
        FROM gardens_workshop w JOIN insertion_workshopkind k ON k.id = w.kind_id
        WHERE {WORKSHOPS} AND k.code = 'solidarity-table'""",
    "health_workshops_by_theme": f"""SELECT sum(count(*)) OVER (), trim(w.theme), count(*) FROM gardens_workshop w
        JOIN insertion_workshopkind k ON k.id = w.kind_id WHERE {WORKSHOPS} AND k.code = 'health' GROUP BY 2""",
    "health_workshop_participants": f"""SELECT count(*) FILTER (WHERE b.id IN (
        SELECT a.beneficiary_id FROM gardens_attendance a JOIN gardens_workshop w ON w.id = a.workshop_id
        JOIN insertion_workshopkind k ON k.id = w.kind_id
        WHERE {WORKSHOPS} AND a.status = 'present' AND k.code = 'health')), count(*)
        FROM beneficiaries_beneficiary b WHERE {REACHED}""",
    "presence_hours": f"SELECT coalesce(sum(a.hours), 0) FROM {PRESENCES}",
    "presence_hours_per_beneficiary": f"""SELECT round(coalesce(sum(a.hours) / nullif(count(DISTINCT a.beneficiary_id),
        0), 0), 1), count(DISTINCT a.beneficiary_id) FROM {PRESENCES}""",
    "presence_hours_by_site": f"""SELECT sum(sum(a.hours)) OVER (), s.name, sum(a.hours)
        FROM {PRESENCES_WITH_SITE}
        GROUP BY s.id, s.name""",
    "varieties_grown": """SELECT count(DISTINCT v.code) FROM gardens_harvest h JOIN gardens_variety v
        ON v.id = h.variety_id WHERE h.organisation_id = ANY(%(orgs)s) AND h.date BETWEEN %(start)s AND %(end)s""",
    "harvest_by_variety": """SELECT sum(sum(h.weight_kg)) OVER (), v.code, v.species, v.label, sum(h.weight_kg)
        FROM gardens_harvest h JOIN gardens_variety v ON v.id = h.variety_id
        WHERE h.organisation_id = ANY(%(orgs)s) AND h.date BETWEEN %(start)s AND %(end)s
        GROUP BY v.code, v.species, v.label""",
    "harvest_by_site": """SELECT sum(sum(h.weight_kg)) OVER (), s.name, sum(h.weight_kg) FROM gardens_harvest h
        JOIN gardens_site s ON s.id = h.site_id
        WHERE h.organisation_id = ANY(%(orgs)s) AND h.date BETWEEN %(start)s AND %(end)s GROUP BY s.id, s.name""",
    "pathways_relaunched": f"""SELECT max(count(DISTINCT o.beneficiary_id)) OVER (), s.relaunch,
        count(DISTINCT o.beneficiary_id), {REACHED_COUNT}
        FROM {DATED_STEPS} AND s.relaunch <> '' GROUP BY GROUPING SETS ((), (s.relaunch))""",
    "contracts_by_type": f"""SELECT max(count(DISTINCT o.beneficiary_id)) OVER (), s.contract_type,
        count(DISTINCT o.beneficiary_id), {REACHED_COUNT}
        FROM {DATED_STEPS} AND s.relaunch = 'employment' AND s.contract_type <> ''
        GROUP BY GROUPING SETS ((), (s.contract_type))""",
    "health_checks": f"""SELECT count(DISTINCT r.beneficiary_id) FROM partners_referral r
        JOIN beneficiaries_beneficiary b ON b.id = r.beneficiary_id JOIN partners_partner p ON p.id = r.partner_id
        WHERE {REACHED} AND r.result = 'taken_on' AND p.kind = 'health'
        AND coalesce(r.result_date, r.date) BETWEEN %(start)s AND %(end)s
        AND EXISTS (SELECT 1 FROM partners_partner_themes pt JOIN insertion_partnertheme t ON t.id = pt.partnertheme_id
                    WHERE pt.partner_id = p.id AND t.code = 'health')""",
    "interviews_held": f"""SELECT count(*) FROM beneficiaries_interview i
        JOIN beneficiaries_beneficiary b ON b.id = i.beneficiary_id
        WHERE i.date BETWEEN %(start)s AND %(end)s AND {REACHED}""",
    "interviews_due": f"SELECT count(*) FROM ({MONTHS_DUE}) due",
    "interviews_held_against_due": f"""SELECT round(100.0 * count(held.person) / nullif(count(*), 0), 1), count(*)
        FROM ({MONTHS_DUE}) due LEFT JOIN (
            SELECT DISTINCT i.beneficiary_id AS person, date_trunc('month', i.date)::date AS month
            FROM beneficiaries_interview i JOIN beneficiaries_beneficiary b ON b.id = i.beneficiary_id
            WHERE b.organisation_id = ANY(%(orgs)s) AND i.date BETWEEN %(start)s AND %(end)s) held
        ON held.person = due.person AND held.month = due.month""",
    "people_interview_overdue": f"""SELECT count(*) FILTER (WHERE greatest(coalesce(last_interview, entry), entry)
        < %(month_before_end)s), count(*) FROM (
        SELECT (SELECT min(e.entry_date) FROM beneficiaries_enrolment e WHERE e.beneficiary_id = b.id
                AND e.entry_date <= %(end)s AND (e.exit_date IS NULL OR e.exit_date >= %(end)s)) AS entry,
               (SELECT max(i.date) FROM beneficiaries_interview i WHERE i.beneficiary_id = b.id
                AND i.date <= %(end)s) AS last_interview
        FROM beneficiaries_beneficiary b WHERE {REACHED}) people WHERE entry IS NOT NULL""",
    "varieties_redistributed": f"SELECT count(DISTINCT v.code) FROM {LINES_WITH_VARIETY}",
    "redistribution_by_recipient": f"""SELECT sum(sum(l.weight_kg)) OVER (), d.recipient_kind, p.name,
        sum(l.weight_kg) FROM {LINES_WITH_PARTNER}
        GROUP BY d.recipient_kind, p.name""",
    "redistribution_by_variety": f"""SELECT sum(sum(l.weight_kg)) OVER (), v.code, v.species, v.label, sum(l.weight_kg)
        FROM {LINES_WITH_VARIETY}
        GROUP BY v.code, v.species, v.label""",
    "partnerships_by_theme": """SELECT sum(count(*)) OVER (), t.code, count(*) FROM partners_partnership s
        LEFT JOIN insertion_partnertheme t ON t.id = s.theme_id
        WHERE s.organisation_id = ANY(%(orgs)s) AND s.start_date BETWEEN %(start)s AND %(end)s GROUP BY t.code""",
    "referrals_by_partner": f"""SELECT max(count(DISTINCT r.beneficiary_id)) OVER (), p.name,
        count(DISTINCT r.beneficiary_id), {REACHED_COUNT}
        FROM partners_referral r JOIN beneficiaries_beneficiary b ON b.id = r.beneficiary_id
        JOIN partners_partner p ON p.id = r.partner_id
        WHERE r.date BETWEEN %(start)s AND %(end)s AND {REACHED} GROUP BY GROUPING SETS ((), (p.name))""",
    "funding_by_funder": """SELECT sum(sum(f.amount)) OVER (), p.name, sum(f.amount) FROM partners_funding f
        JOIN partners_partner p ON p.id = f.funder_id
        WHERE f.organisation_id = ANY(%(orgs)s) AND f.year BETWEEN %(start_year)s AND %(end_year)s GROUP BY p.name""",
}

# The network report's breakdown per organisation: one query per column, as the report runs.
BREAKDOWN_FLOOR = {
    "reached": f"""SELECT b.organisation_id, count(*) FROM beneficiaries_beneficiary b WHERE {REACHED}
        GROUP BY b.organisation_id""",
    "entries": FLOOR["entries"].replace("SELECT count(*)", "SELECT b.organisation_id, count(*)")
    + " GROUP BY b.organisation_id",
    "exits": FLOOR["exits"].replace("SELECT count(*)", "SELECT b.organisation_id, count(*)")
    + " GROUP BY b.organisation_id",
    "workshops": f"SELECT w.organisation_id, count(*) FROM gardens_workshop w WHERE {WORKSHOPS} GROUP BY 1",
    "hours": f"SELECT w.organisation_id, sum(a.hours) FROM {PRESENCES} GROUP BY 1",
    "harvested_kg": """SELECT h.organisation_id, sum(h.weight_kg) FROM gardens_harvest h
        WHERE h.organisation_id = ANY(%(orgs)s) AND h.date BETWEEN %(start)s AND %(end)s GROUP BY 1""",
}
