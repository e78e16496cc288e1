"""Starts evcxr_jupyter for the rust-dlintro kernel in a build folder that outlives the kernel.

Written by `cargo xtask setup` from xtask/src/setup/launch_kernel.py; set-up overwrites changes.

usage: launch_kernel.py BUILD_ROOT EVCXR_JUPYTER [ARGUMENT...]

By itself evcxr compiles the cells of each kernel in a temporary folder that it deletes when
the kernel stops, so every new kernel compiled the dlintro crate again in its `:dep` cell, and
stale paths in evcxr's compilation cache made cargo rebuild it in every cell after that. Here
each kernel gets a folder of its own under BUILD_ROOT that stays (EVCXR_TMPDIR): slot-0 for
the first kernel, slot-1 for a second one open at the same time, and so on. A lock held for
the kernel's life keeps a second kernel out of a folder in use. A new slot starts as a copy of
slot-0's build, so that it needs no full build either.

On a class's hub (`cargo xtask hub`) the build root is under the participant's home ("~/…")
and DLINTRO_BUILD_SEED names the hub's warm build: a root that lost its files starts again
from a copy of it.

Kernel ▸ Interrupt: the kernelspec asks Jupyter for signal-mode interrupts, so Jupyter sends
SIGINT to the kernel's whole process group (jupyter_client's LocalProvisioner.send_signal,
os.killpg): evcxr_jupyter, the process that runs the cells (evcxr's own executable, started
again with EVCXR_IS_RUNTIME=1) and any compiler. evcxr_jupyter has no SIGINT handler, so here
SIGINT is ignored before exec: evcxr and the compilers it starts keep ignoring it, and the
process that runs the cells, which inherits that too, gets its own handler from the kernel's
prelude (crate/src/interrupt/handler.rs): dlintro's loops stop, and the variables stay.
"""

import glob
import os
import shutil
import signal
import subprocess
import sys

SLOTS = 32


def lock(handle):
    """Takes an exclusive lock on an open file, or raises OSError when another process has it."""
    if os.name == "nt":
        import msvcrt

        msvcrt.locking(handle.fileno(), msvcrt.LK_NBLCK, 1)
    else:
        import fcntl

        fcntl.flock(handle.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)


def compiled_cells(slot):
    """The shared objects that earlier kernels compiled their cells into (evcxr names them
    code_1, code_2, …), which no kernel needs any more."""
    patterns = ["*code_[0-9]*.so", "*code_[0-9]*.dylib", "*code_[0-9]*.dll"]
    deps = os.path.join(slot, "target", "*", "debug", "deps")
    return [path for pattern in patterns for path in glob.glob(os.path.join(deps, pattern))]


def seed_from(source, slot):
    """Copies slot-0's build into a new slot, without slot-0's compiled cells."""
    target = os.path.join(source, "target")
    if not os.path.isdir(target):
        return
    skipped = set(compiled_cells(source))
    try:
        shutil.copytree(
            target,
            os.path.join(slot, "target"),
            symlinks=True,
            ignore=lambda folder, names: [n for n in names if os.path.join(folder, n) in skipped],
        )
        for name in ["Cargo.lock"]:
            if os.path.exists(os.path.join(source, name)):
                shutil.copy2(os.path.join(source, name), slot)
    except OSError:
        # A partial copy only costs a rebuild of what is missing.
        pass


def seed_root(root, seed):
    """A build root of a hub's participant that lost its files: the hub's cargo configuration
    (the crates' sources without a network) and, in slot-0, a copy of the hub's warm build."""
    config = os.path.join(root, ".cargo", "config.toml")
    if not os.path.exists(config):
        os.makedirs(os.path.dirname(config), exist_ok=True)
        shutil.copy2(os.path.join(seed, ".cargo", "config.toml"), config)
    slot = os.path.join(root, "slot-0")
    if not os.path.isdir(os.path.join(slot, "target")):
        os.makedirs(slot, exist_ok=True)
        seed_from(os.path.join(seed, "slot-0"), slot)


def main():
    # A hub's kernelspec names the build root under the participant's home: "~/…".
    root, argv = os.path.expanduser(sys.argv[1]), sys.argv[2:]
    seed = os.environ.get("DLINTRO_BUILD_SEED")
    if seed and os.path.isdir(seed):
        seed_root(root, seed)
    for n in range(SLOTS):
        slot = os.path.join(root, f"slot-{n}")
        os.makedirs(slot, exist_ok=True)
        handle = open(os.path.join(slot, ".lock"), "a+")
        try:
            lock(handle)
        except OSError:
            handle.close()
            continue
        if n > 0 and not os.path.isdir(os.path.join(slot, "target")):
            seed_from(os.path.join(root, "slot-0"), slot)
        for path in compiled_cells(slot):
            try:
                os.remove(path)
            except OSError:
                pass
        os.environ["EVCXR_TMPDIR"] = slot
        if hasattr(signal, "SIGINT") and os.name != "nt":
            signal.signal(signal.SIGINT, signal.SIG_IGN)
        if os.name == "nt":
            # Windows has no exec: stay as the parent, holding the lock until the kernel ends.
            sys.exit(subprocess.call(argv))
        # The kernel inherits the locked file, so the lock lasts as long as the kernel.
        os.set_inheritable(handle.fileno(), True)
        os.execv(argv[0], argv)
    sys.exit(f"rust-dlintro: all {SLOTS} kernel folders in {root} are in use")


if __name__ == "__main__":
    main()
