"""A learner's progress, read from the store and judged by the one rule in ``models.progress``."""
from __future__ import annotations

from ..content.course_map import CourseMap, Module, load_course_map
from ..content.notebooks import module_calls, module_prompts
from ..models.progress import ModuleProgress, course_complete, progress_from_answers  # noqa: F401 (re-exported)
from .store import Learner, Store


def _bank(module_id: str) -> list:
    """The module's question bank, or none if the module has no quiz."""
    from ..content.quiz_bank import load_bank, quiz_dir
    if not (quiz_dir() / f"{module_id}.yaml").is_file():
        return []
    return load_bank(module_id)


def module_progress(store: Store, learner: Learner, module: Module) -> ModuleProgress:
    answers = store.answers(learner_id=learner.id, module=module.id)
    return progress_from_answers(module, answers, [p.item for p in module_prompts(module)], _bank(module.id),
                                 plan_needed=bool(module_calls(module, "action_plan")))


def course_progress(store: Store, learner: Learner, course: CourseMap | None = None) -> list[ModuleProgress]:
    course = course or load_course_map()
    return [module_progress(store, learner, m) for m in course.modules]
