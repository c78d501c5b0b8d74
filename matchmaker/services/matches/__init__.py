"""Matches (匹配): match runs and their ranking, the match lifecycle, expert recommendations."""
