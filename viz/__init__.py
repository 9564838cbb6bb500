"""The classroom app (``socialabm viz``): a Solara page around one model per browser session.

:mod:`.app` is the page, :mod:`.panels` and :mod:`.network_view` draw it, :mod:`.controls` makes
its parameter controls, :mod:`.server` and :mod:`.cli` serve it, and :mod:`.harness` runs it in
a subprocess for the browser tests and the load benchmark. See ``docs/app.md``.
"""
