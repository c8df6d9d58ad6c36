"""`python -m services.reporting`: run the reporting service."""

from services.reporting.app import main

main()
