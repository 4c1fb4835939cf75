"""Warm with the people, tough on business needs: the notebook API, one line per cell.

An interactive course on negotiation, management and communication with home-based artisans. Notebooks call
the one-line helpers named here, for example ``course_header("welcome")`` or ``quiz("fairness-culture")``.

The package is laid out by layer (see the README's "Layout"):

- ``models/``: the rules and teaching models (pure: no widgets, no files, no store);
- ``content/``: the data files a non-programmer edits, read and validated;
- ``state/``: the learner store, who the learner is, and the one save path;
- ``documents/``: what a learner downloads or prints;
- ``widgets/``: the screens;
- ``serving/``: the slide server, its templates and pages, and the JupyterLab copy.
"""
from __future__ import annotations

import importlib

__version__ = "0.1.0"

# Public name -> the module that defines it. Imported lazily, so the command-line tool and the slide server start
# without loading ipywidgets, matplotlib or pandas.
_API = {
    "course_header": "widgets.course",
    "course_nav": "widgets.course",
    "course_learner": "widgets.course",
    "course_overview": "widgets.course",
    "journal_download": "widgets.course",
    "reflect": "widgets.course",
    "quiz": "widgets.quiz",
    "show_anchoring_simulator": "widgets.anchoring",
    "show_fairness_simulator": "widgets.fairness",
    "show_contingency_simulator": "widgets.contingency",
    "show_negotiation_simulator": "widgets.negotiation",
    "show_milestone_planner": "widgets.milestones",
    "show_agreement_builder": "widgets.agreement",
    "channel_chooser": "widgets.communication",
    "conflict_plan_builder": "widgets.communication",
    "message_drafting": "widgets.communication",
    "listening_practice": "widgets.communication",
    "action_plan": "widgets.action_plan",
    "persuader_self_assessment": "widgets.activities",
    "review_scorecard": "widgets.activities",
    "evaluation": "widgets.evaluation",
    "glossary": "widgets.course",
    "orange_story": "widgets.activities",
    "role_play": "widgets.role_play",
    "data_path": "paths",
}
__all__ = list(_API)


def __getattr__(name: str):
    try:
        module = _API[name]
    except KeyError:
        raise AttributeError(f"module 'artisan_course' has no attribute {name!r}") from None
    return getattr(importlib.import_module(f".{module}", __name__), name)
