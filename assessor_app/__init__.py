"""Assessor: offline records for health and social care apprenticeships."""

from importlib.metadata import PackageNotFoundError, version

try:
    __version__ = version("assessor-app")
except PackageNotFoundError:  # running from a source tree without an install
    __version__ = "0.0.0+source"
