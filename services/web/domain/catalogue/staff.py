"""Texts of the coordinator's (staff) pages."""

TEXT: dict[str, dict[str, str]] = {
    "en": {
        "nav_companies": "Companies",
        "nav_cohorts": "Cohorts",
        "nav_participants": "Participants",
        "nav_dashboards": "Dashboards",
        "staff_home_title": "Programme coordination",
        "staff_home_companies": "Partner companies, their HR contacts, must-not-pair lists and API keys.",
        "staff_home_cohorts": "Cohorts, intake windows, matching weights, matching runs and pairs.",
        "staff_home_participants": "Every participant in every cohort, with filters.",
        "staff_home_dashboards": "The programme's dashboards: participants, pairs, sessions, pairs at risk.",
    },
    "da": {
        "nav_companies": "Virksomheder",
        "nav_cohorts": "Hold",
        "nav_participants": "Deltagere",
        "nav_dashboards": "Overblik",
        "staff_home_title": "Programkoordinering",
        "staff_home_companies": "Partnervirksomheder, deres HR-kontakter, lister over hvem de ikke må parres med, og API-nøgler.",
        "staff_home_cohorts": "Hold, tilmeldingsperioder, vægte for matchning, matchningskørsler og par.",
        "staff_home_participants": "Alle deltagere på alle hold, med filtre.",
        "staff_home_dashboards": "Programmets overblik: deltagere, par, samtaler, par i risiko.",
    },
}
