"""``parley rotate-key``: re-encrypt every personal value and upload with the first key.

With ``PARLEY_ENCRYPTION_KEYS``: put a new key first (``NEW,OLD``), restart the
web nodes, run ``parley rotate-key``, then remove the old key (``NEW``) and
restart again. With the key kept in the instance folder, ``parley rotate-key
--new-key`` does all three: it adds a new key first in
``instance/encryption_keys``, rotates, and then keeps only the new key.
Exit code 2, with the reason, when a key is malformed or a value cannot be read.
"""

from __future__ import annotations

import os

import click

from .plan import EXIT_INVALID


def _fail(message: str) -> None:
    click.echo(f"rotate-key: {message}", err=True)
    raise SystemExit(EXIT_INVALID)


@click.command("rotate-key")
@click.option("--new-key", is_flag=True,
              help="Make a new key first in instance/encryption_keys, rotate, then drop "
                   "the old ones (only when PARLEY_ENCRYPTION_KEYS is not set).")
def rotate_key_command(new_key: bool) -> None:
    """Re-encrypt every encrypted value and uploaded file with the first key."""
    from cryptography.fernet import Fernet

    from .. import create_app
    from ..config import ConfigError
    from ..crypto import ENV, current_keyring, key_file, write_key_file
    from ..services.keys import KeyCheckError, rotate

    if new_key and os.environ.get(ENV, "").strip():
        _fail(f"--new-key changes instance/encryption_keys, but {ENV} is set: put the new "
              f"key first in {ENV} instead (NEW,OLD), run `parley rotate-key`, then remove "
              "the old key")
    try:
        app = create_app()
    except (ValueError, ConfigError) as exc:  # KeyProblem is a ValueError
        _fail(str(exc))
    with app.app_context():
        keyring = current_keyring()
        old = list(keyring.keys)
        path = key_file(app.instance_path)
        if new_key:
            keys = [Fernet.generate_key().decode(), *old]
            write_key_file(path, keys)  # the old keys stay until the rotation is done
            keyring.set_keys(keys)
        try:
            done = rotate()
        except KeyCheckError as exc:
            _fail(str(exc))
        if new_key:
            write_key_file(path, keyring.keys[:1])
    click.echo(f"re-encrypted {done.values} value(s) and {done.files} file(s) with the "
               "first key")
    if new_key:
        click.echo(f"{path} now holds the new key only")
    elif len(old) > 1:
        click.echo(f"now remove the old key(s) from {ENV}, keeping only the first, and "
                   "restart Parley")
