"""The module activities: persuader styles, the review scorecard and the orange story."""
import shutil
from pathlib import Path

import pytest

from artisan_course.widgets.activities import (ActivityDataError, OrangeStory, PersuaderSelfAssessment, ReviewScorecard,
                                       load_activity, style_scores)
from artisan_course.documents.journal import journal_html, journal_markdown
from artisan_course.state.session import SESSION
from artisan_course.state.store import Store

REPO = Path(__file__).resolve().parents[1]


pytestmark = pytest.mark.usefixtures("fresh_session")  # see conftest.py


def test_style_scores_average_each_styles_statements():
    data = load_activity("persuader_styles.yaml")
    ratings = [5 if s["style"] == "logic" else 2 for s in data["statements"]]
    scores = style_scores(data, ratings)
    assert scores["logic"] == 5 and scores["emotion"] == 2


def test_the_self_assessment_names_the_strongest_style_and_comes_back(learner_home):
    SESSION.set_learner("Noy")
    activity = PersuaderSelfAssessment()
    activity.show()
    assert "Please rate every statement first (statement 1 is empty)" in activity.result.value
    for widget, statement in zip(activity.ratings, activity.data["statements"]):
        widget.value = 5 if statement["style"] == "emotion" else 1
    activity.show()
    assert "Your strongest persuader: Emotion." in activity.result.value
    assert "Use your team's strengths." in activity.result.value
    SESSION.listeners.clear()
    again = PersuaderSelfAssessment()
    assert "Your strongest persuader: Emotion." in again.result.value
    assert "Preferred persuader style: Emotion." in journal_markdown(Store(learner_home), SESSION.learner)


def test_the_review_scorecard_is_saved_to_the_journal_with_tips(learner_home):
    SESSION.set_learner("Kham")
    card = ReviewScorecard()
    assert len(card.scores) == 10  # the deck's ten review questions
    card.negotiation.value = "Basket order <May>"
    for widget in card.scores.values():
        widget.value = 5
    card.scores["listening"].value = 1
    card.notes["listening"].value = "I spoke too much"
    card.save()
    assert "Saved. Your review: 46 of 50." in card.result.value
    assert "Listen first, then summarise" in card.result.value
    page = journal_html(Store(learner_home), SESSION.learner)
    assert "Review of Basket order &lt;May&gt;: 46 of 50. Notes: listening: I spoke too much." in page


def test_the_orange_story_rewards_asking_why():
    story = OrangeStory()
    story.first.value = "split"
    story.decide_first()
    assert "compromise" in story.first_result.value and story.second_box.layout.display == "none"
    story.first.value = "why"
    story.decide_first()
    assert "wants the peel, to bake a cake" in story.first_result.value
    story.second.value = "parts"
    story.decide_second()
    assert "Everyone gets all of what she needs." in story.second_result.value


def test_the_orange_story_speaks_lao_in_a_lao_deck_around_its_lao_story():
    from artisan_course import i18n
    i18n.use("lo")
    try:
        story = OrangeStory()
        prompt = story.widget.children[0].value
        assert "ທ່ານຈະເຮັດແນວໃດ?" in prompt and "What do you do" not in prompt
        assert story.first_button.description == "ຕັດສິນໃຈ"
        story.first.value = "split"
        story.decide_first()
        assert "<em>ການປະນີປະນອມ</em>" in story.first_result.value and "calls this" not in story.first_result.value
        story.first.value = "why"
        story.decide_first()
        shown = story.first_result.value
        assert "ທ່ານຖາມ, ແລ້ວກໍ່ຮູ້ວ່າ:" in shown and " wants " not in shown and "You ask" not in shown
        assert story.second_box.children[0].value == "<p class='course-q-prompt'>ຕອນນີ້ທ່ານຈະເຮັດແນວໃດ?</p>"
    finally:
        i18n.use("en")


def test_broken_activity_data_names_the_file_and_the_problem(tmp_path, monkeypatch):
    root = tmp_path / "course"
    shutil.copytree(REPO / "data", root / "data")
    (root / "data" / "review_questions.yaml").write_text("scale: [a, b, c]\nquestions: []\n")
    monkeypatch.setenv("ARTISAN_COURSE_ROOT", str(root))
    with pytest.raises(ActivityDataError,
                       match=r"review_questions.yaml: questions: \[\] should be non-empty|too short"):
        load_activity("review_questions.yaml")
