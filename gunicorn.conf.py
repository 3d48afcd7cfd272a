"""gunicorn's settings for SIKESAL, read from the working directory (`gunicorn config.wsgi`).

Command-line options still apply on top (`--bind`, `--workers` ...).
"""

import gunicorn.http.wsgi

# gunicorn names itself in every response's Server header and has no option to stop it; an
# attacker need not learn which server to aim at. Behind nginx (`server_tokens off;`) this
# header is replaced by nginx's anyway; this covers gunicorn answering directly.
gunicorn.http.wsgi.SERVER = ""
