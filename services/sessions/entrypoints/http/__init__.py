"""Sessions' HTTP API under /v1: one router per resource, thin handlers over the service layer."""
