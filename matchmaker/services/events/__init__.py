"""Events (对接会): lifecycle, registrations, the agenda and schedules, meeting outcomes."""
