"""`python -m services.intake`: run the intake service."""

from services.intake.app import main

main()
