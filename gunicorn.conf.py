"""gunicorn's settings for SIKESAL, read from the working directory (`gunicorn config.wsgi`).

Command-line options still apply on top (`--bind`, `--workers` ...).
"""

import gunicorn.http.wsgi

# gunicorn names itself in every response's Server header and has no option to stop it; an
# attacker need not learn which server to aim at. Behind nginx (`server_tokens off;`) this
# header is replaced by nginx's anyway; this covers gunicorn answering directly.
gunicorn.http.wsgi.SERVER = ""

# Threaded workers, so that a long response is never killed for its length. A sync worker
# tells the master it is alive only between requests, so gunicorn's `timeout` (30 s) bounds
# every request: it killed the queue CSV of a million complaints (33 s) mid-stream, and a
# streamed export of any size must outlive any fixed bound. A gthread worker's main loop
# keeps telling the master it is alive while its threads serve, so `timeout` detects only a
# worker process that hangs, never a slow page or a long download ("For the non sync
# workers it just means that the worker process is still communicating and is not tied to
# the length of time required to handle a single request", gunicorn's docs). Four threads
# per worker: one long export does not hold up the pages queued behind it in that worker.
worker_class = "gthread"
threads = 4
timeout = 30
