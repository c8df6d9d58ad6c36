"""The programme year: evaluations, agreements and reminders (issue 12)."""
