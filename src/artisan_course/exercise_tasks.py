"""Exercise tasks: widgets with specific feedback, and checks for the optional pandas stretch tasks.

Rules the exercises keep:
- every task can be done with widgets alone;
- numbers and choices get specific feedback, tied to the research the course cites;
- free text gets checklist guidance (questions to ask yourself), never a grade;
- an unanswered task never raises: its check says "not answered yet", so Run All works.
A finished task is saved for the learner (kind "exercise") and counts in their progress.
"""
from __future__ import annotations

import html
import re

import ipywidgets as widgets
import pandas as pd
from IPython.display import HTML, display

from .models.anchoring import EXTREME_MARGIN
from .models.fairness_rules import RULES, FairnessInputError, share_profit
from .session import SESSION
from .simulators.anchoring_view import load_products
from .simulators.fairness_view import load_group

NOT_ANSWERED = "Not answered yet. Write your answer in the cell above, then run it again."


def _e(text) -> str:
    return html.escape(str(text), quote=True)


def _points(title: str, points: list[str], good: bool | None = None) -> str:
    mark = {True: "course-feedback-right", False: "course-feedback-wrong", None: "course-q-prompt"}[good]
    return f"<p class='{mark}'>{_e(title)}</p><ul>" + "".join(f"<li>{_e(p)}</li>" for p in points) + "</ul>"


def _done(module: str, task: str, value) -> None:
    learner = SESSION.learner or SESSION.start()
    if learner is not None:
        SESSION.get_store().record(learner.id, module, task, "exercise", value)


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
    low, high = product.market_low, product.market_high
    points, good = [], True
    if first_offer < low * (1 - EXTREME_MARGIN):
        share = (low - first_offer) / low
        points.append(f"Your anchor is {share:.0%} below the market range ({low:g}-{high:g} USD). Research on extreme "
                      "anchors found that the side with less power, often the artisans, walks away (Schweinsberg et al. 2012).")
        good = False
    elif first_offer > high:
        points.append(f"Your first offer is above the market range ({low:g}-{high:g} USD): you give away money before the talk begins.")
        good = False
    else:
        points.append(f"Your anchor is inside or near the market range ({low:g}-{high:g} USD): strong, but not insulting.")
    if limit < product.fair_price:
        points.append(f"Your limit is below the illustrative fair-price line of {product.fair_price:g} USD. "
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
    gives = widgets.Textarea(placeholder="What can you give? For example: an advance payment, a later date, a bigger next order.",
                             layout=widgets.Layout(width="100%"))
    reason = widgets.Textarea(placeholder="Your 'because' for the price you ask.", layout=widgets.Layout(width="100%"))
    button = widgets.Button(description="Check my plan", button_style="primary", layout=widgets.Layout(width="auto", align_self="flex-start"))
    feedback = widgets.HTML()

    def check(_=None):
        values = {k: w.value for k, w in numbers.items()}
        if not all(values.values()):
            feedback.value = f"<p class='course-warning'>{_e('Please fill in your aim, first offer and limit first.')}</p>"
            return
        chosen = products[product.value]
        good, points = anchor_feedback(chosen, values["first"], values["limit"])
        if not values["first"] <= values["aim"] <= values["limit"]:
            points.append("Put your aim between your first offer and your limit: the first offer leaves room to move.")
            good = False
        guidance = because_checklist(reason.value)
        if not gives.value.strip():
            guidance.insert(0, "What can you give in return? Trade several things; split the price only as a last resort.")
        feedback.value = (_points("Your numbers", points, good) + _points("Questions to check your words", guidance))
        _done(module, "plan-negotiation", {"product": chosen.name, **values, "gives": gives.value, "because": reason.value})

    button.on_click(check)
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
        return f"\"{issue}\": {category} fits how this issue often works. Still ask why: the artisans may see it differently."
    return (f"\"{issue}\": you chose {category}. Issues like this are often {likely[0]}. Ask why: does it matter more to one "
            "side (integrative), or do you both want the same thing (compatible)?")


def classify_issues_task(module: str = "contingency-why") -> None:
    """List the issues of a real order and sort each one."""
    rows = [(widgets.Text(placeholder=f"Issue {i + 1}, for example: price per piece"),
             widgets.Dropdown(options=[("choose", None), ("distributive", "distributive"), ("integrative", "integrative"),
                                       ("compatible", "compatible")], value=None)) for i in range(5)]
    button = widgets.Button(description="Check my sorting", button_style="primary", layout=widgets.Layout(width="auto", align_self="flex-start"))
    feedback = widgets.HTML()

    def check(_=None):
        pairs = [(t.value.strip(), d.value) for t, d in rows if t.value.strip()]
        if not pairs or any(category is None for _, category in pairs):
            feedback.value = "<p class='course-warning'>Write at least one issue and choose a type for each.</p>"
            return
        points = [issue_feedback(issue, category) for issue, category in pairs]
        kinds = {c for _, c in pairs}
        if "integrative" not in kinds:
            points.append("No integrative issue yet. Start with one: it makes the deal bigger before you talk about price.")
        if "compatible" not in kinds:
            points.append("Negotiators often miss compatible interests (Thompson & Hrebec 1996). What do you both want?")
        feedback.value = _points("Feedback on your issues", points)
        _done(module, "classify-issues", [{"issue": i, "type": c} for i, c in pairs])

    button.on_click(check)
    display(widgets.VBox([widgets.HBox([t, d]) for t, d in rows] + [button, feedback]))


# -- contingency clause (module 04) ------------------------------------------------------------
def contingency_task(module: str = "contingency-why", pieces: int = 300, bonus: float = 2.0) -> None:
    """Work out what a contingency clause pays, then write the clause."""
    answer = widgets.Text(placeholder="Extra paid in USD")
    clause = widgets.Textarea(placeholder="Write the clause: the date, the bonus or deduction per piece, and how delivery is checked.",
                              layout=widgets.Layout(width="100%"))
    button = widgets.Button(description="Check", button_style="primary", layout=widgets.Layout(width="auto", align_self="flex-start"))
    feedback = widgets.HTML()
    prompt = widgets.HTML(f"<p class='course-q-prompt'>A group delivers all {pieces} pieces before the target date. "
                          f"The clause pays {bonus:g} USD extra per piece. How much extra does the group receive?</p>")

    def check(_=None):
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
            result = _points("Not quite", [f"Your answer is too {side}. The bonus is paid on every piece delivered on time."], False)
        guidance = [] if clause.value.strip() else ["Write the clause too."]
        words = clause.value.lower()
        if clause.value.strip():
            if not re.search(r"\d", words):
                guidance.append("Does the clause give a date and an amount? Numbers make it clear to everyone.")
            if "check" not in words and "count" not in words:
                guidance.append("How will you check the delivery date and the pieces? Write it down.")
            guidance.append("Would you sign this clause if you were the artisan? Is the deduction, if any, fair and agreed in advance?")
        feedback.value = result + (_points("Questions to check your clause", guidance) if guidance else "")
        _done(module, "contingency-clause", {"answer": value, "clause": clause.value})

    button.on_click(check)
    display(widgets.VBox([prompt, answer, clause, button, feedback]))


# -- fairness rule (module 05) ---------------------------------------------------------------------
def fairness_rule_task(module: str = "fairness-culture", total: float = 1000.0) -> None:
    """Choose a fairness rule for the illustrative group, and justify it."""
    rule = widgets.Dropdown(options=[("choose a rule", None)] + [(label, key) for key, label in RULES.items()], value=None,
                            layout=widgets.Layout(width="100%"))
    why = widgets.Textarea(placeholder="Why is this rule fair for this group? Use 'because'.", layout=widgets.Layout(width="100%"))
    button = widgets.Button(description="Check my choice", button_style="primary", layout=widgets.Layout(width="auto", align_self="flex-start"))
    feedback = widgets.HTML()

    def check(_=None):
        if rule.value is None:
            feedback.value = "<p class='course-warning'>Choose a rule first.</p>"
            return
        result = share_profit(load_group(), total, {rule.value: 1.0})
        shares = result.shares.set_index("name")[rule.value]
        top, bottom = shares.idxmax(), shares.idxmin()
        goal = {"equality": "good relationships", "needs": "welfare"}.get(rule.value, "productivity")
        points = [f"Under this rule, {top} gets the most ({shares.max():,.2f} USD) and {bottom} the least ({shares.min():,.2f} USD).",
                  f"Deutsch (1975) links this kind of rule to {goal}. Is that the goal of this group?",
                  "Leung & Bond (1984): inside their own group, collectivist members often prefer equality."]
        feedback.value = _points("What your rule does", points) + _points("Questions to check your reason", because_checklist(why.value))
        _done(module, "fairness-rule", {"rule": rule.value, "why": why.value})

    button.on_click(check)
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
        display(HTML("<p class='course-warning'>Your answer should be a list or Series of numbers, one per member.</p>"))
        return
    if len(values) != len(expected):
        display(HTML(f"<p class='course-warning'>Your answer has {len(values)} numbers; the group has {len(expected)} members.</p>"))
    elif (values - expected).abs().max() <= 0.01:
        display(HTML("<p class='course-feedback-right'>Right: each share is pieces ÷ all pieces × the total.</p>"))
    else:
        display(HTML("<p class='course-feedback-wrong'>Not quite. Divide each member's pieces by the group's total pieces, "
                     "then multiply by the profit.</p>"))


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
    """Stretch (module 03): for each product, how far a first offer at the artisans' cost is below the market minimum, as a share."""
    products = load_products()
    expected = pd.Series({name: (p.market_low - p.cost) / p.market_low for name, p in products.items()})
    _check_product_series(answer, expected, 0.001,
                          "Right. Offering only the artisans' cost is 45-50% below the market: far past the 15% the "
                          "simulator calls extreme. Expect trust to fall and the talk to end.",
                          "Not quite. Compute (market_low − cost) ÷ market_low for each product.")

# -- warm and tough (module 01) ----------------------------------------------------------------
WARM_WORDS = ("thank", "family", "families", "children", "harvest", "health", "proud", "skill", "appreciate", "grateful")
THREAT_WORDS = ("other supplier", "another supplier", "or else", "cancel", "never order")


def warm_tough_feedback(warm: str, tough: str) -> list[str]:
    """Checklist guidance on a message that should be warm with the people and tough on business needs."""
    points = []
    text = warm.lower()
    if not any(word in text for word in WARM_WORDS):
        points.append("Warm: does your opening show care for the person? Thank them, or ask about their family or their work.")
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
                             "The agreed standard is fixed. Write your message to the group leader. (Illustrative case.)</p>")
    warm = widgets.Textarea(placeholder="The warm part: how you open.", layout=widgets.Layout(width="100%"))
    tough = widgets.Textarea(placeholder="The tough part: what must be fixed, by when, and why.", layout=widgets.Layout(width="100%"))
    button = widgets.Button(description="Check my message", button_style="primary", layout=widgets.Layout(width="auto", align_self="flex-start"))
    feedback = widgets.HTML()

    def check(_=None):
        if not warm.value.strip() or not tough.value.strip():
            feedback.value = "<p class='course-warning'>Write both parts first.</p>"
            return
        feedback.value = _points("Questions to check your message", warm_tough_feedback(warm.value, tough.value))
        _done(module, "warm-tough-message", {"warm": warm.value, "tough": tough.value})

    button.on_click(check)
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
        display(HTML("<p class='course-warning'>Use these four names as the index: emotion, logic, threat, bargain.</p>"))
        return
    if not values.between(1, 5).all():
        display(HTML("<p class='course-warning'>Each score is from 1 to 5.</p>"))
        return
    top = values.idxmax()
    cost = "costs you something: trade several things before you split one" if styles[top] == "costly" else "is free to use"
    display(HTML(f"<p class='course-feedback-right'>Your strongest style is {top}. It {cost}.</p>"))


def check_zone_middles(answer) -> None:
    """Stretch (module 02): per product, the middle between the fair-price line and the market maximum."""
    products = load_products()
    expected = pd.Series({name: (p.fair_price + p.market_high) / 2 for name, p in products.items()})
    _check_product_series(answer, expected, 0.005,
                          "Right. A price near this middle is fair to the artisans and still leaves you a margin.",
                          "Not quite. Add fair_price and market_high, then divide by 2.")

def check_contingency_table(answer, pieces: int = 300, price: float = 10.0, bonus: float = 2.0, deduction: float = 2.0) -> None:
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
