"""Simulator views: thin widget layers over the pure models in ``artisan_course.models``."""
