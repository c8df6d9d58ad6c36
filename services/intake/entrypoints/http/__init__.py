"""Intake's HTTP API under /v1: staff set up companies, keys and cohorts; companies register people."""
