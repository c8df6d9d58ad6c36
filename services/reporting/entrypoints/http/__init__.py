"""Reporting over HTTP: the JSON and CSV API (api.py) and the HTML dashboard (dashboard.py)."""
