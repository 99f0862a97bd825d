"""``python -m regenlog`` runs the same entry point as the ``regenlog`` command."""

import sys

from .cli import main

sys.exit(main())
