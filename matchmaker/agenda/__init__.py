"""Agenda planning for matchmaking events (对接会日程): the pure solver and its plain data types."""
