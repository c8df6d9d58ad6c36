"""Intake's use cases: validate, one transaction, pure domain decisions, store and outbox, return."""
