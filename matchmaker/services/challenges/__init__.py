"""揭榜挂帅 (challenges), from the 榜单 through applications, 公示 and award to delivery and 验收."""
