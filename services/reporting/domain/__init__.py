"""Reporting's pure side: what a cohort looks like, and every figure computed from it."""
