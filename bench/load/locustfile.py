"""The load benchmark's workload (bench/load/run.py starts it; see bench/README.md).

Each virtual user logs in through the login form (CSRF token from the page, a real session)
as an account of its own, goes once through every task of its role, then works like its role
does, one page every THINK seconds:

  office staff    clue list with filters, clue detail, search, dashboard, transfer list,
                  home (the to-do list)
  handlers        their unit's clue list, a clue of their own, the step on it (interim ↔
                  resume: it can go on for ever) or a verification note, search, transfers
  leaders         the dashboard, the clue list, the home page (district leaders read)
  floor           anonymous: the login page and a static file through the same gunicorn,
                  the floor the pages are read against

A request counts as an error when it does not answer 200, lands on the login page (a lost
session), or, for a step or a note, the POST does not redirect to the clue or the clue's page
it leads to (counted apart, "clue detail (after a step)": the browser asks for it as a second
request, and it counts the user's to-do afresh) shows an error message instead of the success
one. Every request is named by its kind, so locust's table is per kind.
"""

from __future__ import annotations

import itertools
import json
import os
import random
import re

from locust import HttpUser, between, constant, task

PLAN = json.loads(open(os.environ["SAOHEI_LOAD_PLAN"], encoding="utf-8").read())  # noqa: SIM115
THINK = [float(s) for s in os.environ.get("SAOHEI_LOAD_THINK", "5-15").split("-")]
WAIT = between(THINK[0], THINK[-1]) if THINK[-1] > 0 else constant(0)
TOKEN = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
VERSION = re.compile(
    r'action="[^"]*/step/(interim|resume)/"[^>]*>.*?name="version" value="(\d+)"', re.S
)
ERROR = 'class="alert alert-danger"'
LOGIN = "/accounts/login/"
STATUS_FILTERS = ["verifying", "assigned", "interim", "concluded", "received"]
CATEGORY_FILTERS = ["industry_disorder", "evil_force", "gang", "routine_loan", "rural"]
_next = {kind: itertools.count() for kind in ("office", "handler", "leader")}
# The figures are reset once every signed-in user has arrived, that is has logged in and been
# once through its pages (bench/load/run.py gives the number; 0: never, the arrival counts).
# Locust's own --reset-stats resets when the last user is *started*, while the last arrivals
# are still logging in: a login is an Argon2 check that holds both cores for a moment, and the
# arrival's tail was in the steady figures.
ARRIVING = int(os.environ.get("SAOHEI_LOAD_RESET_AFTER", "0"))
_arrived = itertools.count(1)


def fail_unless_page(response, *, success: str | None = None, anonymous=False) -> None:
    """Mark a page response failed unless it is a 200 page of the signed-in application."""
    if response.status_code != 200:
        response.failure(f"HTTP {response.status_code}")
    elif not anonymous and response.url and LOGIN in response.url:
        response.failure("landed on the login page (session lost)")
    elif success is not None and (ERROR in response.text or success not in response.text):
        message = re.search(r'alert-danger" role="alert">([^<]*)<', response.text)
        response.failure(f"refused: {message.group(1) if message else 'no success message'}")
    else:
        response.success()


class Staff(HttpUser):
    """A signed-in user of one kind; subclasses give the kind and the tasks."""

    abstract = True
    wait_time = WAIT
    kind = ""

    def on_start(self) -> None:
        self.username = PLAN["accounts"][self.kind][next(_next[self.kind])]
        self.own = PLAN["own_clues"].get(self.username)
        page = self.client.get(LOGIN, name="login")
        token = TOKEN.search(page.text).group(1)
        with self.client.post(
            LOGIN,
            data={
                "username": self.username,
                "password": PLAN["password"],
                "csrfmiddlewaretoken": token,
            },
            headers={"Referer": self.host + LOGIN},
            name="login",
            catch_response=True,
        ) as response:
            fail_unless_page(response)
        # Once through every task of the role on arrival (a user opening their pages), so a
        # short run has every kind of request; then the weighted mix.
        for each in dict.fromkeys(self.tasks):
            each(self)
        if next(_arrived) == ARRIVING:
            self.environment.runner.stats.reset_all()

    def page(self, url: str, name: str, **kw) -> str:
        with self.client.get(url, name=name, catch_response=True, **kw) as response:
            fail_unless_page(response)
            return response.text

    def clue_list(self) -> None:
        params = {"status": random.choice(STATUS_FILTERS)}
        if random.random() < 0.5:
            params["category"] = random.choice(CATEGORY_FILTERS)
        if random.random() < 0.3:
            params["page"] = random.randint(2, 5)
        self.page("/clues/", "clue list (filters)", params=params)

    def search(self) -> None:
        self.page("/clues/", "search", params={"q": random.choice(PLAN["search"])})

    def dashboard(self) -> None:
        self.page("/reports/", "dashboard")

    def transfers(self) -> None:
        self.page("/transfers/", "transfer list")

    def home(self) -> None:
        self.page("/", "home (to-do)")


class OfficeStaff(Staff):
    weight = 4
    kind = "office"

    @task(4)
    def list_clues(self):
        self.clue_list()

    @task(3)
    def detail(self):
        self.page(f"/clues/{random.choice(PLAN['clues'])}/", "clue detail")

    @task(2)
    def search_clues(self):
        self.search()

    @task(1)
    def read_dashboard(self):
        self.dashboard()

    @task(2)
    def transfer_list(self):
        self.transfers()

    @task(1)
    def to_do(self):
        self.home()


class Handler(Staff):
    weight = 5
    kind = "handler"

    @task(3)
    def list_own(self):
        self.page("/clues/", "clue list (filters)", params={"status": "verifying"})

    @task(2)
    def detail(self):
        self.page(f"/clues/{random.choice(self.own)}/", "clue detail")

    @task(3)
    def step(self):
        """Open one of their clues and take the step it offers: interim if verifying,
        resume if concluded for the stage; with the version read, as the page posts it."""
        number = random.choice(self.own)
        text = self.page(f"/clues/{number}/", "clue detail")
        found, token = VERSION.search(text), TOKEN.search(text)
        if not (found and token):
            return  # the detail request already failed, or offers no step: counted there
        step, version = found.groups()
        data = {"csrfmiddlewaretoken": token.group(1), "version": version}
        if step == "interim":
            data["result"] = "已走访举报人所述地点，阶段性查明部分事实，待补充证据后继续核查。"
        else:
            data["reason"] = "发现新证据，恢复核查。"
        self.post_then_read(
            f"/clues/{number}/step/{step}/", data, number, "transition (interim/resume)"
        )

    @task(1)
    def verification_note(self):
        number = random.choice(self.own)
        text = self.page(f"/clues/{number}/", "clue detail")
        token = TOKEN.search(text)
        if not token:
            return
        data = {
            "csrfmiddlewaretoken": token.group(1),
            "done_on": "2020-12-30",
            "work": "调取相关账户流水，询问证人二人。",
            "evidence": "询问笔录",
        }
        self.post_then_read(f"/clues/{number}/verification/", data, number, "verification note")

    def post_then_read(self, url: str, data: dict, number: str, name: str) -> None:
        """The form's POST, then the clue's page it sends the browser back to, each its own
        request (as the browser makes them): the POST must answer with that redirect, the
        page must show the success message and not an error."""
        with self.client.post(
            url,
            data=data,
            headers={"Referer": f"{self.host}/clues/{number}/"},
            name=name,
            allow_redirects=False,
            catch_response=True,
        ) as response:
            if response.status_code != 302:
                response.failure(f"HTTP {response.status_code}, not the redirect to the clue")
                return
            response.success()
        with self.client.get(
            response.headers["Location"], name="clue detail (after a step)", catch_response=True
        ) as page:
            fail_unless_page(page, success="alert alert-success")

    @task(1)
    def search_clues(self):
        self.search()

    @task(1)
    def transfer_list(self):
        self.transfers()


class Leader(Staff):
    weight = 1
    kind = "leader"

    @task(3)
    def read_dashboard(self):
        self.dashboard()

    @task(1)
    def list_clues(self):
        self.clue_list()

    @task(1)
    def to_do(self):
        self.home()


class Floor(HttpUser):
    """Anonymous: what any request costs through the same gunicorn at the same moment."""

    fixed_count = 1
    wait_time = WAIT

    @task
    def login_page(self):
        with self.client.get(LOGIN, name="floor: login page", catch_response=True) as r:
            fail_unless_page(r, anonymous=True)

    @task
    def static_file(self):
        with self.client.get(
            "/static/saohei/saohei.css", name="floor: static file", catch_response=True
        ) as r:
            fail_unless_page(r, anonymous=True)
