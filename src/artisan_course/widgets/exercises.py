"""Exercise tasks: widgets with specific feedback, and checks for the optional pandas stretch tasks.

Rules the exercises keep:
- every task can be done with widgets alone;
- numbers and choices get specific feedback, tied to the research the course cites;
- free text gets checklist guidance (questions to ask yourself), never a grade;
- an unanswered task never raises: its check says "not answered yet", so Run All works.
A finished task is saved for the learner (kind "exercise") and counts in their progress. When the form is shown
again (a restarted kernel, a reopened notebook), it fills itself from the learner's last saved answer in this module,
says when that was saved, and shows its feedback again (see :class:`SavedAnswer`).
"""
from __future__ import annotations

import re
from typing import Any, Callable

import ipywidgets as widgets
import pandas as pd
from IPython.display import HTML, display

from ..models.anchoring import extreme_below
from ..models.fairness_rules import RULES, share_profit
from ..state import recorder
from ..text import date_and_clock, escape
from .kit import save_note
from ..state.recorder import Kind
from ..state.session import SESSION
from ..content.tables import load_group, load_products

NOT_ANSWERED = "Not answered yet. Write your answer in the cell above, then run it again."


_e = escape


def _points(title: str, points: list[str], good: bool | None = None) -> str:
    mark = {True: "course-feedback-right", False: "course-feedback-wrong", None: "course-q-prompt"}[good]
    return f"<p class='{mark}'>{_e(title)}</p><ul>" + "".join(f"<li>{_e(p)}</li>" for p in points) + "</ul>"


def _done(module: str, task: str, value, feedback: widgets.HTML | None = None) -> None:
    """Count a finished task in the learner's progress; if the store fails, say so under the feedback."""
    saved = recorder.record(module, task, Kind.EXERCISE, value)
    if not saved.ok and feedback is not None:
        feedback.value += f"<p>{save_note(saved, value)}</p>"


class SavedAnswer:
    """A task form that comes back with the learner's last saved answer.

    ``fields`` names the form's widgets; ``from_saved`` turns a saved value (what the check gave ``_done``) into values
    for those names. When the learner is known (now, or once they give their name) and the form is as it was drawn,
    the last answer they saved for ``item`` in ``module`` fills it, the feedback box says when it was saved, and
    ``recheck`` (the check without saving) shows its feedback again. A form the learner has typed in is never
    overwritten; one still showing another learner's answer (the name was changed) is refilled or emptied.
    """

    def __init__(self, module: str, item: str, fields: dict[str, widgets.Widget], feedback: widgets.HTML,
                 from_saved: Callable[[Any], dict], recheck: Callable[[], None] | None = None, after: str = ""):
        self.module, self.item, self.fields, self.feedback = module, item, fields, feedback
        self.from_saved, self.recheck, self.after = from_saved, recheck, after
        self.drawn = self.values()
        self.shown = self.drawn
        SESSION.on_learner(self.restore)

    def values(self) -> dict:
        return {name: widget.value for name, widget in self.fields.items()}

    def _fill(self, values: dict) -> None:
        for name, value in values.items():
            widget = self.fields.get(name)
            if widget is None:
                continue
            try:
                widget.value = value
            except Exception:  # an answer saved by an older form (an option since renamed): leave the field as drawn
                continue

    def last(self, learner):
        rows = [row for row in recorder.history(self.item, Kind.EXERCISE, learner) if row.module == self.module]
        return rows[-1] if rows else None

    def restore(self, learner) -> None:
        if self.values() not in (self.drawn, self.shown):
            return  # the learner has typed here: keep their words
        saved = self.last(learner)
        self._fill(self.drawn)
        self.feedback.value = ""
        if saved is not None:
            try:
                values = self.from_saved(saved.value)
            except (AttributeError, KeyError, TypeError, ValueError, IndexError):
                values = {}
            self._fill(values)
            if self.recheck is not None and values:
                self.recheck()
            when = date_and_clock(saved.created_at)
            line = f"Your answer saved on {when} is back." if when else "Your saved answer is back."
            if self.after:
                line += " " + self.after
            note = f"<p class='course-status--saved course-restored'>{_e(line)}</p>"
            self.feedback.value = note + self.feedback.value
        self.shown = self.values()


def because_checklist(text: str) -> list[str]:
    """Questions that guide a "because" sentence. Guidance, never a grade."""
    words = re.findall(r"\w+", text.lower())
    points = []
    if "because" not in words:
        points.append("Did you use the word 'because'? People agree more often when they hear a reason.")
    if len(words) < 12:
        points.append("Is the reason specific enough? Say what, when and why in one or two sentences.")
    points.append("Is the reason real? A 'because' with no real reason works for small requests, "
                  "but not for big ones (Langer, Blank & Chanowitz 1978).")
    if not any(w in words for w in ("you", "your", "group", "family", "families", "together")):
        points.append("Does it show what the artisans gain too? Warm with the people, tough on business needs.")
    return points


# -- plan a negotiation (module 02) -------------------------------------------------------
def anchor_feedback(product, first_offer: float, limit: float) -> tuple[bool, list[str]]:
    """Specific feedback on a buyer's first offer and limit for one product."""
    usual, top = product.usual_price, product.buyer_limit
    points, good = [], True
    if first_offer < extreme_below(product):
        share = (usual - first_offer) / usual
        points.append(f"Your anchor is {share:.0%} below the artisans' usual price ({usual:g} USD). Research on "
                      "extreme anchors found that the side with less power, often the artisans, walks away "
                      "(Schweinsberg et al. 2012).")
        good = False
    elif first_offer > top:
        points.append(f"Your first offer is above the most you can pay and still resell at a profit ({top:g} USD): "
                      "you give away money before the talk begins.")
        good = False
    else:
        points.append(f"Your anchor is near or above the artisans' usual price ({usual:g} USD): strong, but "
                      "not insulting.")
    if limit < product.fair_price:
        points.append(f"Your limit is below the made-up fair-price line of {product.fair_price:g} USD. "
                      "The lowest price is not success: a fair price is agreed through dialogue (WFTO).")
        good = False
    if limit < first_offer:
        points.append("Your limit is below your first offer. Your limit is the most you will pay; it should be higher.")
        good = False
    return good, points


def plan_negotiation_task(module: str = "process") -> None:
    """Plan a negotiation: aim, limit, first offer, what you can give, and a reason for each ask."""
    products = load_products()
    product = widgets.Dropdown(options=list(products), description="Product", style={"description_width": "initial"})
    numbers = {key: widgets.BoundedFloatText(value=value, min=0, max=10_000, step=0.5, description=label,
                                             style={"description_width": "initial"})
               for key, label, value in (("aim", "My aim (USD per piece)", 0), ("first", "My first offer (USD)", 0),
                                         ("limit", "My limit (USD)", 0))}
    gives = widgets.Textarea(placeholder="What can you give? For example: an advance payment, a later date, a "
                                         "bigger next order.",
                             layout=widgets.Layout(width="100%"))
    reason = widgets.Textarea(placeholder="Your 'because' for the price you ask.", layout=widgets.Layout(width="100%"))
    button = widgets.Button(description="Check my plan", button_style="primary",
                            layout=widgets.Layout(width="auto", align_self="flex-start"))
    feedback = widgets.HTML()

    def check(_=None, save: bool = True):
        values = {k: w.value for k, w in numbers.items()}
        if not all(values.values()):
            feedback.value = ("<p class='course-warning'>"
                              f"{_e('Please fill in your aim, first offer and limit first.')}</p>")
            return
        chosen = products[product.value]
        good, points = anchor_feedback(chosen, values["first"], values["limit"])
        if not values["first"] <= values["aim"] <= values["limit"]:
            points.append("Put your aim between your first offer and your limit: the first offer leaves room to move.")
            good = False
        guidance = because_checklist(reason.value)
        if not gives.value.strip():
            guidance.insert(0,
                            "What can you give in return? Trade several things; split the price only as a last resort.")
        feedback.value = (_points("Your numbers", points, good) + _points("Questions to check your words", guidance))
        if save:
            _done(module, "plan-negotiation",
                  {"product": chosen.name, **values, "gives": gives.value, "because": reason.value}, feedback)

    button.on_click(check)
    fields = {"product": product, **numbers, "gives": gives, "because": reason}
    SavedAnswer(module, "plan-negotiation", fields, feedback, lambda saved: {key: saved[key] for key in fields},
                recheck=lambda: check(save=False))
    display(widgets.VBox([product, *numbers.values(), gives, reason, button, feedback]))


# -- classify issues (module 04) ------------------------------------------------------------
ISSUE_HINTS = {
    "distributive": ("price", "cost", "discount", "fee"),
    "integrative": ("advance", "payment", "date", "delivery", "deadline", "next order", "volume", "batch", "lead time"),
    "compatible": ("quality", "reputation", "long-term", "relationship", "safety", "on time"),
}


def issue_feedback(issue: str, category: str) -> str:
    text = issue.lower()
    likely = [kind for kind, words in ISSUE_HINTS.items() if any(w in text for w in words)]
    if not likely:
        return f"\"{issue}\": ask why each side cares. Is one side's gain the other's loss, or could you both gain?"
    if category in likely:
        return (f"\"{issue}\": {category} fits how this issue often works. Still ask why: the artisans may see it "
                "differently.")
    return (f"\"{issue}\": you chose {category}. Issues like this are often {likely[0]}. Ask why: does it matter "
            "more to one side (integrative), or do you both want the same thing (compatible)?")


def classify_issues_task(module: str = "contingency-why") -> None:
    """List the issues of a real order and sort each one."""
    rows = [(widgets.Text(placeholder=f"Issue {i + 1}, for example: price per piece"),
             widgets.Dropdown(options=[("choose", None), ("distributive", "distributive"),
                                       ("integrative", "integrative"),
                                       ("compatible", "compatible")], value=None)) for i in range(5)]
    button = widgets.Button(description="Check my sorting", button_style="primary",
                            layout=widgets.Layout(width="auto", align_self="flex-start"))
    feedback = widgets.HTML()

    def check(_=None, save: bool = True):
        pairs = [(t.value.strip(), d.value) for t, d in rows if t.value.strip()]
        if not pairs or any(category is None for _, category in pairs):
            feedback.value = "<p class='course-warning'>Write at least one issue and choose a type for each.</p>"
            return
        points = [issue_feedback(issue, category) for issue, category in pairs]
        kinds = {c for _, c in pairs}
        if "integrative" not in kinds:
            points.append("No integrative issue yet. Start with one: it makes the deal bigger before you talk "
                          "about price.")
        if "compatible" not in kinds:
            points.append("Negotiators often miss compatible interests (Thompson & Hrebec 1996). What do "
                          "you both want?")
        feedback.value = _points("Feedback on your issues", points)
        if save:
            _done(module, "classify-issues", [{"issue": i, "type": c} for i, c in pairs], feedback)

    def from_saved(saved) -> dict:
        values = {}
        for i, row in enumerate(saved[:len(rows)]):
            values[f"issue {i}"], values[f"type {i}"] = row["issue"], row["type"]
        return values

    button.on_click(check)
    fields = {name: widget for i, (t, d) in enumerate(rows) for name, widget in ((f"issue {i}", t), (f"type {i}", d))}
    SavedAnswer(module, "classify-issues", fields, feedback, from_saved, recheck=lambda: check(save=False))
    display(widgets.VBox([widgets.HBox([t, d]) for t, d in rows] + [button, feedback]))


# -- contingency clause (module 04) ------------------------------------------------------------
def contingency_task(module: str = "contingency-why", pieces: int = 300, bonus: float = 2.0) -> None:
    """Work out what a contingency clause pays, then write the clause."""
    answer = widgets.Text(placeholder="Extra paid in USD")
    clause = widgets.Textarea(placeholder="Write the clause: the date, the bonus or deduction per piece, and how "
                                          "delivery is checked.",
                              layout=widgets.Layout(width="100%"))
    button = widgets.Button(description="Check", button_style="primary",
                            layout=widgets.Layout(width="auto", align_self="flex-start"))
    feedback = widgets.HTML()
    prompt = widgets.HTML(f"<p class='course-q-prompt'>A group delivers all {pieces} pieces before the target date. "
                          f"The clause pays {bonus:g} USD extra per piece. How much extra does the group receive?</p>")

    def check(_=None, save: bool = True):
        text = answer.value.strip().replace(",", "").replace("$", "").replace("USD", "").strip()
        if not text:
            feedback.value = "<p class='course-warning'>Type a number first.</p>"
            return
        try:
            value = float(text)
        except ValueError:
            feedback.value = f"<p class='course-warning'>'{_e(answer.value)}' is not a number. Type digits only.</p>"
            return
        right = pieces * bonus
        if abs(value - right) < 0.005:
            result = _points("Right", [f"{pieces} pieces × {bonus:g} USD = {right:,.0f} USD."], True)
        elif abs(value - bonus) < 0.005 or abs(value - pieces) < 0.005:
            result = _points("Not quite", ["Multiply the bonus per piece by the number of pieces."], False)
        else:
            side = "low" if value < right else "high"
            result = _points("Not quite",
                             [f"Your answer is too {side}. The bonus is paid on every piece delivered on time."], False)
        guidance = [] if clause.value.strip() else ["Write the clause too."]
        words = clause.value.lower()
        if clause.value.strip():
            if not re.search(r"\d", words):
                guidance.append("Does the clause give a date and an amount? Numbers make it clear to everyone.")
            if "check" not in words and "count" not in words:
                guidance.append("How will you check the delivery date and the pieces? Write it down.")
            guidance.append("Would you sign this clause if you were the artisan? Is the deduction, if any, fair and "
                            "agreed in advance?")
        feedback.value = result + (_points("Questions to check your clause", guidance) if guidance else "")
        if save:
            _done(module, "contingency-clause", {"answer": value, "clause": clause.value}, feedback)

    button.on_click(check)
    SavedAnswer(module, "contingency-clause", {"answer": answer, "clause": clause}, feedback,
                lambda saved: {"answer": f"{float(saved['answer']):g}", "clause": saved["clause"]},
                recheck=lambda: check(save=False))
    display(widgets.VBox([prompt, answer, clause, button, feedback]))


# -- fairness rule (module 05) ---------------------------------------------------------------------
def fairness_rule_task(module: str = "fairness-culture", total: float = 1000.0) -> None:
    """Choose a fairness rule for the made-up group, and justify it."""
    rule = widgets.Dropdown(options=[("choose a rule", None)] + [(label, key) for key, label in RULES.items()],
                            value=None,
                            layout=widgets.Layout(width="100%"))
    why = widgets.Textarea(placeholder="Why is this rule fair for this group? Use 'because'.",
                           layout=widgets.Layout(width="100%"))
    button = widgets.Button(description="Check my choice", button_style="primary",
                            layout=widgets.Layout(width="auto", align_self="flex-start"))
    feedback = widgets.HTML()

    def check(_=None, save: bool = True):
        if rule.value is None:
            feedback.value = "<p class='course-warning'>Choose a rule first.</p>"
            return
        result = share_profit(load_group(), total, {rule.value: 1.0})
        shares = result.shares.set_index("name")[rule.value]
        top, bottom = shares.idxmax(), shares.idxmin()
        goal = {"equality": "good relationships", "needs": "welfare"}.get(rule.value, "productivity")
        points = [f"Under this rule, {top} gets the most ({shares.max():,.2f} USD) and {bottom} the least "
                  f"({shares.min():,.2f} USD).",
                  f"Deutsch (1975) links this kind of rule to {goal}. Is that the goal of this group?",
                  "Leung & Bond (1984): inside their own group, collectivist members often prefer equality."]
        feedback.value = _points("What your rule does", points) + _points("Questions to check your reason",
                                                                          because_checklist(why.value))
        if save:
            _done(module, "fairness-rule", {"rule": rule.value, "why": why.value}, feedback)

    button.on_click(check)
    SavedAnswer(module, "fairness-rule", {"rule": rule, "why": why}, feedback,
                lambda saved: {"rule": saved["rule"], "why": saved["why"]}, recheck=lambda: check(save=False))
    display(widgets.VBox([rule, why, button, feedback]))


# -- pandas stretch checks ---------------------------------------------------------------------------
def check_piece_shares(answer, total: float = 1000.0) -> None:
    """Stretch (module 05): each member's share of ``total`` by pieces made, as a pandas Series."""
    if answer is None:
        display(HTML(f"<p class='course-warning'>{NOT_ANSWERED}</p>"))
        return
    group = load_group()
    expected = group["pieces"] / group["pieces"].sum() * total
    try:
        values = pd.Series(answer).astype(float).reset_index(drop=True)
    except (TypeError, ValueError):
        display(HTML("<p class='course-warning'>Your answer should be a list or Series of numbers, one "
                     "per member.</p>"))
        return
    if len(values) != len(expected):
        display(HTML(f"<p class='course-warning'>Your answer has {len(values)} numbers; the group has {len(expected)} "
                     "members.</p>"))
    elif (values - expected).abs().max() <= 0.01:
        display(HTML("<p class='course-feedback-right'>Right: each share is pieces ÷ all pieces × the total.</p>"))
    else:
        display(HTML("<p class='course-feedback-wrong'>Not quite. Divide each member's pieces by the group's "
                     "total pieces, then multiply by the profit.</p>"))


def _check_product_series(answer, expected: pd.Series, tolerance: float, right: str, wrong: str) -> None:
    """Shared by the stretch tasks whose answer is one number per product, indexed by product name."""
    if answer is None:
        display(HTML(f"<p class='course-warning'>{NOT_ANSWERED}</p>"))
        return
    try:
        values = pd.Series(answer).astype(float)
    except (TypeError, ValueError):
        display(HTML("<p class='course-warning'>Your answer should be a Series of numbers, one per product.</p>"))
        return
    if set(values.index) != set(expected.index):
        display(HTML("<p class='course-warning'>Use the product names as the index, as in data/products.csv.</p>"))
    elif (values.sort_index() - expected.sort_index()).abs().max() <= tolerance:
        display(HTML(f"<p class='course-feedback-right'>{right}</p>"))
    else:
        display(HTML(f"<p class='course-feedback-wrong'>{wrong}</p>"))


def check_anchor_gaps(answer) -> None:
    """Stretch (module 03): for each product, how far a first offer at the artisans' cost is below their usual price,
    as a share."""
    products = load_products()
    expected = pd.Series({name: (p.usual_price - p.cost) / p.usual_price for name, p in products.items()})
    _check_product_series(answer, expected, 0.001,
                          "Right. An offer at the artisans' cost is 20% below their usual price: past the 15% the "
                          "simulator calls extreme. It leaves them no margin, so expect trust to fall.",
                          "Not quite. Compute (usual_price − cost) ÷ usual_price for each product.")

# -- warm and tough (module 01) ----------------------------------------------------------------
WARM_WORDS = ("thank", "family", "families", "children", "harvest", "health", "proud", "skill", "appreciate",
              "grateful")
THREAT_WORDS = ("other supplier", "another supplier", "or else", "cancel", "never order")


def warm_tough_feedback(warm: str, tough: str) -> list[str]:
    """Checklist guidance on a message that should be warm with the people and tough on business needs."""
    points = []
    text = warm.lower()
    if not any(word in text for word in WARM_WORDS):
        points.append("Warm: does your opening show care for the person? Thank them, or ask about their family "
                      "or their work.")
    firm = tough.lower()
    if not re.search(r"\d", firm):
        points.append("Tough: is the business need exact? Give the number: the size, the date, the price.")
    if "because" not in firm:
        points.append("Tough: did you give the reason? 'Because' helps people accept a firm request.")
    if any(word in firm for word in THREAT_WORDS):
        points.append("Threat: mention other suppliers only if they really exist, and say it calmly.")
    points.append("Would the group leader feel respected reading this? Would they know exactly what is fixed?")
    return points


def warm_tough_task(module: str = "people-persuaders") -> None:
    """Draft a message that is warm with the people and tough on business needs."""
    situation = widgets.HTML("<p class='course-q-prompt'>A basket group delivered 200 baskets. 30 have loose handles. "
                             "The agreed standard is fixed. Write your message to the group leader. (A "
                             "made-up case.)</p>")
    warm = widgets.Textarea(placeholder="The warm part: how you open.", layout=widgets.Layout(width="100%"))
    tough = widgets.Textarea(placeholder="The tough part: what must be fixed, by when, and why.",
                             layout=widgets.Layout(width="100%"))
    button = widgets.Button(description="Check my message", button_style="primary",
                            layout=widgets.Layout(width="auto", align_self="flex-start"))
    feedback = widgets.HTML()

    def check(_=None, save: bool = True):
        if not warm.value.strip() or not tough.value.strip():
            feedback.value = "<p class='course-warning'>Write both parts first.</p>"
            return
        feedback.value = _points("Questions to check your message", warm_tough_feedback(warm.value, tough.value))
        if save:
            _done(module, "warm-tough-message", {"warm": warm.value, "tough": tough.value}, feedback)

    button.on_click(check)
    SavedAnswer(module, "warm-tough-message", {"warm": warm, "tough": tough}, feedback,
                lambda saved: {"warm": saved["warm"], "tough": saved["tough"]}, recheck=lambda: check(save=False))
    display(widgets.VBox([situation, warm, tough, button, feedback]))


def check_style_profile(answer) -> None:
    """Stretch (module 01): a Series of the learner's score (1-5) per persuader style."""
    if answer is None:
        display(HTML(f"<p class='course-warning'>{NOT_ANSWERED}</p>"))
        return
    styles = {"emotion": "free", "logic": "free", "threat": "free", "bargain": "costly"}
    try:
        values = pd.Series(answer).astype(float)
    except (TypeError, ValueError):
        display(HTML("<p class='course-warning'>Your answer should be a Series of numbers from 1 to 5.</p>"))
        return
    if set(values.index) != set(styles):
        display(HTML("<p class='course-warning'>Use these four names as the index: emotion, logic, threat, "
                     "bargain.</p>"))
        return
    if not values.between(1, 5).all():
        display(HTML("<p class='course-warning'>Each score is from 1 to 5.</p>"))
        return
    top = values.idxmax()
    cost = ("costs you something: trade several things before you split one" if styles[top] == "costly"
            else "is free to use")
    display(HTML(f"<p class='course-feedback-right'>Your strongest style is {top}. It {cost}.</p>"))


def check_zone_middles(answer) -> None:
    """Stretch (module 02): per product, the middle between the fair-price line and the buyer's limit."""
    products = load_products()
    expected = pd.Series({name: (p.fair_price + p.buyer_limit) / 2 for name, p in products.items()})
    _check_product_series(answer, expected, 0.005,
                          "Right. A price near this middle is fair to the artisans and still leaves you a margin.",
                          "Not quite. Add fair_price and buyer_limit, then divide by 2.")

def check_contingency_table(answer, pieces: int = 300, price: float = 10.0, bonus: float = 2.0,
                            deduction: float = 2.0) -> None:
    """Stretch (module 04): a DataFrame with the total paid for early, on-time and late delivery."""
    if answer is None:
        display(HTML(f"<p class='course-warning'>{NOT_ANSWERED}</p>"))
        return
    expected = {"early": pieces * (price + bonus), "on time": pieces * price, "late": pieces * (price - deduction)}
    try:
        totals = pd.DataFrame(answer)["total"].astype(float)
    except (KeyError, TypeError, ValueError):
        display(HTML("<p class='course-warning'>Make a DataFrame with a 'total' column and the rows "
                     "'early', 'on time' and 'late'.</p>"))
        return
    if set(totals.index) != set(expected):
        display(HTML("<p class='course-warning'>Use 'early', 'on time' and 'late' as the row names (the index).</p>"))
    elif all(abs(totals[k] - v) < 0.005 for k, v in expected.items()):
        display(HTML(f"<p class='course-feedback-right'>Right: {expected['early']:,.0f}, {expected['on time']:,.0f} "
                     f"and {expected['late']:,.0f} USD. The clause moves {pieces * bonus:,.0f} USD each way.</p>"))
    else:
        display(HTML("<p class='course-feedback-wrong'>Not quite. Total = pieces × (price + bonus), pieces × price, "
                     "or pieces × (price − deduction).</p>"))


# == modules 06 (management) and 07 (communication) ====================================================
import datetime as _dt  # noqa: E402


def _warn(text: str) -> str:
    return f"<p class='course-warning'>{_e(text)}</p>"


def _has(text: str, words) -> bool:
    """Does the text use one of the words (or a word starting with it: "worr" finds "worried")?"""
    lower = text.lower().replace("’", "'")
    return any(re.search(r"(?<!\w)" + re.escape(w), lower) for w in words)


# -- order agreement (module 06) ---------------------------------------------------------------------
AGREEMENT_PARTS = (
    ("order", "The order", "Product and number of pieces, for example: 300 cushion covers"),
    ("specification", "Product specification", "Size, colours, materials. Which photo or sample shows it?"),
    ("quality", "Quality standard", "What is accepted, what is not, and how you will check it"),
    ("price", "Price", "USD per piece, and what the price includes"),
    ("payment", "Payment", "How much is paid in advance, and when the rest is paid"),
    ("delivery", "Delivery time", "The date, or a date for each batch"),
    ("problems", "If something goes wrong", "What happens if pieces are late or below the standard"),
)
AGREEMENT_CONFIRM = (("choose", None), ("signed on paper by both sides", "signed"),
                     ("an audio or video recording of their understanding", "recorded"),
                     ("a spoken promise only", "spoken"), ("not decided yet", "undecided"))
WHY_PART = {
    "specification": "Product specification: write it down, with a picture sample. A photo shows more than words, in "
                     "any language.",
    "quality": "Quality standard: say what is accepted and what is not, so nobody is surprised at delivery.",
    "price": "Price: write the price per piece, so both sides remember the same number.",
    "payment": ("Payment: agree how much is paid in advance, and when the rest is paid. The artisans often buy "
                "materials first. On request, the WFTO's fair trade principles ask for at least 50% pre-payment for "
                "crafts, free of interest."),
    "delivery": "Delivery time: write the date. A date both sides wrote down is easier to follow.",
    "problems": "If something goes wrong: agree it now, while everyone is calm, not after a late delivery.",
}


def agreement_feedback(parts: dict, confirm: str | None) -> tuple[int, list[str]]:
    """How many parts of an order agreement are written, and guidance on the missing or vague ones."""
    filled = {key: str(parts.get(key, "")).strip() for key, _, _ in AGREEMENT_PARTS}
    count = sum(1 for value in filled.values() if value)
    points = [WHY_PART[key] for key, value in filled.items() if key in WHY_PART and not value]
    if filled["specification"] and not _has(filled["specification"],
                                            ("photo", "picture", "sample", "image", "drawing")):
        points.append("Product specification: add a picture sample or a photo. It shows more than words, in "
                      "any language.")
    if filled["price"] and not re.search(r"\d", filled["price"]):
        points.append("Price: write the number, for example '10 USD per piece'.")
    if filled["delivery"] and not re.search(r"\d", filled["delivery"]):
        points.append("Delivery time: write a date, for example '30 June'. 'Soon' means different things to "
                      "different people.")
    if filled["quality"] and not _has(filled["quality"], ("check", "count", "inspect", "measure", "look")):
        points.append("Quality standard: how, and by whom, will the pieces be checked?")
    advance = ("advance", "before", "first", "deposit", "pre-pay", "prepay")
    if filled["payment"] and "%" not in filled["payment"] and not _has(filled["payment"], advance):
        points.append("Payment: did you agree an advance? On request, the WFTO's fair trade principles ask "
                      "for at least 50% pre-payment for crafts, free of interest.")
    confirm_points = {
        "signed": "Signed by both sides: good. People keep more closely to what they clearly agreed to.",
        "recorded": "A recording of their understanding: good, when a signature is not possible. Keep it safe, "
                    "and date it.",
        "spoken": "A spoken promise is easy to remember differently. If they cannot sign, record their understanding "
                  "by audio or video.",
    }
    points.append(confirm_points.get(confirm,
                                     "How will both sides confirm the agreement? Signed, or recorded by "
                                     "audio or video."))
    return count, points


def agreement_parts_task(module: str = "management") -> None:
    """Draft the agreement of a real order, part by part; the feedback names the parts still missing."""
    prompt = widgets.HTML("<p class='course-q-prompt'>Think of a real order, now or soon. Write each part of "
                          "its agreement in a few words. Leave a part empty if it is not agreed yet.</p>")
    fields = {key: widgets.Text(placeholder=hint, layout=widgets.Layout(width="100%"))
              for key, _, hint in AGREEMENT_PARTS}
    confirm = widgets.Dropdown(options=AGREEMENT_CONFIRM, value=None, layout=widgets.Layout(width="100%"))
    button = widgets.Button(description="Check my agreement", button_style="primary",
                            layout=widgets.Layout(width="auto", align_self="flex-start"))
    feedback = widgets.HTML()

    def check(_=None, save: bool = True):
        if not fields["order"].value.strip():
            feedback.value = _warn("Write the order first: the product and the number of pieces.")
            return
        count, points = agreement_feedback({k: w.value for k, w in fields.items()}, confirm.value)
        title = f"You have written {count} of {len(AGREEMENT_PARTS)} parts"
        complete = count == len(AGREEMENT_PARTS) and confirm.value in ("signed", "recorded")
        feedback.value = _points(title, points, True if complete else None)
        if save:
            parts = {k: w.value for k, w in fields.items()}
            _done(module, "order-agreement-parts", {**parts, "confirm": confirm.value, "parts_written": count},
                  feedback)

    button.on_click(check)
    SavedAnswer(module, "order-agreement-parts", {**fields, "confirm": confirm}, feedback,
                lambda saved: {key: saved[key] for key in [*fields, "confirm"] if key in saved},
                recheck=lambda: check(save=False))
    rows = [widgets.VBox([widgets.HTML(f"<b>{_e(label)}</b>"), fields[key]]) for key, label, _ in AGREEMENT_PARTS]
    display(widgets.VBox([prompt, *rows, widgets.HTML("<b>How will both sides confirm it?</b>"), confirm, button,
                          feedback]))


# -- milestones and check-ins (module 06) ---------------------------------------------------------------
CHECK_IN_BETWEEN = (("choose", None), ("every week", "weekly"), ("every two weeks", "two weeks"),
                    ("only at the check-ins of the plan", "plan only"))


# The exercise opens the planner with this order name; "Order" is the planner's name for an empty one.
UNNAMED_ORDERS = ("My order", "Order", "")


def _long(day: str) -> str:
    value = _dt.date.fromisoformat(day)
    return f"{value.day} {value:%B %Y}"


def is_example_plan(plan: dict) -> bool:
    """True while the planner still shows its own example numbers, not the trainee's order."""
    from ..models.milestones import PlanInput
    example, settings = PlanInput(), plan.get("settings", {})
    return all(settings.get(key) == getattr(example, key) for key in ("quantity", "per_artisan_per_day", "artisans"))


def milestone_plan_feedback(plan: dict, between: str | None, questions: str) -> tuple[bool, list[str]]:
    """Feedback on a plan from the milestone planner (its hand-off value) and the trainee's check-in answers."""
    settings = plan["settings"]
    deadline, finish, buffer = settings["deadline"], plan["finish"], int(settings.get("buffer_days", 0))
    spare = (_dt.date.fromisoformat(deadline) - _dt.date.fromisoformat(finish)).days
    count = len(plan["milestones"])
    modes = [c["mode"] for c in plan["checkins"]]
    good = plan["status"] == "on time"
    if plan["status"] == "late":
        points = [f"Your plan ends on {_long(finish)}: {-spare} days after the deadline ({_long(deadline)}). "
                  "Try one of the fixes the planner shows. When you ask for a later date or fewer pieces, give "
                  "your reason."]
    elif plan["status"] == "tight":
        points = [f"Your plan ends {spare} days before the deadline, inside your buffer of {buffer} days. "
                  "One delay and the order is late: plan a longer lead time."]
    elif spare < 7:
        good = False
        points = [f"Your plan ends only {spare} days before the deadline, and you kept no buffer days. Rain, "
                  "illness or a festival can take a week: plan a longer lead time."]
    else:
        points = [f"On time: your plan ends {spare} days before the deadline ({_long(deadline)})."
                  + (f" Your buffer of {buffer} days is kept." if buffer else "")]
    if count == 1:
        points.append("One batch means you check only at the end. Break the order into 3-4 milestones, so "
                      "your feedback can improve the next batch.")
    elif count == 2:
        points.append("Two batches is a start. 3-4 milestones give more chances to check and give feedback.")
    elif count > 4:
        points.append(f"{count} milestones make a long plan. Is each check worth the time? 3-4 are often enough.")
    if "in person" not in modes:
        points.append("None of your check-ins is in person. Can you visit once, at the first batch? The first check "
                      "sets the standard for the whole order.")
    if modes and all(m == "producer lead" for m in modes):
        points.append("The producer lead does every check-in. Agree what she tells you, and when: pieces done, "
                      "problems, and photos if possible.")
    if between is None:
        points.append("Choose how often you will be in contact between the check-ins.")
    elif between == "plan only":
        points.append("Between the check-ins, a short call or message every week or two finds problems early, "
                      "while they are still small.")
    if settings.get("order", "").strip() in UNNAMED_ORDERS:
        points.append("Give the plan the name of your order in the planner: the calendar file and your journal use it.")
    text = questions.strip()
    if not text:
        points.append("Write what you will ask at each check-in.")
    else:
        if not _has(text, ("photo", "picture", "show", "see", "video")):
            points.append("Will you see the pieces? Ask them to show the pieces, or send photos, when you "
                          "cannot visit.")
        if not _has(text, ("problem", "difficult", "hard", "help", "need", "worr")):
            points.append("Ask about problems too: 'What is difficult? What do you need from us?'")
    return good, points


def milestone_plan_task(module: str = "management") -> None:
    """Check the plan made in the milestone planner above it, and plan what to ask at each check-in."""
    from ..state import handoff
    between = widgets.Dropdown(options=CHECK_IN_BETWEEN, value=None, layout=widgets.Layout(width="100%"))
    questions = widgets.Textarea(placeholder="What will you ask at each check-in? For example: How many "
                                             "pieces are done? Can you show me two pieces? What is difficult?",
                                 layout=widgets.Layout(width="100%", height="6em"))
    button = widgets.Button(description="Check my plan", button_style="primary",
                            layout=widgets.Layout(width="auto", align_self="flex-start"))
    feedback = widgets.HTML()

    def check(_=None, save: bool = True):
        plan = handoff.latest(handoff.PLAN)
        if plan is None:
            feedback.value = _warn("Make your plan in the planner above first.")
            return
        if is_example_plan(plan):
            settings = plan["settings"]
            feedback.value = _warn(f"The planner still shows the example ({settings['quantity']} pieces, "
                                   f"{settings['artisans']} artisans). Change the numbers to your own order, then "
                                   "check again.")
            return
        good, points = milestone_plan_feedback(plan, between.value, questions.value)
        feedback.value = _points(f"Your plan: {plan['settings'].get('order', 'Order')}", points, good)
        if save:
            _done(module, "milestone-plan-check", {
                "order": plan["settings"].get("order"), "quantity": plan["settings"]["quantity"],
                "deadline": plan["settings"]["deadline"], "finish": plan["finish"], "status": plan["status"],
                "milestones": len(plan["milestones"]), "checkin_modes": [c["mode"] for c in plan["checkins"]],
                "between": between.value, "questions": questions.value}, feedback)

    button.on_click(check)
    # The check reads the planner above, which starts again from its example: no feedback until the learner checks.
    SavedAnswer(module, "milestone-plan-check", {"between": between, "questions": questions}, feedback,
                lambda saved: {"between": saved["between"], "questions": saved["questions"]},
                after="Put your order in the planner above again, then check it.")
    display(widgets.VBox([widgets.HTML("<b>Between the check-ins, how often will you be in contact?</b>"), between,
                          widgets.HTML("<b>What will you ask at each check-in?</b>"), questions, button, feedback]))


def check_batch_plan(answer, pieces: int = 240, deadline: str = "2027-06-30") -> None:
    """Stretch (module 06): a DataFrame of batches ('pieces', 'due') that adds up to the order and keeps its dates in
    order."""
    if answer is None:
        display(HTML(f"<p class='course-warning'>{NOT_ANSWERED}</p>"))
        return
    display(HTML(batch_plan_feedback(answer, pieces, deadline)))


def _read_date(value):
    """A date as a Timestamp, or NaT if it cannot be read (one value at a time, so pandas prints no warning)."""
    try:
        return pd.Timestamp(value)
    except (TypeError, ValueError, OverflowError):
        return pd.NaT


def batch_plan_feedback(answer, pieces: int, deadline: str) -> str:
    """HTML: each mistake in a batch plan, in a kind sentence; or 'Right' with a summary."""
    try:
        table = pd.DataFrame(answer)
    except (TypeError, ValueError):
        table = None
    if table is None or not {"pieces", "due"} <= set(table.columns):
        return _warn("Make a DataFrame with one row per batch and two columns: 'pieces' and 'due'.")
    if table.empty:
        return _warn("Your table has no rows yet. Add one row per batch.")
    last_day = pd.Timestamp(deadline)
    default_index = isinstance(table.index, pd.RangeIndex) and table.index.start == 0 and table.index.step == 1
    names = [f"Batch {i + 1}" if default_index else f"Row '{n}'" for i, n in enumerate(table.index)]
    mistakes = []
    counts = pd.to_numeric(table["pieces"], errors="coerce")
    bad_counts = False
    for name, value, raw in zip(names, counts, table["pieces"]):
        if pd.isna(value) or value <= 0 or value != int(value):
            bad_counts = True
            mistakes.append(f"{name}: the pieces should be a whole number above 0, not {raw!r}.")
    if not bad_counts and counts.sum() != pieces:
        gap = int(pieces - counts.sum())
        plural = "piece" if abs(gap) == 1 else "pieces"
        mistakes.append(f"Your batches add up to {int(counts.sum())} pieces, but the order has {pieces}. "
                        + (f"Add {gap} {plural} to a batch." if gap > 0 else f"Take {-gap} {plural} away."))
    dates = pd.Series([_read_date(value) for value in table["due"]], index=table.index)
    for name, value, raw in zip(names, dates, table["due"]):
        if pd.isna(value):
            mistakes.append(f"{name}: I could not read {raw!r} as a date. Write it like '2027-05-15'.")
    if not dates.isna().any():
        for (before, first), (name, second) in zip(list(zip(names, dates))[:-1], list(zip(names, dates))[1:]):
            if second <= first:
                mistakes.append(f"{name} is due on {second:%d %B}, not after {before[0].lower() + before[1:]} "
                                f"({first:%d %B}). "
                                "Put the dates in order: finish a batch, check it, then the next one.")
        if dates.max() > last_day:
            mistakes.append(f"The last batch is due on {dates.max():%d %B %Y}, after the deadline "
                            f"({last_day:%d %B %Y}). Move it earlier, or agree a later deadline.")
    if mistakes:
        return _points("Almost there. Please look at these points", mistakes, False)
    spare = (last_day - dates.max()).days
    count = f"{len(table)} batch" + ("" if len(table) == 1 else "es")
    when = "on the deadline day" if spare == 0 else f"{spare} day{'' if spare == 1 else 's'} before the deadline"
    text = f"Right: {count}, {pieces} pieces, the dates in order, and the last batch due {when}."
    if len(table) < 3:
        text += " With fewer than 3 batches there are few chances to give feedback: 3-4 milestones often work better."
    return f"<p class='course-feedback-right'>{_e(text)}</p>"


# -- conflict plan (module 07) -------------------------------------------------------------------------
CONFLICT_STEPS = (
    (("listen", "ask", "hear", "why", "understand"),
     "Does a step listen first and ask why? Listen for the whole meaning, and for the feelings too (Rogers & "
     "Farson 1957)."),
    (("agreement", "record", "written", "document", "contract", "notes", "photo", "paper"),
     "Does a step look at what was written or recorded? That is one reason to document every agreement."),
    (("meet", "visit", "call", "in person", "private", "face"),
     "Does a step say how you talk? In person or by video call is better than a chat message for a dispute."),
    (("manager", "decide", "decision", "option", "solution", "offer", "propose", "boss"),
     "Who decides if you cannot agree, and by when? Name the person, for example your manager."),
    (("thank", "write down", "confirm", "follow", "check again", "record what"),
     "Does the last step write down what you agreed, and thank them? A simple 'thank you' goes a long way."),
)
CONFLICT_SHARED = (("choose", None), ("only me", "me"), ("my team that works with artisans", "team"),
                   ("every employee who works with artisans", "all"))


def conflict_plan_feedback(steps: list[str], shared: str | None) -> list[str]:
    """Checklist guidance on the steps of a conflict plan. Guidance, never a grade."""
    written = [s.strip() for s in steps if s.strip()]
    text = " ".join(written)
    points = [question for words, question in CONFLICT_STEPS if not _has(text, words)]
    if len(written) < 3:
        points.append("Three to five short steps are easier to follow than one or two. What happens first, next, last?")
    if shared != "all":
        points.append("Who knows the plan? The rule is to tell every employee who works with artisans, so everyone "
                      "follows the same steps.")
    points.append("Would the artisans feel respected if you followed this plan? Would it keep the business "
                  "terms clear?")
    return points


def conflict_plan_task(module: str = "communication") -> None:
    """Write the steps your team follows to resolve a conflict with artisans."""
    situation = widgets.HTML("<p class='course-q-prompt'>A group leader says you promised 12 USD per piece. Your "
                             "colleague wrote 10 USD in the order. The group is upset. (A made-up case.) Write the "
                             "steps your team will follow in a conflict like this, in order.</p>")
    steps = [widgets.Text(placeholder=f"Step {i + 1}"
                          + (", for example: meet the leader in person and listen first" if i == 0 else ""),
                          layout=widgets.Layout(width="100%")) for i in range(5)]
    shared = widgets.Dropdown(options=CONFLICT_SHARED, value=None, description="Who will know the plan?",
                              style={"description_width": "initial"})
    button = widgets.Button(description="Check my plan", button_style="primary",
                            layout=widgets.Layout(width="auto", align_self="flex-start"))
    feedback = widgets.HTML()

    def check(_=None, save: bool = True):
        written = [w.value.strip() for w in steps if w.value.strip()]
        if not written:
            feedback.value = _warn("Write at least one step first.")
            return
        feedback.value = _points("Questions to check your plan", conflict_plan_feedback(written, shared.value))
        if save:
            _done(module, "conflict-plan-steps", {"steps": written, "shared_with": shared.value}, feedback)

    def from_saved(saved) -> dict:
        values = {f"step {i}": text for i, text in enumerate(saved["steps"][:len(steps)])}
        values["shared"] = saved["shared_with"]
        return values

    button.on_click(check)
    SavedAnswer(module, "conflict-plan-steps", {**{f"step {i}": w for i, w in enumerate(steps)}, "shared": shared},
                feedback, from_saved, recheck=lambda: check(save=False))
    display(widgets.VBox([situation, *steps, shared, button, feedback]))


# -- summarise back (module 07) ------------------------------------------------------------------------
SUMMARY_STATEMENT = ("We like your new cushion design, and we want to keep working with you. But the new design has "
                     "three colours, not two, so each cover takes us one more day. At the old price, we earn less than "
                     "before for a week of work, and some women are unhappy. Can we talk about the price? Or can we "
                     "make the new design for only half of the order?")
SUMMARY_POINTS = (
    ("that they like the new design and want to keep working with you",
     ("like the", "like your", "like our", "like my", "keep working", "happy with", "want to work", "enjoy")),
    ("that the new design has three colours, so each cover takes one more day",
     ("three", "3", "colour", "color", "one more day", "extra day", "longer", "more time", "more work")),
    ("that at the old price they earn less, and some women are unhappy",
     ("earn less", "less money", "earn", "income", "old price", "unhappy", "not happy")),
    ("their two requests: talk about the price, or the new design for half of the order",
     ("talk about the price", "discuss the price", "new price", "higher price", "change the price", "pay more",
      "half")),
)
SOLVING_WORDS = ("should", "must", "have to", "need to", "don't worry", "do not worry", "no problem")


def summary_feedback(summary: str) -> tuple[list[str], list[str]]:
    """What a summary caught and what it may have missed, plus guidance on how it checks back. Guidance, never a
    grade."""
    caught = [label for label, words in SUMMARY_POINTS if _has(summary, words)]
    questions = [f"Did you say back {label}?" for label, words in SUMMARY_POINTS if not _has(summary, words)]
    if "?" not in summary:
        questions.append("Did you end with a question, for example 'Did I understand you right?' If they say no, "
                         "ask them to say the key points again, then summarise again.")
    if _has(summary, SOLVING_WORDS):
        questions.append("A summary only says back what you heard. Did you add advice or a solution? Keep "
                         "it for later, after they agree your summary is right.")
    sentences = [s for s in re.split(r"[.!?]+", summary) if s.strip()]
    if sentences and len(re.findall(r"\w+", summary)) / len(sentences) > 20:
        questions.append("Are your sentences short? Short sentences and plain words help when you speak a "
                         "second language.")
    if not _has(summary, ("feel", "afraid", "fear", "worr", "upset", "sad", "unhappy", "not happy")):
        questions.append("Did you name the feeling you heard? Respond to the feelings, not only the facts (Rogers & "
                         "Farson 1957).")
    return caught, questions


def summarise_back_task(module: str = "communication") -> None:
    """Practise listening: read what a group leader says, then summarise it back in your own words."""
    statement = widgets.HTML("<p class='course-q-prompt'>The leader of an embroidery group tells you (a "
                             f"made-up case):</p><blockquote>{_e(SUMMARY_STATEMENT)}</blockquote>"
                             "<p class='course-q-prompt'>Summarise back what you understood, in your own words. "
                             "Start with: 'So, what I hear is ...'</p>")
    summary = widgets.Textarea(placeholder="So, what I hear is ...", layout=widgets.Layout(width="100%", height="7em"))
    button = widgets.Button(description="Check my summary", button_style="primary",
                            layout=widgets.Layout(width="auto", align_self="flex-start"))
    feedback = widgets.HTML()

    def check(_=None, save: bool = True):
        if len(re.findall(r"\w+", summary.value)) < 5:
            feedback.value = _warn("Write your summary first: two or three short sentences.")
            return
        caught, questions = summary_feedback(summary.value)
        parts = [_points("You said back", [label[0].upper() + label[1:] + "." for label in caught],
                         True)] if caught else []
        parts.append(_points("Questions to check your summary", questions
                             or ["Would the leader say 'Yes, that is it'?"]))
        feedback.value = "".join(parts)
        if save:
            _done(module, "summarise-back", {"summary": summary.value, "points_caught": len(caught)}, feedback)

    button.on_click(check)
    SavedAnswer(module, "summarise-back", {"summary": summary}, feedback, lambda saved: {"summary": saved["summary"]},
                recheck=lambda: check(save=False))
    display(widgets.VBox([statement, summary, button, feedback]))


# -- channels by situation (module 07 stretch) -----------------------------------------------------------
CHANNEL_SITUATIONS = ("new order", "weekly check-in", "quality problem", "price change")
CHANNELS = ("visit", "video call", "phone call", "voice message", "chat message", "producer leader")
HARD_TALKS = ("quality problem", "price change")


def channel_table_feedback(answer) -> str:
    """HTML: each mistake in a table of channels by situation, in a kind sentence; or 'Good plan'."""
    try:
        table = pd.DataFrame(answer)
    except (TypeError, ValueError):
        table = None
    if table is None or not {"channel", "write_down"} <= set(table.columns):
        return _warn("Make a DataFrame with two columns, 'channel' and 'write_down', and one row per situation.")
    missing = [s for s in CHANNEL_SITUATIONS if s not in table.index]
    if missing:
        return _warn("Use these four row names (the index): " + ", ".join(f"'{s}'" for s in CHANNEL_SITUATIONS)
                     + ". Missing: " + ", ".join(f"'{s}'" for s in missing) + ".")
    if table.index.duplicated().any():
        twice = sorted({str(n) for n in table.index[table.index.duplicated()]})
        return _warn("Give each situation one row only. Twice: " + ", ".join(f"'{n}'" for n in twice) + ".")
    mistakes, notes = [], []
    for situation in CHANNEL_SITUATIONS:
        channel = str(table.loc[situation, "channel"]).strip().lower()
        record = table.loc[situation, "write_down"]
        if pd.isna(table.loc[situation, "channel"]) or not channel:
            mistakes.append(f"'{situation}': the channel is empty. Choose one of: " + ", ".join(CHANNELS) + ".")
        elif channel not in CHANNELS:
            mistakes.append(f"'{situation}': '{table.loc[situation, 'channel']}' is not one of the channels: "
                            + ", ".join(CHANNELS) + ".")
        elif situation in HARD_TALKS and channel in ("voice message", "chat message", "producer leader"):
            mistakes.append(f"'{situation}': this is a hard talk. Say it yourself, by a visit or a video "
                            "call, so you can listen, give your real reason, and they can see you mean it.")
        elif situation in HARD_TALKS and channel == "phone call":
            notes.append(f"'{situation}': a phone call works, but they cannot see you or the pieces. "
                         "A visit or a video call is better.")
        if str(record) not in ("True", "False"):
            mistakes.append(f"'{situation}': write_down should be True or False, not {record!r}.")
        elif situation in ("new order", "price change", "quality problem") and str(record) == "False":
            mistakes.append(f"'{situation}': write it down afterwards and share it. Both sides then remember "
                            "the same thing.")
    if mistakes:
        return _points("Almost there. Please look at these points", mistakes + notes, False)
    return _points("Good plan: hard talks face to face, and agreements written down", notes + [
        "Ask the artisans which channel they are comfortable with. The best channel is one they really use."], True)


def check_channel_table(answer) -> None:
    """Stretch (module 07): a DataFrame of the channel for each situation, and whether you write it down afterwards."""
    if answer is None:
        display(HTML(f"<p class='course-warning'>{NOT_ANSWERED}</p>"))
        return
    display(HTML(channel_table_feedback(answer)))
