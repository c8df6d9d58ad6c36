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
        "rights_company_withdraw_title": "The person withdraws their consent",
        "rights_company_withdraw_text": "When a person withdraws their consent to the programme's use of their "
        "data, they leave the programme and everything about them is erased in every part of the system: "
        "name, email, profile, free text and their notes. They still count in the figures, shown as erased. "
        "This cannot be undone.",
        "rights_company_withdraw_confirm": "The person has withdrawn their consent: erase them for good",
        "rights_company_withdraw_button": "Withdraw consent and erase",
        "done_consent_withdrawn": "The consent is withdrawn and the person erased.",
        "rights_withdraw_title": "Withdraw my consent",
        "rights_withdraw_text": "If you withdraw your consent, you leave the programme and everything about "
        "you is erased: your name, email, profile, and the notes you wrote, in every part of the system. "
        "Your pair and its sessions still count in the programme's figures, without your name. Download your "
        "data first if you want to keep it. This cannot be undone.",
        "rights_withdraw_confirm": "I withdraw my consent and understand that my data is erased for good",
        "rights_withdraw_button": "Withdraw my consent and erase my data",
        "withdraw_confirm_missing": "Tick the box to confirm.",
        "rights_withdrawn_title": "Your consent is withdrawn",
        "rights_withdrawn_text": "Your data is erased. This link no longer opens the pair.",
        "retention_link": "Retention",
        "retention_title": "Retention of {name}",
        "retention_closed_on": "Closed on",
        "retention_not_closed": "Not closed: the programme year is running",
        "retention_kept": "Kept after closing",
        "retention_days": "{count} days",
        "retention_eligible_on": "May be anonymised from",
        "retention_anonymised_on": "Anonymised on",
        "retention_left": "Participants not erased",
        "retention_text": "Anonymising erases every participant of the cohort (names, emails, profiles, free "
        "text, notes) in every part of the system. The cohort's figures stay: its pairs, sessions and hours "
        "still count, its people shown as erased.",
        "retention_confirm": "Erase all {count} participants of this cohort for good",
        "retention_button": "Anonymise the cohort",
        "anonymise_confirm_missing": "Tick the box to confirm.",
        "retention_done": "The cohort is anonymised: its participants are erased, its figures kept.",
        "retention_not_yet": "The cohort can be anonymised once it has been closed for the retention period.",
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
        "rights_company_withdraw_title": "Personen trækker sit samtykke tilbage",
        "rights_company_withdraw_text": "Når en person trækker sit samtykke til programmets brug af deres data "
        "tilbage, forlader de programmet, og alt om dem slettes i alle dele af systemet: navn, e-mail, "
        "profil, fritekst og deres noter. De tæller stadig med i tallene, vist som slettet. Det kan ikke "
        "fortrydes.",
        "rights_company_withdraw_confirm": "Personen har trukket sit samtykke tilbage: slet dem for altid",
        "rights_company_withdraw_button": "Træk samtykket tilbage og slet",
        "done_consent_withdrawn": "Samtykket er trukket tilbage, og personen er slettet.",
        "rights_withdraw_title": "Træk mit samtykke tilbage",
        "rights_withdraw_text": "Hvis du trækker dit samtykke tilbage, forlader du programmet, og alt om dig "
        "slettes: dit navn, din e-mail, din profil og de noter, du har skrevet, i alle dele af systemet. Dit par "
        "og jeres samtaler tæller stadig med i programmets tal, uden dit navn. Hent dine data først, hvis du vil "
        "beholde dem. Det kan ikke fortrydes.",
        "rights_withdraw_confirm": "Jeg trækker mit samtykke tilbage og forstår, at mine data slettes for altid",
        "rights_withdraw_button": "Træk samtykket tilbage og slet mine data",
        "withdraw_confirm_missing": "Sæt kryds for at bekræfte.",
        "rights_withdrawn_title": "Dit samtykke er trukket tilbage",
        "rights_withdrawn_text": "Dine data er slettet. Linket åbner ikke længere parret.",
        "retention_link": "Opbevaring",
        "retention_title": "Opbevaring af {name}",
        "retention_closed_on": "Afsluttet den",
        "retention_not_closed": "Ikke afsluttet: programåret kører",
        "retention_kept": "Opbevares efter afslutning",
        "retention_days": "{count} dage",
        "retention_eligible_on": "Kan anonymiseres fra",
        "retention_anonymised_on": "Anonymiseret den",
        "retention_left": "Deltagere, der ikke er slettet",
        "retention_text": "Anonymisering sletter alle forløbets deltagere (navne, e-mails, profiler, fritekst, "
        "noter) i alle dele af systemet. Forløbets tal bliver: par, samtaler og timer tæller stadig med, "
        "personerne vist som slettet.",
        "retention_confirm": "Slet alle {count} deltagere i forløbet for altid",
        "retention_button": "Anonymisér forløbet",
        "anonymise_confirm_missing": "Sæt kryds for at bekræfte.",
        "retention_done": "Forløbet er anonymiseret: deltagerne er slettet, tallene bevaret.",
        "retention_not_yet": "Forløbet kan anonymiseres, når det har været afsluttet i hele opbevaringsperioden.",
    },
}
