"""Reminders: which mails are due (rules) and what they say (mail). The opt-out token is in
shared/reminder_tokens.py, since the web app makes one for the pair page too."""
