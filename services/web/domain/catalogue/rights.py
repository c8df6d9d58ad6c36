"""Texts of a person's rights: the data export, consent, retention (staff, company and pair pages)."""

TEXT: dict[str, dict[str, str]] = {
    "en": {
        "rights_back_to_participants": "← All participants",
        "rights_email": "Email",
        "rights_registered": "Registered",
        "rights_consent": "Consent",
        "rights_consent_given": "Agreed on {when} to consent text {version}",
        "rights_consent_version_unknown": "(version not recorded)",
        "rights_consent_text": "The consent text, version {version}",
        "rights_your_consent": "You agreed to the programme's consent text, version {version}, on {when}.",
        "rights_export_title": "Data export",
        "rights_export_staff_text": "Everything every part of the system holds about this person, as one ZIP "
        "(one JSON file per service and a README). Hand it to the person on request. Private session notes "
        "are not in it: only the person can download those, from their own page.",
        "rights_export_button": "Download the data export (ZIP)",
        "rights_my_data": "Your data",
        "rights_my_data_text": "Download everything the programme's system holds about you: your "
        "registration, your consent, your pairs and sessions, and the notes you wrote yourself.",
        "rights_my_data_button": "Download my data (ZIP)",
    },
    "da": {
        "rights_back_to_participants": "← Alle deltagere",
        "rights_email": "E-mail",
        "rights_registered": "Tilmeldt",
        "rights_consent": "Samtykke",
        "rights_consent_given": "Givet {when} til samtykketekst {version}",
        "rights_consent_version_unknown": "(version ikke registreret)",
        "rights_consent_text": "Samtykketeksten, version {version}",
        "rights_your_consent": "Du gav samtykke til programmets samtykketekst, version {version}, den {when}.",
        "rights_export_title": "Udtræk af data",
        "rights_export_staff_text": "Alt, hvad systemets dele gemmer om personen, som én ZIP-fil (en "
        "JSON-fil pr. tjeneste og en README). Giv den til personen, når de beder om den. Private noter fra "
        "samtaler er ikke med: dem kan kun personen selv hente, på sin egen side.",
        "rights_export_button": "Hent udtrækket (ZIP)",
        "rights_my_data": "Dine data",
        "rights_my_data_text": "Hent alt, hvad programmets system gemmer om dig: din tilmelding, dit "
        "samtykke, dine par og samtaler og de noter, du selv har skrevet.",
        "rights_my_data_button": "Hent mine data (ZIP)",
    },
}
