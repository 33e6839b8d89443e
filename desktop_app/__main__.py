"""``python -m desktop_app``: the ``motcua`` command."""

from desktop_app.cli import main

raise SystemExit(main())
