"""The outbox: no request waits on SMTP, no mail is lost when the server
refuses or hangs, and the worker delivers once it is back."""
from __future__ import annotations

import os
import socket
import subprocess
import sys
import time

import pytest
from ckan import model
from ckan.lib import jobs
from ckan.plugins import toolkit as tk

from ckanext.learning.jobs import Worker
from ckanext.learning.mail import delivery
from ckanext.learning.mail.model import OutboxMail
from ckanext.learning.tests.mail.conftest import deliver
from ckanext.learning.tests.workflow.conftest import api

pytestmark = pytest.mark.usefixtures("with_plugins", "clean_db")

#: A request that never touches SMTP returns well inside this.
AT_ONCE = 2.0


def _timed(call):
    began = time.perf_counter()
    result = call()
    return result, time.perf_counter() - began


def _waiting():
    model.Session.remove()
    return model.Session.query(OutboxMail).filter(OutboxMail.sent.is_(None)).all()


def test_mail_is_saved_with_the_change(mail_server, draft, contributor, reviewer):
    api(contributor).action.learning_submit(id=draft["id"], accept_terms=True)
    waiting = _waiting()
    assert [m.recipient for m in waiting] == [reviewer["name"]]
    assert waiting[0].attempts == 0 and "Community forest patrol" in waiting[0].subject


def test_a_refused_change_leaves_no_mail(mail_server, draft, contributor):
    with pytest.raises(tk.ValidationError):
        api(contributor).action.learning_submit(id=draft["id"])  # terms not accepted
    assert _waiting() == []


@pytest.mark.parametrize("trouble", ["refuse", "hang"])
def test_mail_survives_a_failing_server_and_arrives_after(mail_server, trouble, draft,
                                                          contributor, reviewer, caplog):
    getattr(mail_server, trouble)()
    reply, seconds = _timed(lambda: api(contributor).action.learning_submit(
        id=draft["id"], accept_terms=True))
    assert reply["status"] == "pending" and seconds < AT_ONCE
    # the worker tries, fails within the SMTP timeout, logs and keeps the mail
    delivered, seconds = _timed(deliver)
    assert delivered == 0 and seconds < AT_ONCE + 1
    [mail] = _waiting()
    assert mail.attempts == 1 and mail.last_error
    assert any("not delivered" in r.getMessage() for r in caplog.records)
    # reviewers see it
    shown = api(reviewer).action.learning_outbox_list()
    assert [m["recipient"] for m in shown] == [reviewer["name"]]
    assert "address" not in shown[0]
    # back: the retry is due after retry_seconds (1 s here)
    mail_server.start()
    assert deliver() == 0  # not due yet
    time.sleep(1.1)
    assert deliver() == 1
    assert [r for r, _m in mail_server.inbox.messages] == [[reviewer["email"]]]
    assert _waiting() == []


def test_the_worker_retries_on_its_schedule(mail_server, draft, contributor, reviewer):
    """The real path: the commit enqueues a job; a worker with rq's
    scheduler runs it, and later the retry it scheduled."""
    queue = jobs.get_queue(delivery.QUEUE)
    mail_server.refuse()
    api(contributor).action.learning_submit(id=draft["id"], accept_terms=True)
    assert queue.count == 1  # asked for at commit
    Worker([delivery.QUEUE]).work(burst=True, with_scheduler=True)
    assert [m.attempts for m in _waiting()] == [1]
    assert len(queue.scheduled_job_registry) == 1  # the retry
    mail_server.start()
    time.sleep(1.2)
    Worker([delivery.QUEUE]).work(burst=True, with_scheduler=True)
    assert _waiting() == []
    assert [r for r, _m in mail_server.inbox.messages] == [[reviewer["email"]]]


def test_backoff_doubles_up_to_the_limit(ckan_config, monkeypatch):
    monkeypatch.setitem(ckan_config, "ckanext.learning.mail.retry_seconds", 60)
    monkeypatch.setitem(ckan_config, "ckanext.learning.mail.max_retry_seconds", 300)
    waits = [delivery._wait(n).total_seconds() for n in range(1, 6)]
    assert waits == [60, 120, 240, 300, 300]


def test_outbox_is_for_reviewers_only(contributor):
    with pytest.raises(tk.NotAuthorized):
        api(contributor).action.learning_outbox_list()


def test_review_page_shows_undelivered_mail(app, mail_server, draft, contributor,
                                            reviewer):
    from ckan.tests import factories
    mail_server.refuse()
    api(contributor).action.learning_submit(id=draft["id"], accept_terms=True)
    deliver()
    token = factories.APIToken(user=reviewer["name"])["token"]
    page = app.get("/learning/review", headers={"Authorization": token}).body
    assert "Mail not delivered yet" in page
    assert "ConnectionRefusedError" in page
    assert reviewer["email"] not in page
    mail_server.start()
    time.sleep(1.1)
    deliver()
    assert "Mail not delivered yet" not in app.get(
        "/learning/review", headers={"Authorization": token}).body


def test_ckan_learning_worker_delivers(mail_server, ckan_config, draft, contributor,
                                       reviewer):
    """The command `make run` and docker/ start, in its own process."""
    api(contributor).action.learning_submit(id=draft["id"], accept_terms=True)
    ckan = os.path.join(os.path.dirname(sys.executable), "ckan")
    env = dict(os.environ, CKAN_SQLALCHEMY_URL=ckan_config["sqlalchemy.url"],
               CKAN_REDIS_URL=ckan_config["ckan.redis.url"],
               CKAN_SMTP_SERVER=f"127.0.0.1:{mail_server.port}")
    done = subprocess.run([ckan, "-c", ckan_config["__file__"], "learning", "worker",
                           "--burst", delivery.QUEUE],
                          env=env, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr[-2000:]
    assert _waiting() == []
    assert [r for r, _m in mail_server.inbox.messages] == [[reviewer["email"]]]


def test_a_work_horse_that_cannot_start_exits_without_harming_the_worker(
        mail_server, monkeypatch, tmp_path, draft, contributor, reviewer):
    """CKAN reloads its environment in each forked horse (it needs the
    database); if that fails the horse must exit, not run the parent's code
    (which tore the worker and its scheduler lock down in the soak)."""
    from ckan.lib import jobs as ckan_jobs

    def broken(config):
        raise RuntimeError("database down while the horse starts")

    monkeypatch.setattr(ckan_jobs, "load_environment", broken)
    api(contributor).action.learning_submit(id=draft["id"], accept_terms=True)
    queue = jobs.get_queue(delivery.QUEUE)
    assert queue.count == 1
    parent = os.getpid()
    escaped = tmp_path / "horse-returned"
    try:
        Worker([delivery.QUEUE]).work(burst=True, with_scheduler=True)
    except BaseException:
        if os.getpid() == parent:
            raise
    finally:
        if os.getpid() != parent:  # a horse came back into this test: say so, leave
            escaped.touch()
            os._exit(3)
    assert not escaped.exists(), "the work horse ran the parent's code"
    [mail] = _waiting()
    assert mail.attempts == 0  # the job never ran...
    # ...and is retried later (rq's Retry, run by the scheduler)
    assert len(queue.scheduled_job_registry) == 1
    monkeypatch.undo()


def test_the_worker_waits_out_a_redis_outage(mail_server, ckan_config, tmp_path, draft,
                                             contributor, reviewer, cso, odc):
    """``ckan learning worker`` against a Redis of its own, stopped and
    started again: the worker stays up and delivers what waited."""
    port = mail_server.port + 1
    while True:  # a free port for this Redis
        with socket.socket() as s:
            if s.connect_ex(("127.0.0.1", port)) != 0:
                break
        port += 1

    def start_redis():
        return subprocess.Popen(["redis-server", "--port", str(port), "--save", "",
                                 "--appendonly", "no", "--dir", str(tmp_path)],
                                stdout=subprocess.DEVNULL)

    def wait_for(condition, seconds=60):
        deadline = time.monotonic() + seconds
        while not condition():
            assert time.monotonic() < deadline, "timed out"
            assert worker.poll() is None, worker.stderr.read()[-2000:]
            time.sleep(0.3)

    redis = start_redis()
    ckan = os.path.join(os.path.dirname(sys.executable), "ckan")
    env = dict(os.environ, CKAN_SQLALCHEMY_URL=ckan_config["sqlalchemy.url"],
               CKAN_REDIS_URL=f"redis://127.0.0.1:{port}/0",
               CKAN_SMTP_SERVER=f"127.0.0.1:{mail_server.port}")
    time.sleep(0.5)
    worker = subprocess.Popen([ckan, "-c", ckan_config["__file__"], "learning", "worker"],
                              env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                              text=True)
    try:
        api(contributor).action.learning_submit(id=draft["id"], accept_terms=True)
        wait_for(lambda: len(mail_server.inbox.messages) == 1)
        redis.terminate()
        redis.wait()
        time.sleep(2)  # the worker finds Redis gone
        api(reviewer).action.learning_review(id=draft["id"], decision="approve")
        assert worker.poll() is None, "the worker exited with Redis"
        redis = start_redis()
        wait_for(lambda: len(mail_server.inbox.messages) == 2)
        assert [r for r, _m in mail_server.inbox.messages][1] == [contributor["email"]]
    finally:
        worker.terminate()
        try:
            worker.wait(timeout=20)
        except subprocess.TimeoutExpired:
            worker.kill()
        redis.terminate()
        redis.wait()
