"""The deployment guide's commands and files (docs/deploy.md, deploy/), run where they can run
here: Django's deployment check with the shipped environment; gunicorn with the shipped
configuration serving the login page and a static file in production mode; the portal-only
process serving /report/ and nothing internal; nginx with the shipped sites in front of both,
over TLS (`nginx -t`, then real requests); `systemd-analyze verify` on the shipped units.
nginx and systemd-analyze come from `make deploy-tools` (apt); without them those tests skip.
"""

import base64
import os
import re
import secrets
import shutil
import socket
import ssl
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest
from django.conf import settings

from saohei.intake import files as portal_files

ROOT = Path(__file__).resolve().parents[1]
DEPLOY = ROOT / "deploy"
UNITS = sorted(p.name for p in (DEPLOY / "systemd").iterdir())


def env_file(path: Path) -> dict[str, str]:
    """KEY=VALUE lines as systemd's EnvironmentFile= reads them (comments and blanks aside)."""
    values = {}
    for line in path.read_text().splitlines():
        if line.strip() and not line.lstrip().startswith("#"):
            key, _, value = line.partition("=")
            values[key.strip()] = value.strip()
    return values


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    """The template's environment with test secrets, a migrated SQLite database in place of
    the PostgreSQL URL and its paths under a temporary folder; static files collected."""
    where = tmp_path_factory.mktemp("deploy")
    keys = where / "secrets"
    keys.mkdir()
    (keys / "secret_key").write_text(secrets.token_urlsafe(50))
    (keys / "data_key").write_text(base64.b64encode(secrets.token_bytes(32)).decode())
    # Not the test run's own settings, nor the browser tests' DJANGO_ALLOW_ASYNC_UNSAFE (set in
    # tests/e2e/conftest.py for the whole run), which a deployment must not carry and the
    # deployment check refuses.
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("SAOHEI_", "DATABASE_")) and k != "DJANGO_ALLOW_ASYNC_UNSAFE"
    }
    env.update(env_file(DEPLOY / "saohei.env"))
    env.update(
        {
            "DATABASE_URL": f"sqlite:///{where}/saohei.sqlite3",  # PostgreSQL in the template
            "SAOHEI_VAR_DIR": str(where / "var"),
            "MEDIA_ROOT": str(where / "media"),
            "SECRET_KEY_FILE": str(keys / "secret_key"),  # as systemd's LoadCredential= does
            "SAOHEI_DATA_KEY_FILE": str(keys / "data_key"),
            "DJANGO_SETTINGS_MODULE": "saohei.settings",
        }
    )
    env.pop("SECRET_KEY", None)
    for command in (["migrate", "--noinput", "-v0"], ["collectstatic", "--noinput", "-v0"]):
        subprocess.run([sys.executable, "manage.py", *command], cwd=ROOT, env=env, check=True)
    return where, env


class Gunicorn:
    """`gunicorn -c deploy/gunicorn.conf.py saohei.wsgi` with the given environment."""

    def __init__(self, env: dict, log: Path):
        self.port = free_port()
        self.log = open(log, "w")  # noqa: SIM115 (open while it runs)
        self.process = subprocess.Popen(
            [str(Path(sys.executable).parent / "gunicorn"), "-c", "deploy/gunicorn.conf.py"]
            + ["saohei.wsgi"],
            cwd=ROOT,
            env={**env, "SAOHEI_BIND": f"127.0.0.1:{self.port}", "SAOHEI_WORKERS": "2"},
            stdout=self.log,
            stderr=subprocess.STDOUT,
        )
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            assert self.process.poll() is None, log.read_text()
            with socket.socket() as s:
                if s.connect_ex(("127.0.0.1", self.port)) == 0:
                    return
            time.sleep(0.2)
        raise AssertionError(f"gunicorn did not listen: {log.read_text()}")

    def stop(self) -> None:
        self.process.terminate()
        self.process.wait(timeout=40)
        self.log.close()


def get(url: str, host: str, *, context=None) -> tuple[int, str, dict]:
    """(status, body, headers) of a GET sent as nginx forwards it: the site's host name,
    X-Forwarded-Proto https (SECURE_SSL_REDIRECT is on); redirects not followed."""

    class NoRedirect(urllib.request.HTTPRedirectHandler):
        def redirect_request(self, *args, **kwargs):
            return None

    handlers = [NoRedirect()]
    if context is not None:
        handlers.append(urllib.request.HTTPSHandler(context=context))
    opener = urllib.request.build_opener(*handlers)
    request = urllib.request.Request(url, headers={"Host": host, "X-Forwarded-Proto": "https"})
    try:
        with opener.open(request, timeout=30) as response:
            return response.status, response.read().decode(errors="replace"), response.headers
    except urllib.error.HTTPError as exc:
        return exc.code, exc.read().decode(errors="replace"), exc.headers


def test_check_deploy_with_the_shipped_environment_gives_no_warning(site):
    where, env = site
    done = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    assert "no issues" in done.stdout, done.stdout + done.stderr


def test_gunicorn_with_the_shipped_config_serves_the_login_page_and_static_files(site):
    where, env = site
    server = Gunicorn(env, where / "gunicorn.log")
    try:
        base, host = f"http://127.0.0.1:{server.port}", env["ALLOWED_HOSTS"]
        status, body, headers = get(f"{base}/accounts/login/", host)
        assert status == 200 and 'name="csrfmiddlewaretoken"' in body
        hsts = headers["Strict-Transport-Security"]
        assert hsts == "max-age=31536000; includeSubDomains; preload"
        assert "Secure" in headers["Set-Cookie"]  # the CSRF cookie, over HTTPS only
        status, body, _headers = get(f"{base}/static/saohei/saohei.css", host)
        assert status == 200 and body == (ROOT / "saohei/static/saohei/saohei.css").read_text()
        assert get(f"{base}/accounts/login/", "attacker.example")[0] == 400  # ALLOWED_HOSTS
    finally:
        server.stop()
    log = (where / "gunicorn.log").read_text()
    assert "GET /accounts/login/ HTTP/1.1" in log and "gthread" in log


def test_the_portal_process_serves_the_report_pages_and_nothing_internal(site):
    where, env = site
    portal_env = {**env, **env_file(DEPLOY / "saohei-portal.env")}
    server = Gunicorn(portal_env, where / "portal.log")
    try:
        base, host = f"http://127.0.0.1:{server.port}", portal_env["ALLOWED_HOSTS"]
        assert get(f"{base}/report/", host)[0] == 200
        for internal in ("/accounts/login/", "/admin/", "/api/", "/clues/", "/reports/"):
            assert get(f"{base}{internal}", host)[0] == 404, internal
    finally:
        server.stop()


def test_nginx_body_limits_match_the_application():
    internal = (DEPLOY / "nginx" / "saohei.conf").read_text()
    portal = (DEPLOY / "nginx" / "saohei-portal.conf").read_text()
    assert env_file(DEPLOY / "saohei.env")["SAOHEI_MAX_ATTACHMENT_MB"] == str(
        settings.SAOHEI_MAX_ATTACHMENT_MB
    )
    limit = re.search(r"client_max_body_size (\d+)m;", internal).group(1)
    assert int(limit) == settings.SAOHEI_MAX_ATTACHMENT_MB + 1
    limit = re.search(r"client_max_body_size (\d+)m;", portal).group(1)
    assert int(limit) == portal_files.MAX_FILES * portal_files.MAX_FILE_MB + 1


def self_signed(where: Path, name: str) -> None:
    subprocess.run(
        ["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2"]
        + ["-keyout", str(where / f"{name}.key"), "-out", str(where / f"{name}.crt")]
        + ["-subj", f"/CN={name}"],
        check=True,
        capture_output=True,
    )


def test_nginx_with_the_shipped_sites_in_front_of_gunicorn(site, tmp_path):
    """`nginx -t` on both sites, then nginx itself on free ports: TLS, the redirect from
    HTTP, static files from disk, the application through the proxy, and the portal's zone
    answering /report/ and refusing the internal URLs before they reach any process."""
    # Fails rather than skips: `make test` installs it (make deploy-tools).
    assert shutil.which("nginx"), "nginx is not installed: run make deploy-tools"
    where, env = site
    tls = tmp_path / "tls"
    tls.mkdir()
    for name in ("saohei", "jubao"):
        self_signed(tls, name)
    app = Gunicorn(env, where / "app-behind-nginx.log")
    portal = Gunicorn(
        {**env, **env_file(DEPLOY / "saohei-portal.env")}, where / "portal-behind-nginx.log"
    )
    ports = {name: free_port() for name in ("http", "https", "portal_http", "portal_https")}
    sites = []
    for name, upstream, http, https in (
        ("saohei", app.port, ports["http"], ports["https"]),
        ("saohei-portal", portal.port, ports["portal_http"], ports["portal_https"]),
    ):
        text = (DEPLOY / "nginx" / f"{name}.conf").read_text()
        text = re.sub(r"server 127\.0\.0\.1:800\d;", f"server 127.0.0.1:{upstream};", text)
        text = text.replace("listen 80;", f"listen 127.0.0.1:{http};")
        text = text.replace("listen 443 ssl http2;", f"listen 127.0.0.1:{https} ssl http2;")
        text = text.replace("/etc/saohei/tls/", f"{tls}/")
        text = text.replace("/var/log/nginx/", f"{tmp_path}/")
        text = text.replace("/srv/saohei/var/static/", f"{where}/var/static/")
        (tmp_path / f"{name}.conf").write_text(text)
        sites.append(f"include {tmp_path}/{name}.conf;")
    conf = tmp_path / "nginx.conf"
    # As root (CI's container), workers would run as nobody, who cannot enter pytest's
    # private temporary folders; on a server the static folder is readable (docs/deploy.md).
    user = "user root;" if os.getuid() == 0 else ""
    conf.write_text(
        f"{user} pid {tmp_path}/nginx.pid; error_log {tmp_path}/error.log; daemon off;"
        f" events {{}} http {{ include /etc/nginx/mime.types; {' '.join(sites)} }}"
    )
    nginx = ["nginx", "-c", str(conf), "-p", str(tmp_path)]
    checked = subprocess.run([*nginx, "-t"], capture_output=True, text=True)
    assert checked.returncode == 0, checked.stderr
    server = subprocess.Popen(nginx, stderr=subprocess.PIPE)
    try:
        context = ssl.create_default_context(cafile=str(tls / "saohei.crt"))
        context.check_hostname = False
        portal_context = ssl.create_default_context(cafile=str(tls / "jubao.crt"))
        portal_context.check_hostname = False
        host = env["ALLOWED_HOSTS"]
        portal_host = env_file(DEPLOY / "saohei-portal.env")["ALLOWED_HOSTS"]
        for _ in range(50):
            with socket.socket() as s:
                if s.connect_ex(("127.0.0.1", ports["https"])) == 0:
                    break
            time.sleep(0.1)
        status, _body, headers = get(f"http://127.0.0.1:{ports['http']}/clues/", host)
        assert status == 301 and headers["Location"].startswith(f"https://{host}")
        https = f"https://127.0.0.1:{ports['https']}"
        status, body, headers = get(f"{https}/accounts/login/", host, context=context)
        assert status == 200 and 'name="csrfmiddlewaretoken"' in body
        assert headers["Content-Security-Policy"]  # Django's, through the proxy
        status, body, headers = get(f"{https}/static/saohei/saohei.css", host, context=context)
        assert status == 200 and "nosniff" in headers["X-Content-Type-Options"]
        assert get(f"{https}/media/anything", host, context=context)[0] == 404
        status, _body, headers = get(f"{https}/clues/", host, context=context)
        assert status == 302 and "/accounts/login/" in headers["Location"]  # the app answered
        portal_https = f"https://127.0.0.1:{ports['portal_https']}"
        assert get(f"{portal_https}/report/", portal_host, context=portal_context)[0] == 200
        for internal in ("/accounts/login/", "/admin/", "/api/schema/", "/clues/"):
            status = get(f"{portal_https}{internal}", portal_host, context=portal_context)[0]
            assert status == 404, internal
    finally:
        server.terminate()
        server.wait(timeout=20)
        app.stop()
        portal.stop()


def test_systemd_units_verify(tmp_path):
    """`systemd-analyze verify` on the shipped units, in a root of their own that holds the
    system's units and stand-ins for the programs they start (the code is not installed in
    /srv here)."""
    assert shutil.which("systemd-analyze"), "systemd-analyze is not installed (package systemd)"
    root = tmp_path / "root"
    shutil.copytree("/usr/lib/systemd/system", root / "usr/lib/systemd/system", symlinks=True)
    shutil.copytree(DEPLOY / "systemd", root / "etc/systemd/system")
    programs = root / "srv/saohei/app/.venv/bin"
    programs.mkdir(parents=True)
    for name in ("gunicorn", "python"):
        (programs / name).write_text("#!/bin/sh\n")
        (programs / name).chmod(0o755)
    (root / "bin").mkdir()
    for name in ("sh", "kill"):
        shutil.copy(f"/bin/{name}", root / "bin" / name)
    done = subprocess.run(
        ["systemd-analyze", "verify", f"--root={root}", *UNITS],
        cwd=tmp_path,
        capture_output=True,
        text=True,
    )
    assert done.returncode == 0 and not done.stderr.strip(), done.stdout + done.stderr
