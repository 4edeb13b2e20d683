"""Notes and phone numbers are stored encrypted (Fernet: AES with an authentication tag) with
the key from GRIDBOT_DATA_KEY. Without a key nothing secret is stored at all."""

import logging

from cryptography.fernet import Fernet, InvalidToken

from models.errors import InvalidState

log = logging.getLogger(__name__)

_fernet: Fernet | None = None


def new_key() -> str:
    return Fernet.generate_key().decode()


def use_key(key: str | None) -> None:
    """Set the process's data key (at start-up); a missing key is said once, here."""
    global _fernet
    _fernet = Fernet(key.encode()) if key else None
    if _fernet is None:
        log.warning(
            "GRIDBOT_DATA_KEY is not set: care ledger notes and phone numbers "
            "will not be stored (`gridbot keys new` prints a key)"
        )


def valid_key(key: str) -> bool:
    try:
        Fernet(key.encode())
    except ValueError:
        return False
    return True


def can_encrypt() -> bool:
    return _fernet is not None


def encrypt(plain: str) -> str:
    if _fernet is None:
        raise InvalidState("care-no-key")
    return _fernet.encrypt(plain.encode()).decode()


def decrypt(secret: str | None) -> str | None:
    """The plain text, or None when there is none or this key cannot read it."""
    if secret is None or _fernet is None:
        return None
    try:
        return _fernet.decrypt(secret.encode()).decode()
    except InvalidToken:
        return None
