"""The module activities' rules: scoring the persuader-style self-assessment."""
from __future__ import annotations


def style_scores(data: dict, ratings: list[int]) -> dict[str, float]:
    """Mean rating (1-5) per style. Pure, so it can be tested."""
    sums: dict[str, list[int]] = {style: [] for style in data["styles"]}
    for statement, rating in zip(data["statements"], ratings):
        sums[statement["style"]].append(rating)
    return {style: (sum(values) / len(values) if values else 0.0) for style, values in sums.items()}
