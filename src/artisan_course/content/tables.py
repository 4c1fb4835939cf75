"""The two made-up tables in ``data/``: the anchoring simulator's products and the fairness simulator's group.

Both are checked when they load: every column present, every number a number in its range, no name twice, and
for products a market range and fair price that make sense together. A mistake names the file, the line and
the product or member.
"""
from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from .. import paths
from ..models.anchoring import Product
from .reader import ContentError, number_cell, read_checked_csv, text_cell

PRODUCT_COLUMNS = {"name": text_cell, "unit": text_cell, "cost": number_cell(0), "market_low": number_cell(0),
                   "market_high": number_cell(0), "fair_price": number_cell(0), "usual_price": number_cell(0),
                   "buyer_limit": number_cell(0)}
MEMBER_COLUMNS = {"name": text_cell, "hours": number_cell(0), "pieces": number_cell(0), "quality": number_cell(0, 1),
                  "dependants": number_cell(0)}


@lru_cache(maxsize=4)
def _products(path: str, mtime: float) -> dict[str, Product]:
    rows = read_checked_csv(Path(path), PRODUCT_COLUMNS, unique="name")
    products = {}
    for row in rows:
        if row["market_low"] > row["market_high"]:
            raise ContentError(f"{path} ('{row['name']}'): market_low ({row['market_low']:g}) is above market_high "
                               f"({row['market_high']:g}).")
        if row["fair_price"] < row["cost"]:
            raise ContentError(f"{path} ('{row['name']}'): the fair price ({row['fair_price']:g}) is below the "
                               f"artisans' cost ({row['cost']:g}); a fair price covers the cost.")
        if row["usual_price"] < row["cost"]:
            raise ContentError(f"{path} ('{row['name']}'): the usual price ({row['usual_price']:g}) is below the "
                               f"artisans' cost ({row['cost']:g}).")
        products[row["name"]] = Product(row["name"], row["unit"], row["cost"], row["market_low"], row["market_high"],
                                        row["fair_price"], row["usual_price"], row["buyer_limit"])
    return products


def load_products(path: Path | None = None) -> dict[str, Product]:
    """data/products.csv as {name: Product}, in the file's order (cached until the file changes)."""
    path = path or paths.data_dir() / "products.csv"
    if not path.is_file():
        raise ContentError(f"{path}: the file is missing.")
    return _products(str(path), path.stat().st_mtime)


def load_group_rows(path: Path | None = None) -> list[dict]:
    """data/producer_group.csv as checked rows: name, hours, pieces, quality (0-1) and dependants."""
    path = path or paths.data_dir() / "producer_group.csv"
    return read_checked_csv(path, MEMBER_COLUMNS, unique="name")


def load_group(path: Path | None = None):
    """The producer group as a pandas DataFrame, for the fairness simulator and the pandas stretch tasks."""
    import pandas as pd
    return pd.DataFrame(load_group_rows(path), columns=list(MEMBER_COLUMNS))
