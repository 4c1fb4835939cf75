"""Draws anchoring-first-offers.png, the chart of the question anchoring-chart-pull (made-up prices).

Run it from the course folder after changing a number: `.venv/bin/python data/quizzes/images/make_anchoring_chart.py`.
Keep the question's alt text, answers and feedback in data/quizzes/anchoring.yaml in step with these numbers.
"""
from pathlib import Path

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402

NEGOTIATIONS = ["A", "B", "C", "D"]
FIRST_OFFERS = [13, 15, 17, 19]     # the buyer's first offer, USD per scarf
AGREED = [16, 17, 18.5, 20]         # the price agreed in the end
COST = 12                           # the artisans' cost of the woven silk scarf in data/products.csv

fig, ax = plt.subplots(figsize=(6.6, 5.4), dpi=100)
x = range(len(NEGOTIATIONS))
width = 0.4
offers = ax.bar([i - width / 2 for i in x], FIRST_OFFERS, width, color="#c9b47e", label="First offer")
agreed = ax.bar([i + width / 2 for i in x], AGREED, width, color="#23336b", label="Agreed price")
for bars, bold in ((offers, False), (agreed, True)):
    for bar in bars:
        ax.annotate(f"{bar.get_height():g}", (bar.get_x() + bar.get_width() / 2, bar.get_height()),
                    xytext=(0, 4), textcoords="offset points", ha="center", fontsize=15,
                    fontweight="bold" if bold else "normal")
ax.axhline(COST, color="#b0413e", linestyle="--", linewidth=2, label=f"The artisans' cost ({COST})")
ax.set_xticks(list(x), NEGOTIATIONS, fontsize=16)
ax.tick_params(axis="y", labelsize=15)
ax.set_ylim(0, 30)
ax.set_ylabel("USD per scarf", fontsize=17)
ax.set_xlabel("Negotiation (same scarf, made-up prices)", fontsize=15)
ax.legend(loc="upper left", ncol=1, frameon=False, fontsize=14)
for side in ("top", "right"):
    ax.spines[side].set_visible(False)
fig.tight_layout()
fig.savefig(Path(__file__).with_name("anchoring-first-offers.png"))
