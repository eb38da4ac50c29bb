"""gunicorn's settings in the CKAN image, read by bin/serve's gunicorn from
its working directory (/srv/app); bin/serve itself (the script `make run`
uses) gives the address, workers, threads and timeout.

- Only nginx reaches this container (the internal `ckannet` network), so the
  X-Forwarded-Proto it sends is believed from any address: CKAN then sees
  HTTPS requests as HTTPS, and URLs built from the request are the public ones.
- CKAN reads its config file's [loggers] with logging.fileConfig, which
  disables the loggers that exist at that moment, gunicorn's among them; each
  worker turns them back on once it has loaded CKAN, so that the access log
  and the error log keep going to the container's output.
"""
import logging

forwarded_allow_ips = "*"


def post_worker_init(worker):
    for name in ("gunicorn", "gunicorn.access", "gunicorn.error"):
        logging.getLogger(name).disabled = False
