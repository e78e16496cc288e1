"""K participants at once through a running rust-dlintro hub, as their browsers would.

usage: hub_load.py HUB_URL ACCOUNTS_FILE NOTEBOOK... > result.json

Each participant of ACCOUNTS_FILE (the hub's sheet: "name<TAB>password" lines; the first
account is the instructor's and is skipped) logs in with the login form, asks for a token,
starts their server, and runs the code cells of each NOTEBOOK (paths under their
~/dlintro/notebooks) in a kernel of the notebook's session, over the kernel's websocket
through the hub's proxy, as JupyterLab does; all participants start at the same moment.
Then the security cases: a wrong password, a participant's kernel reading another's home and
the instructor's notebooks, a participant's token against the admin API, and (with
DLINTRO_HUB_RUNAWAY_GIB=N) a cell that fills N GiB, more than the participant's memory limit.

Prints one JSON object: per participant and notebook the seconds of every cell, the errors;
the security answers; the memory of each participant's cgroup at its peak (when there is
one) and of the hub's own processes. tests/hub.rs judges it.
"""

import asyncio
import json
import os
import re
import statistics
import sys
import time
import uuid
from http.cookies import SimpleCookie
from pathlib import Path
from urllib.parse import urlencode

from tornado.httpclient import AsyncHTTPClient, HTTPRequest
from tornado.websocket import websocket_connect

AsyncHTTPClient.configure(None, max_clients=64)
CLIENT = AsyncHTTPClient()


class Session:
    """One participant's browser: cookies, the XSRF token and, after login, an API token."""

    def __init__(self, base, name, password):
        self.base, self.name, self.password = base.rstrip("/"), name, password
        self.cookies = {}
        self.token = None

    def _remember(self, response):
        for header in response.headers.get_list("Set-Cookie"):
            for key, morsel in SimpleCookie(header).items():
                self.cookies[key] = morsel.value

    def _cookie_header(self):
        return "; ".join(f"{k}={v}" for k, v in self.cookies.items())

    async def fetch(self, path, method="GET", body=None, headers=None, form=False):
        headers = dict(headers or {})
        if self.cookies:
            headers["Cookie"] = self._cookie_header()
        if "_xsrf" in self.cookies:
            headers["X-XSRFToken"] = self.cookies["_xsrf"]
        if self.token:
            headers["Authorization"] = f"token {self.token}"
        if body is not None and not form:
            body = json.dumps(body)
            headers["Content-Type"] = "application/json"
        elif form:
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        request = HTTPRequest(self.base + path, method=method, body=body, headers=headers,
                              follow_redirects=False, request_timeout=600)
        response = await CLIENT.fetch(request, raise_error=False)
        self._remember(response)
        return response

    async def login(self, password=None):
        await self.fetch("/hub/login")
        form = urlencode({"username": self.name, "password": password or self.password,
                          "_xsrf": self.cookies.get("_xsrf", "")})
        response = await self.fetch("/hub/login", "POST", form, form=True)
        return response.code

    async def get_token(self):
        response = await self.fetch(f"/hub/api/users/{self.name}/tokens", "POST",
                                    {"note": "load test", "expires_in": 3600})
        if response.code != 201:
            raise RuntimeError(f"{self.name}: token request answered {response.code}")
        self.token = json.loads(response.body)["token"]
        self.cookies.pop("_xsrf", None)

    async def start_server(self):
        response = await self.fetch(f"/hub/api/users/{self.name}/server", "POST", {})
        if response.code not in (201, 202, 400):
            raise RuntimeError(f"{self.name}: server start answered {response.code}")
        for _ in range(600):
            user = json.loads((await self.fetch(f"/hub/api/users/{self.name}")).body)
            server = user.get("servers", {}).get("", {})
            if server.get("ready"):
                return
            await asyncio.sleep(0.5)
        raise RuntimeError(f"{self.name}: server not ready after 300 s")

    async def open_kernel(self, notebook):
        response = await self.fetch(
            f"/user/{self.name}/api/sessions", "POST",
            {"path": f"notebooks/{notebook}", "type": "notebook", "name": notebook,
             "kernel": {"name": "rust-dlintro"}})
        if response.code != 201:
            raise RuntimeError(f"{self.name}: session answered {response.code}: {response.body}")
        kernel = json.loads(response.body)["kernel"]["id"]
        ws_base = self.base.replace("http", "ws", 1)
        url = f"{ws_base}/user/{self.name}/api/kernels/{kernel}/channels"
        # As long as JupyterLab waits for a kernel that starts while others compile.
        request = HTTPRequest(url, headers={"Authorization": f"token {self.token}"},
                              connect_timeout=300, request_timeout=300)
        return kernel, await websocket_connect(request, max_message_size=64 << 20)


async def execute(ws, code, session_id, timeout=900):
    """Runs one cell; returns (seconds, status, error texts, output text)."""
    msg_id = uuid.uuid4().hex
    message = {
        "header": {"msg_id": msg_id, "username": "load", "session": session_id,
                   "msg_type": "execute_request", "version": "5.3"},
        "parent_header": {}, "metadata": {}, "channel": "shell",
        "content": {"code": code, "silent": False, "store_history": True,
                    "user_expressions": {}, "allow_stdin": False, "stop_on_error": True},
    }
    started = time.monotonic()
    await ws.write_message(json.dumps(message))
    status, errors, text, idle = None, [], [], False
    deadline = started + timeout
    while status is None or not idle:
        raw = await asyncio.wait_for(ws.read_message(), max(1, deadline - time.monotonic()))
        if raw is None:
            raise RuntimeError("the kernel's websocket closed")
        msg = json.loads(raw)
        if msg.get("parent_header", {}).get("msg_id") != msg_id:
            continue
        kind, content = msg["msg_type"], msg["content"]
        if kind == "execute_reply":
            status = content["status"]
        elif kind == "error":
            errors.append(f"{content['ename']}: {content['evalue']}")
        elif kind == "stream":
            text.append(content["text"])
            if content.get("name") == "stderr":
                errors.append(content["text"])
        elif kind == "status" and content["execution_state"] == "idle":
            idle = True
    return time.monotonic() - started, status, errors, "".join(text)


def code_cells(path):
    cells = json.loads(Path(path).read_text())["cells"]
    return ["".join(c["source"]) if isinstance(c["source"], list) else c["source"]
            for c in cells if c["cell_type"] == "code"]


async def participant(base, name, password, notebooks, barrier):
    session = Session(base, name, password)
    result = {"name": name, "notebooks": {}, "errors": []}
    try:
        if await session.login() != 302:
            raise RuntimeError(f"{name}: login refused")
        await session.get_token()
        started = time.monotonic()
        await session.start_server()
        result["server_start_s"] = time.monotonic() - started
        await barrier.wait()
        for notebook in notebooks:
            kernel, ws = await session.open_kernel(Path(notebook).name)
            session_id = uuid.uuid4().hex
            cells = []
            for code in code_cells(notebook):
                seconds, status, errors, text = await execute(ws, code, session_id)
                cells.append({"first_line": code.splitlines()[0] if code else "",
                              "s": seconds, "status": status, "errors": errors})
                if status != "ok" or errors:
                    result["errors"].append(f"{Path(notebook).name}: {code[:60]!r}: "
                                            f"{status} {errors}")
            result["notebooks"][Path(notebook).name] = summary(cells)
            ws.close()
            await session.fetch(f"/user/{name}/api/kernels/{kernel}", "DELETE")
    except Exception as error:  # reported, judged by tests/hub.rs
        result["errors"].append(f"{type(error).__name__}: {error}")
    return session, result


def summary(cells):
    dep = next((c["s"] for c in cells if c["first_line"].startswith(":dep")), None)
    use_at = next((i for i, c in enumerate(cells) if c["first_line"].startswith("use ")), None)
    first_after_use = cells[use_at + 1]["s"] if use_at is not None and use_at + 1 < len(cells) \
        else None
    return {"cells": len(cells), "dep_s": dep, "first_after_use_s": first_after_use,
            "median_s": statistics.median(c["s"] for c in cells) if cells else None,
            "slowest_s": max((c["s"] for c in cells), default=None),
            "ok": sum(c["status"] == "ok" and not c["errors"] for c in cells)}


async def security(base, first, second, instructor):
    """The cases that must be refused."""
    out = {}
    wrong = Session(base, first[0].name, "not-the-password")
    out["wrong_password_status"] = await wrong.login("not-the-password")
    out["wrong_password_logged_in"] = any(k.startswith("jupyterhub-session") or
                                          k.startswith("jupyterhub-hub-login")
                                          for k in wrong.cookies)
    a = first[0]
    response = await a.fetch("/hub/api/users")
    out["participant_token_admin_api"] = response.code
    response = await a.fetch(f"/hub/api/users/{second[0].name}")
    out["participant_token_other_user"] = response.code
    kernel, ws = await a.open_kernel("00-setup-testing.ipynb")
    probe = (
        f'println!("{{}}", std::fs::read_dir("/home/{second[0].name}").is_ok());\n'
        f'println!("{{}}", std::fs::read_to_string('
        f'"/home/{second[0].name}/dlintro/notebooks/00-setup-testing.ipynb").is_ok());\n'
        f'println!("{{}}", std::fs::read_dir("/home/{instructor}/dlintro/instructor").is_ok());')
    _, status, errors, text = await execute(ws, probe, uuid.uuid4().hex)
    out["kernel_reads"] = {"status": status, "errors": errors, "lines": text.split()}
    # A runaway cell: more memory than the participant's limit. The cgroup's OOM killer ends
    # the process that runs the cells; the hub and the other participant carry on.
    runaway = ("let v = vec![1u8; RUNAWAY_GIB << 30];\n"
               'println!("{}", v.iter().map(|&b| b as u64).sum::<u64>());')
    gib = int(os.environ.get("DLINTRO_HUB_RUNAWAY_GIB", "0"))
    if gib:
        _, status, errors, text = await execute(
            ws, runaway.replace("RUNAWAY_GIB", str(gib)), uuid.uuid4().hex)
        out["runaway"] = {"status": status, "errors": errors, "text": text[:500]}
        response = await second[0].fetch(f"/user/{second[0].name}/api/status")
        out["runaway_other_participant_status"] = response.code
        response = await CLIENT.fetch(base.rstrip("/") + "/hub/api/", raise_error=False)
        out["runaway_hub_status"] = response.code
    ws.close()
    await a.fetch(f"/user/{a.name}/api/kernels/{kernel}", "DELETE")
    return out


class MemoryWatch:
    """Samples, twice a second, the memory (PSS) of every process of each participant:
    the largest sum seen, and at that moment what each kind of process held."""

    def __init__(self, names):
        import pwd
        self.uids = {pwd.getpwnam(n).pw_uid: n for n in names}
        self.peak = {n: 0 for n in names}
        self.at_peak = {n: {} for n in names}
        self.running = True

    def sample(self):
        now = {n: {} for n in self.uids.values()}
        for proc in Path("/proc").iterdir():
            if not proc.name.isdigit():
                continue
            try:
                status = (proc / "status").read_text()
                uid = int(re.search(r"Uid:\s+(\d+)", status).group(1))
                if uid not in self.uids:
                    continue
                # PSS: pages shared with other processes (libtorch, evcxr's own code) count
                # in part, so the participants' sum is what the machine holds for them.
                rollup = (proc / "smaps_rollup").read_text()
                pss = int(re.search(r"Pss:\s+(\d+)", rollup).group(1)) * 1024
                kind = process_kind((proc / "cmdline").read_bytes())
            except (OSError, AttributeError):
                continue
            held = now[self.uids[uid]]
            held[kind] = held.get(kind, 0) + pss
        for name, held in now.items():
            if sum(held.values()) > self.peak[name]:
                self.peak[name] = sum(held.values())
                self.at_peak[name] = held

    async def run(self):
        while self.running:
            self.sample()
            await asyncio.sleep(0.5)


def process_kind(cmdline):
    """What a participant's process is, for the memory table."""
    args = cmdline.split(b"\0")
    text = b" ".join(args).decode(errors="replace")
    if "jupyterhub-singleuser" in text:
        return "JupyterLab server"
    if "evcxr_jupyter" in text:
        # The process that runs the cells is evcxr again, without the kernel's arguments.
        return "evcxr (kernel)" if "--control_file" in text else "evcxr (cells)"
    if "rustc" in text or "cargo" in text:
        return "cargo / rustc"
    if "launch_kernel" in text:
        return "launcher"
    return Path(args[0].decode(errors="replace")).name or "other"


def home_bytes(name):
    """The disk a participant's home takes of its own: files hard-linked to the hub's warm
    build (more than one link) are shared and not counted."""
    import pwd
    own = shared = 0
    for folder, _, files in os.walk(pwd.getpwnam(name).pw_dir):
        for file in files:
            try:
                info = os.lstat(os.path.join(folder, file))
            except OSError:
                continue
            if info.st_nlink > 1:
                shared += info.st_blocks * 512
            else:
                own += info.st_blocks * 512
    return {"own": own, "shared": shared}


def cgroup_peak(name):
    for path in [f"/sys/fs/cgroup/dlintro/{name}/memory.peak",
                 f"/sys/fs/cgroup/memory/dlintro/{name}/memory.max_usage_in_bytes"]:
        try:
            return int(Path(path).read_text())
        except OSError:
            continue
    return None


def hub_memory():
    """The resident memory of the hub, its proxy and the idle culler (not the servers)."""
    total = 0
    for proc in Path("/proc").iterdir():
        if not proc.name.isdigit():
            continue
        try:
            cmdline = (proc / "cmdline").read_bytes().replace(b"\0", b" ").decode()
            if re.search(r"bin/jupyterhub |configurable-http-proxy|jupyterhub_idle_culler",
                         cmdline + " "):
                status = (proc / "status").read_text()
                total += int(re.search(r"VmRSS:\s+(\d+)", status).group(1)) * 1024
        except (OSError, AttributeError):
            continue
    return total


async def wait_for_hub(base, timeout=120):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            response = await CLIENT.fetch(base.rstrip("/") + "/hub/api/", raise_error=False)
            if response.code == 200:
                return
        except OSError:
            pass
        await asyncio.sleep(0.5)
    raise RuntimeError(f"the hub at {base} did not answer within {timeout} s")


async def main():
    base, sheet, notebooks = sys.argv[1], sys.argv[2], sys.argv[3:]
    await wait_for_hub(base)
    accounts = [line.split("\t") for line in Path(sheet).read_text().splitlines()
                if line and not line.startswith("#")]
    instructor, participants = accounts[0][0], accounts[1:]
    barrier = asyncio.Barrier(len(participants))
    watch = MemoryWatch([name for name, _ in participants])
    watching = asyncio.create_task(watch.run())
    started = time.monotonic()
    runs = await asyncio.gather(*[participant(base, name, password, notebooks, barrier)
                                  for name, password in participants])
    report = {"participants": [r for _, r in runs], "wall_s": time.monotonic() - started}
    watch.running = False
    await watching
    for _, result in runs:
        result["cgroup_peak_bytes"] = cgroup_peak(result["name"])
        result["pss_peak_bytes"] = watch.peak[result["name"]]
        result["pss_at_peak"] = watch.at_peak[result["name"]]
        result["home_bytes"] = home_bytes(result["name"])
    report["hub_memory_bytes"] = hub_memory()
    sessions = [s for s, _ in runs]
    if len(sessions) >= 2 and all(s.token for s in sessions[:2]):
        report["security"] = await security(base, [sessions[0]], [sessions[1]], instructor)
    for session in sessions:
        if session.token:
            await session.fetch(f"/hub/api/users/{session.name}/server", "DELETE")
    print(json.dumps(report, indent=1))


if __name__ == "__main__":
    asyncio.run(main())
