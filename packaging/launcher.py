"""The bundle's entry point: the same command line as the installed `assessor-app`."""

import sys

from assessor_app.cli import main

if __name__ == "__main__":
    sys.exit(main())
