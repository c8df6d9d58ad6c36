"""Rendering a computed report: HTML pages with inline SVG charts, and CSV files, from the same cells."""
