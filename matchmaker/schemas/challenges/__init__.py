"""揭榜挂帅 schemas: the list, applications, expert review and 公示, award and delivery."""
