"""Reporting's use cases: reports per viewer, who is asking, the projection handlers, the rebuild."""
