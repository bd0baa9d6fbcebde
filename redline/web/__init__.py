"""The local web app (``redline serve``): FastAPI + Jinja2, see `redline.web.app`.

Needs the ``web`` extra (``pip install 'redline[web]'``); the rest of redline does not.
"""

from redline.web.app import create_app

__all__ = ["create_app"]
