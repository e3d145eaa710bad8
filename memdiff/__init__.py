"""memdiff: shows whether and where an AI model's output reproduces an original work."""

# The one place the version is written: pyproject.toml reads it from here
# (setuptools' dynamic version), and so do the installers' recipes.
__version__ = "0.2.0"
