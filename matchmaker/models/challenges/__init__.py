"""揭榜挂帅 tables: the list and its applications, expert review and objections, award and delivery."""
