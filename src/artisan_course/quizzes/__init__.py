"""Quizzes: question banks as data (bank), pure grading (grading), and widgets (view)."""
