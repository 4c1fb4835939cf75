"""Documents a learner takes away: the journal, the agreement, plans and calendars, and how they are offered."""
