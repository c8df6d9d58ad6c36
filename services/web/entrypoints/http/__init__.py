"""The web app's pages: one router module per area; templates/ and static/ beside them."""
