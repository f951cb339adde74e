"""An e-mail backend for the worker-crash test: it says when a send begins (a marker file), takes its time,
then writes the message as the file backend does."""

from __future__ import annotations

import os
import pathlib
import time

from django.core.mail.backends.filebased import EmailBackend


class SlowFileBackend(EmailBackend):
    def send_messages(self, email_messages):
        marker = os.environ.get("MAIL_STARTED_MARKER")
        if marker:
            pathlib.Path(marker).write_text("sending")
        time.sleep(float(os.environ.get("MAIL_SLOW_SECONDS", "0")))
        return super().send_messages(email_messages)
