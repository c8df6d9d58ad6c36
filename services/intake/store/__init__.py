"""All of intake's SQL, one module per table family."""
