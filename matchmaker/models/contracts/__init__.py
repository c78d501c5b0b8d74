"""The bureau's money workflows: technology contract register, 产学研 filings, 奖补 rounds, 创新券."""
