"""Needs (技术需求) and outputs (科技成果): the review workflow, scoped lists, search, re-matching."""
