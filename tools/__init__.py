"""Build tools of the documentation site (mkdocs hooks, the griffe extension, the tutorials).

Not part of the installed package: ``mkdocs.yml`` and the tests use them from the repository.
"""
