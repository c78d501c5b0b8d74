"""Offline helpers that regenerate the taxonomy data files; never imported at run time."""
