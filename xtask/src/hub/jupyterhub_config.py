# JupyterHub's configuration for a rust-dlintro class, written by `cargo xtask hub` from
# xtask/src/hub/jupyterhub_config.py into PREFIX/hub/ (root only). Its settings are in
# settings.json beside it; the accounts in passwords.json (PBKDF2 hashes), read at each login
# so that `cargo xtask hub add NAME` needs no restart.
# ruff: noqa: F821  (`c` is JupyterHub's configuration object)

import hashlib
import hmac
import json
import os
import signal
from pathlib import Path

from jupyterhub.auth import Authenticator
from jupyterhub.spawner import LocalProcessSpawner

HERE = Path(__file__).resolve().parent
SETTINGS = json.loads((HERE / "settings.json").read_text())
PREFIX = Path(SETTINGS["prefix"])


def accounts():
    path = HERE / "passwords.json"
    return json.loads(path.read_text()) if path.exists() else {}


class SheetAuthenticator(Authenticator):
    """The accounts `cargo xtask hub` made, with the passwords on its sheet."""

    async def authenticate(self, handler, data):
        name, password = data.get("username", ""), data.get("password", "")
        entry = accounts().get(name)
        if entry is None:
            return None
        tried = hashlib.pbkdf2_hmac(
            "sha256", password.encode(), bytes.fromhex(entry["salt"]), 200_000).hex()
        if not hmac.compare_digest(tried, entry["hash"]):
            return None
        return {"name": name, "admin": bool(entry.get("admin"))}

    def check_allowed(self, username, authentication=None):
        return username in accounts()


def cgroup(name):
    """The participant's memory cgroup and the file of its limit, cgroup v2 or v1; None
    without a memory controller."""
    root = Path("/sys/fs/cgroup")
    if (root / "cgroup.controllers").exists():
        return root / "dlintro" / name, "memory.max"
    if (root / "memory" / "cgroup.procs").exists():
        return root / "memory" / "dlintro" / name, "memory.limit_in_bytes"
    return None


def memory_cgroup(name):
    """The participant's memory cgroup, made here with its limit: its cgroup.procs, or None."""
    found = cgroup(name)
    if found is None:
        return None
    group, limit_file = found
    if limit_file == "memory.max" and not group.parent.exists():
        group.parent.mkdir()
        (group.parent / "cgroup.subtree_control").write_text("+memory")
    group.mkdir(parents=True, exist_ok=True)
    (group / limit_file).write_text(str(SETTINGS["memory_limit"]))
    return group / "cgroup.procs"


class ClassSpawner(LocalProcessSpawner):
    """A participant's server as their own Unix user, in a memory cgroup of their own: one
    runaway model is stopped by the kernel's OOM killer without taking the server down."""

    async def start(self):
        address = await super().start()
        try:
            procs = memory_cgroup(self.user.name)
            if procs is not None:
                procs.write_text(str(self.pid))
            else:
                self.log.warning("no memory cgroup on this machine: %s has no memory limit",
                                 self.user.name)
        except OSError as error:
            self.log.warning("memory limit for %s not set: %s", self.user.name, error)
        return address

    async def stop(self, now=False):
        await super().stop(now=now)
        # A kernel that did not answer its shutdown outlives the server that started it (its
        # parent is gone): end whatever of the participant's is left in their cgroup.
        procs = cgroup_procs(self.user.name)
        if procs is not None:
            for pid in procs.read_text().split():
                try:
                    os.kill(int(pid), signal.SIGKILL)
                except (OSError, ValueError):
                    pass


def cgroup_procs(name):
    """The participant's cgroup.procs, if their cgroup exists."""
    found = cgroup(name)
    if found is None or not (found[0] / "cgroup.procs").exists():
        return None
    return found[0] / "cgroup.procs"


c.JupyterHub.authenticator_class = SheetAuthenticator
c.JupyterHub.spawner_class = ClassSpawner
c.JupyterHub.bind_url = SETTINGS["bind_url"]
if SETTINGS.get("ssl_cert"):
    c.JupyterHub.ssl_cert = SETTINGS["ssl_cert"]
    c.JupyterHub.ssl_key = SETTINGS["ssl_key"]
c.JupyterHub.db_url = f"sqlite:///{HERE / 'jupyterhub.sqlite'}"
c.JupyterHub.cookie_secret_file = str(HERE / "jupyterhub_cookie_secret")
c.JupyterHub.pid_file = str(HERE / "jupyterhub.pid")
c.ConfigurableHTTPProxy.command = [
    str(PREFIX / "proxy" / "node_modules" / ".bin" / "configurable-http-proxy")]
c.ConfigurableHTTPProxy.pid_file = str(HERE / "proxy.pid")
c.Authenticator.admin_users = {SETTINGS["instructor"]}

c.Spawner.cmd = [str(PREFIX / "venv" / "bin" / "jupyterhub-singleuser")]
# The page's JupyterLab object on `window`, as in `cargo xtask lab`: the browser test drives
# it; it gives the page's own scripts nothing they could not do through the server's API.
c.Spawner.args = ["--LabApp.expose_app_in_browser=True"]
c.Spawner.notebook_dir = "~/dlintro"
c.Spawner.default_url = "/lab/tree/notebooks/00-setup-testing.ipynb"
c.Spawner.mem_limit = SETTINGS["memory_limit"]
c.Spawner.http_timeout = 120
c.Spawner.start_timeout = 120
# The participant's environment: only what the server and the kernel need.
c.Spawner.env_keep = ["LANG", "LC_ALL", "TZ"]
c.Spawner.environment = {"PATH": f"{PREFIX / 'venv' / 'bin'}:/usr/local/bin:/usr/bin:/bin"}

# Idle servers are stopped (their files stay): every participant's kernel holds about 1 GiB.
c.JupyterHub.load_roles = [{
    "name": "idle-culler",
    "scopes": ["list:users", "read:users:activity", "read:servers", "delete:servers"],
    "services": ["idle-culler"],
}]
c.JupyterHub.services = [{
    "name": "idle-culler",
    "command": [str(PREFIX / "venv" / "bin" / "python"), "-m", "jupyterhub_idle_culler",
                f"--timeout={SETTINGS['idle_timeout']}"],
}]
os.umask(0o077)
