import sys

from assessor_app.cli import main

sys.exit(main())
