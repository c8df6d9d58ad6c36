"""`python -m services.web`: run the web app."""

from services.web.app import main

main()
