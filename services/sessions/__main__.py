"""`python -m services.sessions`: run the sessions service."""

from services.sessions.app import main

main()
