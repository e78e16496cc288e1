"""A class on one server: the shared environment, the participants' accounts and the hub.

Run by `cargo xtask hub …` (xtask/src/hub/mod.rs), which finds the workshop's environment and
writes the kernel's files; run as root on a Linux server. The container recipe
(hub/Dockerfile) runs the same `install`.

usage: dlintro_hub.py install PREFIX SETTINGS_JSON
       dlintro_hub.py warm PREFIX     (after xtask wrote the kernel's files)
       dlintro_hub.py accounts PREFIX [NAME ...]
       dlintro_hub.py start PREFIX
       dlintro_hub.py stop PREFIX [--remove-accounts]

PREFIX (default /opt/dlintro) holds everything participants share, readable by all and
writable by root only:

  venv/      Python with JupyterLab, torch and JupyterHub: a venv on a Python every user can
             run, whose site-packages are hard links to the workshop environment's (no copy)
  rust/      the Rust toolchain (hard links to the active toolchain's sysroot)
  bin/       evcxr_jupyter
  crate/     the dlintro crate; vendor/ its dependencies' sources (cargo vendor), so that
             no participant needs the network or a registry cache of their own
  evcxr/     the kernel's evcxr configuration and launcher (written by xtask)
  build/     the kernel's warm build (build/slot-0): every participant's build folder starts
             as hard links to its compiled crates, so an extra participant costs little disk
  proxy/     configurable-http-proxy (npm)
  hub/       root only (0700): the hub's configuration, database, cookie secret, the
             participants' password hashes and the sheet of accounts to hand out

A participant is a Unix user of their own whose home (0700) holds dlintro/notebooks (the
learner edition) and dlintro/crate (a link to PREFIX/crate); the instructor's home also has
the instructor's notebooks. Passwords are random, stored as PBKDF2 hashes, and written in
clear only to PREFIX/hub/accounts.txt (0600); nothing prints them.
"""

import hashlib
import json
import os
import secrets
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

# Compiled crates at least this big are hard links to the warm build's (.rlib, .rmeta, .so;
# see `shared_artifact`); everything else is a copy the participant owns.
LINK_AT_LEAST = 16 * 1024
# Words for passwords a participant can type from a printed sheet.
PASSWORD_ALPHABET = "abcdefghjkmnpqrstuvwxyz23456789"


def say(text):
    print(f"      {text}", flush=True)


def fail(text):
    print(f"error: {text}", file=sys.stderr)
    sys.exit(1)


def run(args, **kwargs):
    done = subprocess.run([str(a) for a in args], **kwargs)
    if done.returncode != 0:
        fail(f"`{' '.join(map(str, args))}` failed with exit status {done.returncode}")
    return done


def readable_by_all(path):
    """Whether every user can reach and read `path`: each folder above it searchable."""
    path = Path(path).resolve()
    for part in [path, *path.parents]:
        mode = part.stat().st_mode
        if not mode & 0o001 or (part == path and not mode & 0o004):
            return False
    return True


def link_tree(source, target):
    """A copy of `source` at `target` made of hard links (cp -al), or a real copy where the
    two are on different file systems."""
    target.parent.mkdir(parents=True, exist_ok=True)
    if target.exists():
        shutil.rmtree(target)
    if subprocess.run(["cp", "-al", str(source), str(target)]).returncode != 0:
        if target.exists():
            shutil.rmtree(target)
        run(["cp", "-a", source, target])


# ---------------------------------------------------------------------------------------------
# install


def base_python(env_python, version):
    """A Python of the environment's version that every user can run: the environment's own
    base when it is readable by all, else the system's."""
    base = subprocess.run(
        [env_python, "-c", "import sys; print(sys._base_executable)"],
        capture_output=True, text=True).stdout.strip()
    candidates = [base, f"/usr/bin/python{version}", "/usr/bin/python3"]
    for candidate in candidates:
        if not candidate or not Path(candidate).exists() or not readable_by_all(candidate):
            continue
        found = subprocess.run(
            [candidate, "-c", "import sys; print('%d.%d' % sys.version_info[:2])"],
            capture_output=True, text=True).stdout.strip()
        if found == version:
            return candidate
    fail(f"no Python {version} that every user can run: the environment's ({base}) is in a "
         f"folder only its owner can read. Install python{version} from the system's packages "
         f"(Debian/Ubuntu: `apt install python3 python3-venv`) and run the command again.")


def install_python(prefix, settings):
    env_python = settings["env_python"]
    info = json.loads(subprocess.run(
        [env_python, "-c",
         "import json, sys, sysconfig; print(json.dumps({'prefix': sys.prefix, "
         "'purelib': sysconfig.get_paths()['purelib'], "
         "'version': '%d.%d' % sys.version_info[:2]}))"],
        capture_output=True, text=True, check=True).stdout)
    venv = prefix / "venv"
    python = base_python(env_python, info["version"])
    if venv.exists():
        shutil.rmtree(venv)
    run([python, "-m", "venv", "--without-pip", venv])
    site = venv / "lib" / f"python{info['version']}" / "site-packages"
    site.rmdir()
    link_tree(Path(info["purelib"]), site)
    env_prefix = Path(info["prefix"])
    for folder in ["share", "etc"]:
        if (env_prefix / folder).is_dir():
            link_tree(env_prefix / folder, venv / folder)
    # The workshop's own kernel and its build folders are the instructor's, not the hub's.
    for mine in [venv / "share" / "jupyter" / "kernels" / "rust-dlintro",
                 venv / "share" / "dlintro"]:
        if mine.exists():
            shutil.rmtree(mine)
    # Console scripts name their Python in the first line: write the hub's own.
    env_bin = Path(env_python).parent
    for script in sorted(env_bin.iterdir()):
        target = venv / "bin" / script.name
        if target.exists() or script.is_symlink() or not script.is_file():
            continue
        head = script.read_bytes()[:200]
        if not head.startswith(b"#!") or str(env_bin).encode() not in head.split(b"\n")[0]:
            continue
        lines = script.read_text().split("\n")
        lines[0] = f"#!{venv / 'bin' / 'python'}"
        target.write_text("\n".join(lines))
        target.chmod(0o755)
    say(f"Python: {python}, with the environment's packages linked into {venv}")
    run([venv / "bin" / "python", "-m", "pip", "install", "--quiet", "--disable-pip-version-check",
         *settings["hub_packages"]])
    say(f"JupyterHub: {', '.join(settings['hub_packages'])}")


def install_proxy(prefix, settings):
    proxy = prefix / "proxy"
    binary = proxy / "node_modules" / ".bin" / "configurable-http-proxy"
    if not binary.exists():
        if not shutil.which("npm"):
            fail("npm is not installed: JupyterHub's proxy, configurable-http-proxy, comes from "
                 "npm (Debian/Ubuntu: `apt install nodejs npm`); run the command again after.")
        proxy.mkdir(parents=True, exist_ok=True)
        run(["npm", "install", "--silent", "--no-fund", "--no-audit", "--prefix", proxy,
             settings["proxy_package"]], stdout=subprocess.DEVNULL)
    say(f"proxy: {settings['proxy_package']}")


def install_rust(prefix, settings):
    link_tree(Path(settings["sysroot"]), prefix / "rust")
    (prefix / "bin").mkdir(exist_ok=True)
    shutil.copy2(settings["evcxr"], prefix / "bin" / "evcxr_jupyter")
    say(f"Rust: {settings['sysroot']} linked into {prefix / 'rust'}; evcxr_jupyter copied")


def install_crate(prefix, settings):
    crate = prefix / "crate"
    if crate.exists():
        shutil.rmtree(crate)
    shutil.copytree(settings["crate"], crate, ignore=shutil.ignore_patterns("target"))
    shutil.copy2(settings["lockfile"], crate / "Cargo.lock")
    vendor = prefix / "vendor"
    if vendor.exists():
        shutil.rmtree(vendor)
    cargo = prefix / "rust" / "bin" / "cargo"
    args = [cargo, "vendor", "--quiet", "--manifest-path", crate / "Cargo.toml", vendor]
    env = {**os.environ, "PATH": f"{prefix / 'rust' / 'bin'}:{os.environ['PATH']}"}
    # Offline first (the registry cache of set-up has them), else from crates.io.
    if subprocess.run([*map(str, args), "--offline"], env=env, stdout=subprocess.DEVNULL,
                      stderr=subprocess.DEVNULL).returncode != 0:
        run(args, env=env, stdout=subprocess.DEVNULL)
    build = prefix / "build"
    (build / ".cargo").mkdir(parents=True, exist_ok=True)
    (build / ".cargo" / "config.toml").write_text(
        settings["build_cargo_config"]
        + "\n# Every kernel builds from the hub's copy of the crates' sources, without a network.\n"
        f"[source.crates-io]\nreplace-with = \"hub\"\n\n[source.hub]\ndirectory = \"{vendor}\"\n\n"
        "[net]\noffline = true\n")
    say(f"crate: {crate}, its dependencies' sources in {vendor}")


# A container's participant gets the notebooks at each start of their server (Zero to
# JupyterHub's postStart hook): once, and never over their own work.
HOME_SCRIPT = """#!/bin/sh
# Written by `cargo xtask hub install --container`: the participant's ~/dlintro, once.
set -e
mkdir -p "$HOME/dlintro"
[ -e "$HOME/dlintro/crate" ] || ln -s {prefix}/crate "$HOME/dlintro/crate"
[ -e "$HOME/dlintro/notebooks" ] || cp -r {prefix}/learner "$HOME/dlintro/notebooks"
"""


def install_learner(prefix, settings):
    """The learner edition in the prefix; in a container also the script that copies it
    into the participant's home."""
    learner = prefix / "learner"
    if learner.exists():
        shutil.rmtree(learner)
    shutil.copytree(settings["learner"], learner)
    if settings.get("container"):
        script = prefix / "bin" / "dlintro-home"
        script.write_text(HOME_SCRIPT.format(prefix=prefix))
        script.chmod(0o755)
    say(f"learner edition: {learner}")


def warm_build(prefix):
    """The build every participant's starts from: a kernel run as the participants' kernels
    run (same kernelspec, a cargo home of no one's), with the build folder PREFIX/build."""
    spec_dir = prefix / "venv" / "share" / "jupyter" / "kernels" / "rust-dlintro"
    spec = json.loads((spec_dir / "kernel.json").read_text())
    spec["argv"][2] = str(prefix / "build")
    spec["env"]["CARGO_HOME"] = str(prefix / "build" / "cargo-home")
    spec["env"].pop("DLINTRO_BUILD_SEED", None)
    scratch = prefix / "build" / "warm-up"
    (scratch / "kernels" / "rust-dlintro").mkdir(parents=True, exist_ok=True)
    (scratch / "kernels" / "rust-dlintro" / "kernel.json").write_text(json.dumps(spec))
    cells = [f':dep dlintro = {{ path = "{prefix / "crate"}" }}',
             "use dlintro::prelude::*;",
             "let x = Tensor::from_slice(&[1.0f32, 2.0]);\nprintln!(\"{}\", x.sum(Kind::Float));"]
    code = (
        "import json, sys\n"
        "from jupyter_client.manager import KernelManager\n"
        "km = KernelManager(kernel_name='rust-dlintro')\n"
        "km.start_kernel()\n"
        "kc = km.client(); kc.start_channels(); kc.wait_for_ready(timeout=120)\n"
        "ok = True\n"
        "def show(m):\n"
        "    if m['msg_type'] in ('stream', 'error'):\n"
        "        print(m['content'].get('text') or m['content'].get('evalue'), file=sys.stderr)\n"
        "for cell in json.loads(sys.argv[1]):\n"
        "    reply = kc.execute_interactive(cell, timeout=1800, output_hook=show)\n"
        "    ok = ok and reply['content']['status'] == 'ok'\n"
        "km.shutdown_kernel(now=True)\n"
        "sys.exit(0 if ok else 1)\n")
    env = {**os.environ, "JUPYTER_PATH": str(scratch)}
    started = time.monotonic()
    log = prefix / "build" / "warm-up.log"
    with open(log, "w") as out:
        done = subprocess.run([str(prefix / "venv" / "bin" / "python"), "-c", code,
                               json.dumps(cells)], env=env, stdout=out, stderr=out)
    if done.returncode != 0:
        fail(f"the warm build failed; the kernel's output is in {log}")
    shutil.rmtree(scratch)
    say(f"warm build: {prefix / 'build' / 'slot-0'} in {time.monotonic() - started:.0f} s")


def install(prefix, settings_file):
    settings = json.loads(Path(settings_file).read_text())
    prefix.mkdir(parents=True, exist_ok=True)
    prefix.chmod(0o755)
    (prefix / "hub").mkdir(exist_ok=True)
    (prefix / "hub").chmod(0o700)
    install_python(prefix, settings)
    install_proxy(prefix, settings)
    install_rust(prefix, settings)
    install_crate(prefix, settings)
    install_learner(prefix, settings)


# ---------------------------------------------------------------------------------------------
# accounts


def hub_settings(prefix):
    return json.loads((prefix / "hub" / "settings.json").read_text())


def load_passwords(prefix):
    path = prefix / "hub" / "passwords.json"
    return json.loads(path.read_text()) if path.exists() else {}


def hash_password(password, salt):
    return hashlib.pbkdf2_hmac("sha256", password.encode(), bytes.fromhex(salt), 200_000).hex()


def new_password():
    groups = ["".join(secrets.choice(PASSWORD_ALPHABET) for _ in range(4)) for _ in range(3)]
    return "-".join(groups)


def write_private(path, text):
    path.touch(mode=0o600, exist_ok=True)
    path.chmod(0o600)
    path.write_text(text)


def seed_build(prefix, build, uid, gid):
    """The participant's build folders: slot-0 and slot-1 (a second notebook open at the
    same time) as links to the warm build's compiled crates plus copies of its small files;
    evcxr's compiled cells are left out."""
    warm = prefix / "build" / "slot-0"
    for folder in [build, build / ".cargo"]:
        folder.mkdir(parents=True, exist_ok=True)
        os.chown(folder, uid, gid)
    shutil.copy2(prefix / "build" / ".cargo" / "config.toml", build / ".cargo" / "config.toml")
    os.chown(build / ".cargo" / "config.toml", uid, gid)
    for slot in ["slot-0", "slot-1"]:
        target = build / slot
        if target.exists():
            continue
        for folder, dirs, files in os.walk(warm):
            relative = Path(folder).relative_to(warm)
            dirs[:] = [d for d in dirs if not d.startswith("ctx-")]
            made = target / relative
            made.mkdir(exist_ok=True)
            os.chown(made, uid, gid)
            for name in files:
                if name == ".lock" or ("code_" in name and name.endswith(".so")):
                    continue
                source, copy = Path(folder) / name, made / name
                if source.is_symlink():
                    os.symlink(os.readlink(source), copy)
                    os.lchown(copy, uid, gid)
                elif shared_artifact(relative, name, source.stat().st_size):
                    os.link(source, copy)
                else:
                    shutil.copy2(source, copy)
                    os.chown(copy, uid, gid)


def shared_artifact(relative, name, size):
    """Whether a file of the warm build can be a hard link in a participant's build folder:
    a compiled crate under target/ that cargo only reads once it is built. Cargo.lock, the
    fingerprints and evcxr's own crate (ctx, rebuilt with every cell) are rewritten in place,
    which a participant cannot do to root's file."""
    return (relative.parts[:1] == ("target",) and size >= LINK_AT_LEAST
            and "ctx" not in name and not name.endswith((".json", ".lock")))


def make_account(prefix, settings, name, instructor):
    """A Unix user of their own with the notebooks in a home only they can read."""
    if subprocess.run(["id", "-u", name], capture_output=True).returncode != 0:
        run(["useradd", "--create-home", "--user-group", "--shell", "/bin/bash", name])
    import pwd
    user = pwd.getpwnam(name)
    home = Path(user.pw_dir)
    home.chmod(0o700)
    work = home / "dlintro"
    work.mkdir(exist_ok=True)
    if not (work / "crate").exists():
        (work / "crate").symlink_to(prefix / "crate")
    editions = [("notebooks", settings["learner"])]
    if instructor:
        editions.append(("instructor", settings["notebooks"]))
    for folder, source in editions:
        if not (work / folder).exists():
            shutil.copytree(source, work / folder)
    run(["chown", "-R", "--no-dereference", f"{name}:{name}", work])
    seed_build(prefix, home / ".local" / "share" / "dlintro" / "build", user.pw_uid, user.pw_gid)
    for folder in [home / ".local", home / ".local" / "share", home / ".local" / "share" / "dlintro"]:
        os.chown(folder, user.pw_uid, user.pw_gid)


def accounts(prefix, names):
    """Creates the accounts that do not exist yet and writes their passwords to the sheet."""
    settings = hub_settings(prefix)
    passwords = load_passwords(prefix)
    sheet_path = prefix / "hub" / "accounts.txt"
    sheet = sheet_path.read_text() if sheet_path.exists() else (
        f"# rust-dlintro hub: {settings['bind_url']}\n# account\tpassword\n")
    instructor = settings["instructor"]
    made = []
    for name in [instructor, *names]:
        if name in passwords:
            continue
        password = new_password()
        salt = secrets.token_hex(16)
        make_account(prefix, settings, name, name == instructor)
        passwords[name] = {"salt": salt, "hash": hash_password(password, salt),
                           "admin": name == instructor}
        sheet += f"{name}\t{password}\n"
        made.append(name)
    write_private(prefix / "hub" / "passwords.json", json.dumps(passwords, indent=1))
    write_private(sheet_path, sheet)
    say(f"{len(made)} new account(s), {len(passwords)} in all; passwords in {sheet_path} (root only)")


# ---------------------------------------------------------------------------------------------
# start and stop


def start(prefix):
    hub = prefix / "hub"
    os.chdir(hub)
    command = [str(prefix / "venv" / "bin" / "jupyterhub"), "-f", str(hub / "jupyterhub_config.py")]
    os.execv(command[0], command)


def stop(prefix, remove_accounts):
    pid_file = prefix / "hub" / "jupyterhub.pid"
    if pid_file.exists():
        pid = int(pid_file.read_text())
        try:
            os.kill(pid, signal.SIGTERM)
            for _ in range(300):
                os.kill(pid, 0)
                time.sleep(0.1)
        except ProcessLookupError:
            pass
        pid_file.unlink(missing_ok=True)
        say("hub stopped (and with it every participant's server)")
    if remove_accounts:
        for name in load_passwords(prefix):
            subprocess.run(["userdel", "--remove", name], stderr=subprocess.DEVNULL)
        for secret in ["passwords.json", "accounts.txt", "jupyterhub.sqlite",
                       "jupyterhub_cookie_secret"]:
            (prefix / "hub" / secret).unlink(missing_ok=True)
        say("accounts and their homes removed")


def main():
    if len(sys.argv) < 3:
        print(__doc__, file=sys.stderr)
        return 2
    command, prefix = sys.argv[1], Path(sys.argv[2])
    if os.geteuid() != 0:
        fail("the hub makes a Unix user per participant: run it as root (sudo)")
    if command == "install":
        install(prefix, sys.argv[3])
    elif command == "warm":
        warm_build(prefix)
    elif command == "accounts":
        accounts(prefix, sys.argv[3:])
    elif command == "start":
        start(prefix)
    elif command == "stop":
        stop(prefix, "--remove-accounts" in sys.argv[3:])
    else:
        print(__doc__, file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main())
