"""Sessions' business rules: pure functions and values, no I/O."""
