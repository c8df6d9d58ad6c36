"""Texts of the partner company's (HR) pages."""

TEXT: dict[str, dict[str, str]] = {
    "en": {
        "company_home": "Your company",
        "company_home_intro": "Cohorts you can register your leaders into:",
    },
    "da": {
        "company_home": "Jeres virksomhed",
        "company_home_intro": "Hold, I kan tilmelde jeres ledere til:",
    },
}
