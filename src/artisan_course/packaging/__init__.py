"""How the course reaches a laptop with no internet: the USB-stick kit (``artisan-course kit``)."""
