"""Screens: thin ipywidgets views that wire controls to the models and draw their results."""
