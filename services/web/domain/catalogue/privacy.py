"""Texts of staff's erasure of a person (crypto-shredding: README "Personal data")."""

TEXT: dict[str, dict[str, str]] = {
    "en": {
        "erased": "erased",
        "erase_title": "Erase this person",
        "erase_text": (
            "Their name, email, job title, free text and the private notes of their pairs' sessions are "
            "deleted everywhere, and their key is destroyed, so no copy in the event log can be read again. "
            "They still count in the figures (a pair stays a pair), shown as erased. This cannot be undone."
        ),
        "erase_confirm": "I understand that this cannot be undone",
        "erase_confirm_missing": "Tick the box to confirm the erasure.",
        "erase_button": "Erase this person for good",
        "done_erased": "The person is erased.",
        "erase_pending": "The person is erased; the key vault has not confirmed yet and is retried.",
    },
    "da": {
        "erased": "slettet",
        "erase_title": "Slet denne person",
        "erase_text": (
            "Navn, e-mail, stilling, fritekst og de private noter fra parrets samtaler slettes overalt, og "
            "personens nøgle destrueres, så ingen kopi i hændelsesloggen kan læses igen. Personen tæller "
            "stadig med i tallene (et par er stadig et par), vist som slettet. Det kan ikke fortrydes."
        ),
        "erase_confirm": "Jeg forstår, at det ikke kan fortrydes",
        "erase_confirm_missing": "Sæt kryds for at bekræfte sletningen.",
        "erase_button": "Slet personen endeligt",
        "done_erased": "Personen er slettet.",
        "erase_pending": "Personen er slettet; nøgleboksen har ikke bekræftet endnu og prøves igen.",
    },
}
