"""Event endpoints (对接会): the event and its registrations, the agenda, outcomes and report."""
