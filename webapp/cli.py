"""The ``parley`` console script: ``serve``, ``worker``, ``plan``, ``status``, ``letters``,
``remind``, ``sweep-uploads``, ``upgrade-db``, ``user create``, ``token create``,
``backup``, ``restore``, ``caseload-refresh``, ``rotate-key``."""

from __future__ import annotations

import click

from .commands.accounts import token_group, user_group
from .commands.backup import backup_command, restore_command
from .commands.caseload import caseload_refresh_command
from .commands.keys import rotate_key_command
from .commands.letters import letters_command
from .commands.plan import plan_command
from .commands.remind import remind_command
from .commands.serve import serve_command, upgrade_command
from .commands.status import status_command
from .commands.uploads import sweep_uploads_command
from .commands.worker import worker_command


@click.group()
@click.version_option(package_name="parley")
def main() -> None:
    """Parley: negotiate repayment plans a household can keep."""


main.add_command(serve_command)
main.add_command(upgrade_command)
main.add_command(worker_command)

main.add_command(plan_command)
main.add_command(letters_command)
main.add_command(status_command)
main.add_command(remind_command)
main.add_command(backup_command)
main.add_command(restore_command)
main.add_command(rotate_key_command)
main.add_command(sweep_uploads_command)
main.add_command(user_group)
main.add_command(token_group)
main.add_command(caseload_refresh_command)
