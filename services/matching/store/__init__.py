"""All of matching's SQL, one module per table group."""
