"""Matching's pure domain: the cohort instance, hard rules, scores, the solver and its explanations."""
