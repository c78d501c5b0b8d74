"""揭榜挂帅 endpoints: the list (榜单), applications, expert review, 公示 and award, delivery."""
