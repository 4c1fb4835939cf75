"""Warm with the people, tough on business needs.

An interactive course on negotiation, management and communication with
home-based artisans. Notebooks call the one-line helpers exported here, for
example ``course_header("welcome")``.
"""
__version__ = "0.1.0"
__all__ = ["course_header", "course_nav", "course_overview", "journal_download", "quiz", "reflect"]


def __getattr__(name):
    # Imported lazily, so the command-line tool and the server start without
    # loading ipywidgets.
    if name == "quiz":
        from .quiz.view import quiz
        return quiz
    if name in __all__:
        from . import course_widgets
        return getattr(course_widgets, name)
    raise AttributeError(name)
