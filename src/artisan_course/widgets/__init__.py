"""Screens: thin ipywidgets views that wire controls to the models and draw their results."""
from .kit import keep_page_actions_in_order

# Every screen's taps act on what its page shows, for every tool at once (kit.PageActions, frontend/page_actions.js).
keep_page_actions_in_order()
