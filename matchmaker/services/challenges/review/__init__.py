"""Expert review of challenge applications (专家评审): the pool, scoring, conflicts, blind mode, ranking."""
