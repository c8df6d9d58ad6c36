"""`python -m services.matching`: run the matching service."""

from services.matching.app import main

main()
