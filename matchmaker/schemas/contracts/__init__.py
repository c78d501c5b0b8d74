"""Schemas of technology contracts, filings, 奖补 rounds and 创新券."""
