"""Course content: the files in data/ that a non-programmer edits, and the checks that keep them sound."""
