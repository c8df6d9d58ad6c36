"""reporting's tables as the company dashboard shows them, in both languages (English as reporting says
it): `report.title.<table>`, `report.col.<column>` (`report.col.<table>.label` for a table's label
column), `report.figure.<figure>`, `report.role.<role>`, `report.risk.<reason>`. A key reporting adds
later and this misses is shown in reporting's own English words."""

_TEXT: dict[str, tuple[str, str]] = {
    "report.title.summary": ("Key figures", "Nøgletal"),
    "report.title.participants": ("Participants by company and role", "Deltagere efter virksomhed og rolle"),
    "report.title.matching": ("Matched and unmatched", "Matchet og ikke matchet"),
    "report.title.sessions_over_time": ("Sessions per pair over time", "Samtaler pr. par over tid"),
    "report.title.toolbox": ("Toolbox mix", "Værktøjer brugt"),
    "report.title.formats": ("How pairs meet", "Sådan mødes parrene"),
    "report.title.at_risk": ("Pairs at risk", "Par i risiko"),
    "report.title.ended": ("Pairs ended early, and why", "Par afsluttet før tid, og hvorfor"),
    "report.col.summary.label": ("Figure", "Tal"),
    "report.col.matching.label": ("Role", "Rolle"),
    "report.col.toolbox.label": ("Tool", "Værktøj"),
    "report.col.formats.label": ("Format", "Mødeform"),
    "report.col.at_risk.label": ("Reason", "Årsag"),
    "report.col.value": ("Value", "Værdi"),
    "report.col.company": ("Company", "Virksomhed"),
    "report.col.mentees": ("Mentees", "Mentees"),
    "report.col.mentors": ("Mentors", "Mentorer"),
    "report.col.active": ("Active", "Aktive"),
    "report.col.withdrawn": ("Withdrawn", "Udmeldt"),
    "report.col.matched": ("Matched", "Matchet"),
    "report.col.unmatched": ("Unmatched", "Ikke matchet"),
    "report.col.month": ("Month", "Måned"),
    "report.col.pairs": ("Pairs", "Par"),
    "report.col.sessions": ("Sessions", "Samtaler"),
    "report.col.hours": ("Hours", "Timer"),
    "report.col.sessions_per_pair": ("Sessions per pair", "Samtaler pr. par"),
    "report.col.share_percent": ("Share of sessions (%)", "Andel af samtaler (%)"),
    "report.col.reason": ("Reason", "Årsag"),
    "report.figure.participants": ("Participants (active)", "Deltagere (aktive)"),
    "report.figure.mentees": ("Mentees", "Mentees"),
    "report.figure.mentors": ("Mentors", "Mentorer"),
    "report.figure.withdrawn": ("Withdrawn", "Udmeldt"),
    "report.figure.pairs": ("Pairs matched", "Par matchet"),
    "report.figure.pairs_with_our_mentee": ("Pairs with one of our mentees", "Par med en af vores mentees"),
    "report.figure.pairs_with_our_mentor": ("Pairs with one of our mentors", "Par med en af vores mentorer"),
    "report.figure.active_pairs": ("Pairs active", "Aktive par"),
    "report.figure.ended_pairs": ("Pairs ended early", "Par afsluttet før tid"),
    "report.figure.sessions": ("Sessions held", "Samtaler holdt"),
    "report.figure.hours": ("Hours in sessions", "Timer i samtaler"),
    "report.figure.pairs_with_sessions": ("Pairs that have met", "Par, der har mødtes"),
    "report.figure.sessions_per_pair": ("Sessions per pair", "Samtaler pr. par"),
    "report.figure.at_risk": ("Pairs at risk", "Par i risiko"),
    "report.role.mentee": ("Mentees", "Mentees"),
    "report.role.mentor": ("Mentors", "Mentorer"),
    "report.risk.no_first_session": (
        "No first session within {first} days of matching",
        "Ingen første samtale inden for {first} dage efter matchningen",
    ),
    "report.risk.no_recent_session": (
        "No session for more than {quiet} days",
        "Ingen samtale i mere end {quiet} dage",
    ),
}

TEXT: dict[str, dict[str, str]] = {
    "en": {key: en for key, (en, _) in _TEXT.items()},
    "da": {key: da for key, (_, da) in _TEXT.items()},
}
