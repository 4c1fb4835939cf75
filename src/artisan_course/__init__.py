"""Warm with the people, tough on business needs.

An interactive course on negotiation, management and communication with
home-based artisans. Notebooks call the one-line helpers exported here, for
example ``course_header("welcome")``.
"""
__version__ = "0.1.0"
__all__ = ["course_header", "course_nav", "course_overview", "journal_download", "quiz", "reflect",
           "show_anchoring_simulator", "show_fairness_simulator", "show_contingency_simulator",
           "show_negotiation_simulator", "show_milestone_planner", "show_agreement_builder",
           "channel_chooser", "conflict_plan_builder", "message_drafting", "listening_practice", "action_plan",
           "persuader_self_assessment", "review_scorecard", "orange_story", "data_path"]


def __getattr__(name):
    # Imported lazily, so the command-line tool and the server start without
    # loading ipywidgets.
    if name == "data_path":
        from . import paths
        return lambda filename: paths.data_dir() / filename
    if name == "quiz":
        from .quizzes.view import quiz
        return quiz
    if name == "show_anchoring_simulator":
        from .simulators.anchoring_view import show_anchoring_simulator
        return show_anchoring_simulator
    if name == "show_fairness_simulator":
        from .simulators.fairness_view import show_fairness_simulator
        return show_fairness_simulator
    if name == "show_contingency_simulator":
        from .simulators.contingency_view import show_contingency_simulator
        return show_contingency_simulator
    if name == "show_negotiation_simulator":
        from .simulators.negotiation_view import show_negotiation_simulator
        return show_negotiation_simulator
    if name == "show_milestone_planner":
        from .simulators.milestone_view import show_milestone_planner
        return show_milestone_planner
    if name == "show_agreement_builder":
        from .simulators.agreement_view import show_agreement_builder
        return show_agreement_builder
    if name in ("channel_chooser", "conflict_plan_builder", "message_drafting", "listening_practice"):
        from . import communication
        return getattr(communication, name)
    if name == "action_plan":
        from .commitments import action_plan  # the module has another name: a submodule called
        # action_plan would shadow the function on the package once imported
        return action_plan
    if name in ("persuader_self_assessment", "review_scorecard", "orange_story"):
        from . import activities
        return getattr(activities, name)
    if name in __all__:
        from . import course_widgets
        return getattr(course_widgets, name)
    raise AttributeError(name)
