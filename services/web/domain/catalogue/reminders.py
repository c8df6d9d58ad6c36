"""Texts of reminder mails in the web app: the opt-out link's page, a member's choice, staff's list."""

TEXT: dict[str, dict[str, str]] = {
    "en": {
        "nav_reminders": "Reminders",
        "reminders_title": "Reminders by email",
        "reminders_what": "The programme sends a short reminder when your pair has not met for a while, when "
        "your agreement is not recorded after your first session, and when an evaluation waits for your "
        "answer. Programme staff still hear about pairs that have not met.",
        "reminders_state_on": "You receive reminders by email.",
        "reminders_state_off": "You receive no reminders by email.",
        "reminders_opt_out": "Stop reminders",
        "reminders_opt_in": "Send me reminders again",
        "reminders_done_opted_out": "Done: you will get no more reminders.",
        "reminders_done_opted_in": "Done: you will get reminders again.",
        "reminders_link_unknown": "This link is not valid. Open the link in the newest reminder, or your "
        "pair page.",
        "reminders_staff_title": "Reminders",
        "reminders_staff_intro": "Every reminder mail the rules decided, newest first, and the members who "
        "asked for none.",
        "reminders_sent": "Reminders",
        "reminders_when": "When",
        "reminders_rule": "Why",
        "reminders_to": "To",
        "reminders_to_staff": "Programme staff",
        "reminders_the_pair": "The pair",
        "reminders_none": "No reminders yet.",
        "reminders_opted_out": "Opted out",
        "reminders_nobody_opted_out": "Nobody has opted out.",
        "reminders_staff_notes_stay": "Notes to staff about pairs at risk are sent whether or not the members "
        "opted out.",
        "reminders_via_mail_link": "from a mail",
        "reminders_via_pair_page": "from the pair page",
        "reminder_rule_pair_at_risk": "Pair at risk",
        "reminder_rule_evaluation_unanswered": "Evaluation not answered",
        "reminder_rule_agreement_missing": "Agreement missing",
        "reminder_status_queued": "Waiting to be sent",
        "reminder_status_sent": "Sent",
        "reminder_status_cancelled": "Not sent (opted out or left)",
        "reminder_status_failed": "Could not be sent",
    },
    "da": {
        "nav_reminders": "Påmindelser",
        "reminders_title": "Påmindelser på e-mail",
        "reminders_what": "Programmet sender en kort påmindelse, når jeres par ikke har mødtes i et stykke "
        "tid, når jeres aftale ikke er registreret efter første samtale, og når en evaluering venter på dit "
        "svar. Programmets koordinatorer hører stadig om par, der ikke har mødtes.",
        "reminders_state_on": "Du får påmindelser på e-mail.",
        "reminders_state_off": "Du får ingen påmindelser på e-mail.",
        "reminders_opt_out": "Stop påmindelser",
        "reminders_opt_in": "Send mig påmindelser igen",
        "reminders_done_opted_out": "Sket: du får ikke flere påmindelser.",
        "reminders_done_opted_in": "Sket: du får påmindelser igen.",
        "reminders_link_unknown": "Linket er ikke gyldigt. Brug linket i den nyeste påmindelse eller jeres "
        "side for parret.",
        "reminders_staff_title": "Påmindelser",
        "reminders_staff_intro": "Alle påmindelser, reglerne har besluttet, nyeste først, og de medlemmer, "
        "der har frabedt sig dem.",
        "reminders_sent": "Påmindelser",
        "reminders_when": "Hvornår",
        "reminders_rule": "Hvorfor",
        "reminders_to": "Til",
        "reminders_to_staff": "Programmets koordinatorer",
        "reminders_the_pair": "Parret",
        "reminders_none": "Ingen påmindelser endnu.",
        "reminders_opted_out": "Frameldt",
        "reminders_nobody_opted_out": "Ingen har frameldt sig.",
        "reminders_staff_notes_stay": "Noter til koordinatorerne om par i risiko sendes, også når medlemmerne "
        "har frameldt sig.",
        "reminders_via_mail_link": "fra en e-mail",
        "reminders_via_pair_page": "fra parrets side",
        "reminder_rule_pair_at_risk": "Par i risiko",
        "reminder_rule_evaluation_unanswered": "Evaluering ikke besvaret",
        "reminder_rule_agreement_missing": "Aftale mangler",
        "reminder_status_queued": "Venter på at blive sendt",
        "reminder_status_sent": "Sendt",
        "reminder_status_cancelled": "Ikke sendt (frameldt eller udmeldt)",
        "reminder_status_failed": "Kunne ikke sendes",
    },
}
