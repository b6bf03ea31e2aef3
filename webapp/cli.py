"""The ``parley`` console script: ``serve``, ``plan``, ``letters``, ``upgrade-db``."""

from __future__ import annotations

import click

from .commands.serve import serve_command, upgrade_command


@click.group()
@click.version_option(package_name="parley")
def main() -> None:
    """Parley: negotiate repayment plans a household can keep."""


main.add_command(serve_command)
main.add_command(upgrade_command)

try:
    from .commands.plan import plan_command

    main.add_command(plan_command)
except ImportError:  # pragma: no cover - during development of the engine
    pass
try:
    from .commands.letters import letters_command

    main.add_command(letters_command)
except ImportError:  # pragma: no cover
    pass
