"""Technology contracts and the money around them: register, import, filings, 奖补 rounds, 创新券."""
