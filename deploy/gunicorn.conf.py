"""gunicorn settings for Saohei (docs/deploy.md): `gunicorn -c deploy/gunicorn.conf.py
saohei.wsgi`. The application is configured by its environment (deploy/saohei.env.example);
this file only says how gunicorn serves it. Each value can be changed without editing the
file, through the variables named beside it (the portal's unit sets a port and fewer workers).

Workers: processes, because a Django page is CPU work under Python's lock (templates, the
ORM), and only processes use several cores; 2 per core + 1 (gunicorn's rule of thumb: one
process waits on the database while another computes), 5 on the 2-core reference machine.
Threads: 2 per process (gthread), so that a request waiting on the database or on SQLite's
write lock does not hold a whole process; more threads do not add CPU. The load benchmark
(bench/load/run.py) measures this configuration as shipped.
"""

import multiprocessing
import os

bind = os.environ.get("SAOHEI_BIND", "127.0.0.1:8000")  # nginx in front, on the same host
workers = int(os.environ.get("SAOHEI_WORKERS", 2 * multiprocessing.cpu_count() + 1))
worker_class = "gthread"
threads = int(os.environ.get("SAOHEI_THREADS", 2))

# A briefing on a large district or a big ledger export takes tens of seconds; imports started
# in the browser run in a background thread and do not hold a request.
timeout = int(os.environ.get("SAOHEI_TIMEOUT", 120))
graceful_timeout = 30
keepalive = 5  # nginx keeps connections to us open (upstream keepalive)

# A worker is replaced after this many requests (memory handed back to the system).
max_requests = 2000
max_requests_jitter = 200

# nginx on this host sets X-Forwarded-Proto; trust it from there only (SAOHEI_BEHIND_PROXY=1).
forwarded_allow_ips = os.environ.get("SAOHEI_FORWARDED_ALLOW_IPS", "127.0.0.1")

# To standard error: systemd's journal keeps it (docs/deploy.md: log retention). The path
# without its query string (a search names the people searched for), the time taken in
# seconds; request bodies are never logged.
accesslog = os.environ.get("SAOHEI_ACCESS_LOG", "-")
access_log_format = '%(h)s %(t)s "%(m)s %(U)s %(H)s" %(s)s %(B)s %(L)s'
errorlog = "-"
loglevel = os.environ.get("SAOHEI_GUNICORN_LOG_LEVEL", "info")
proc_name = os.environ.get("SAOHEI_PROC_NAME", "saohei")
