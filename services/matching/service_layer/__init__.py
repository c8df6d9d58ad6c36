"""Matching's use cases, one module per concern; projection.py applies intake's events; views.py shapes answers."""
