"""Cổng Kế hoạch: turns plan data (YAML) into a static portal.

Stages, one module each: load → model → derive → render → write → site → check.
"""
