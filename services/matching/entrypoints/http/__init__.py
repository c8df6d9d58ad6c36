"""Matching's HTTP API for programme staff under /v1: cohorts and settings, runs, pins and exclusions, pairs."""
