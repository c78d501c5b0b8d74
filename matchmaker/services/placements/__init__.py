"""科技副总 placements: filing and tripartite consent, county review and the province, work reports."""
