"""The classroom app (``socialabm viz``): a Solara page around one model per browser session.

:mod:`.app` is the page and :mod:`.session` a browser session's state; :mod:`.runner` is the one
writer of a session's models (and Play), :mod:`.snapshot` the immutable pictures of a model the
page draws from; :mod:`.panels`, :mod:`.network_view` and :mod:`.palette` draw them,
:mod:`.widgets` holds the page's clickable picture and download button, :mod:`.controls` makes
its parameter controls; :mod:`.links` reads the links that prepare a page and :mod:`.limits`
what a server allows; :mod:`.server` and :mod:`.cli` serve it. ``tests/app_harness.py`` runs it
in a subprocess for the browser tests and the load benchmark. See ``docs/app.md``.
"""
