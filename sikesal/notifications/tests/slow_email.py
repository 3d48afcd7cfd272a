"""Tests only: an email backend that is slow and records every message durably.

Each message takes SIKESAL_TEST_EMAIL_SECONDS, during which the file `inflight` in
SIKESAL_TEST_EMAIL_DIR holds the time the send began; then the message is written to a
file of its own (fsync, then rename), so a process killed at any moment leaves either the
whole message or nothing. test_worker_kill.py kills workers that use it.
"""

import os
import time
import uuid
from pathlib import Path

from django.core.mail.backends.base import BaseEmailBackend


def _write_atomically(path: Path, data: bytes) -> None:
    temporary = path.with_name(f".{uuid.uuid4().hex}.tmp")
    with open(temporary, "wb") as stream:
        stream.write(data)
        stream.flush()
        os.fsync(stream.fileno())
    temporary.rename(path)


class SlowFileEmailBackend(BaseEmailBackend):
    def send_messages(self, email_messages) -> int:
        directory = Path(os.environ["SIKESAL_TEST_EMAIL_DIR"])
        seconds = float(os.environ.get("SIKESAL_TEST_EMAIL_SECONDS", "0.2"))
        for message in email_messages:
            _write_atomically(directory / "inflight", str(time.time()).encode())
            time.sleep(seconds)
            _write_atomically(directory / f"{uuid.uuid4().hex}.eml", message.message().as_bytes())
        return len(email_messages)
