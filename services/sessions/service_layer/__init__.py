"""Sessions' use cases: each opens one transaction, asks the domain, stores the outcome with its event."""
