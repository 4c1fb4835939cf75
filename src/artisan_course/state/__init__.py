"""Saved records: the learner store, who the learner is, and the one path every answer is saved by."""
