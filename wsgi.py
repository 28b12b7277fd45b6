"""WSGI entry point: ``gunicorn wsgi:app``."""

import gc

from traincenter import create_app

app = create_app()
# What start-up builds (the catalogues, the pinyin dictionary, the mappers: about 440,000 objects)
# lives as long as the process. Frozen, it is left out of the garbage collector's full passes,
# which otherwise walk all of it in the middle of some request (tens of ms on a list page).
gc.freeze()
