"""Kernel ▸ Interrupt in a fresh rust-dlintro kernel, through jupyter_client as JupyterLab
does it (KernelManager.interrupt_kernel, which follows the kernelspec's interrupt_mode).

usage: interrupt_kernel.py KERNEL_NAME WORKDIR

Runs a 100,000-epoch `fit`, interrupts it after a few seconds, then runs the next cells; then
interrupts a cell stuck in a loop of its own once, and again. Prints one JSON object of what
it saw (outputs and seconds), which tests/notebooks.rs checks. Exit status 2 when the kernel
could not be run at all.
"""

import json
import queue
import subprocess
import sys
import time

from jupyter_client.manager import KernelManager

SETUP = [
    ':dep dlintro = { path = "../crate" }',
    "use dlintro::prelude::*;",
    "seed(1);\n"
    "let x = Tensor::from_slice(&(0..256).map(|i| i as f32 / 255.0).collect::<Vec<_>>())"
    ".reshape([256, 1]);\n"
    "let y = Tensor::from_slice(&(0..256).map(|i| i64::from(i >= 128)).collect::<Vec<_>>());\n"
    "let probe = Tensor::from_slice(&[0.0f32, 0.1, 0.9, 1.0]).reshape([4, 1]);\n"
    "let names = vec![\"low\".to_string(), \"high\".to_string()];\n"
    "let mut model = Sequential::input_features(1).dense(4, Activation::Relu)"
    ".dense(2, Activation::Softmax);\n"
    "model.compile(Loss::SparseCategoricalCrossEntropy, Optimizer::Adam { learning_rate: 0.01 })?;",
]
FIT = "let history = model.fit(&x, &y, FitOptions { epochs: 100_000, ..Default::default() })?;"
AFTER = [
    # Every variable of the cells before, the model and its history.
    'println!("{} {} {:?} {:?}", names.len(), x.size()[0], y.size(), probe.size());\n'
    'println!("epochs {} interrupted {}", history.epochs(), history.interrupted());\n'
    'println!("{}", history.stopped.as_ref().map(|r| r.to_string()).unwrap_or_default());',
    # The weights it reached: a loss far below the first epoch's, the classes of new points.
    'let evaluation = model.evaluate(&x, &y)?;\n'
    'println!("loss {:e} first {:e}", evaluation.loss, history.get("loss")?[0]);\n'
    'println!("{:?}", model.predict_classes(&probe, &names)?);',
    # The next cell starts afresh: a fit runs all its epochs.
    "let again = model.fit(&x, &y, FitOptions { epochs: 30, verbose: Verbose::Silent, "
    '..Default::default() })?;\nprintln!("again {} {}", again.epochs(), again.interrupted());',
]
OWN_LOOP = 'println!("looping");\nlet mut i = 0u64;\nloop { i = std::hint::black_box(i + 1); }'


def collect(kc, msg_id, timeout):
    """The outputs of one cell until the kernel is idle: text lines and error values."""
    lines, errors = [], []
    deadline = time.monotonic() + timeout
    while True:
        msg = kc.get_iopub_msg(timeout=max(1, deadline - time.monotonic()))
        if msg["parent_header"].get("msg_id") != msg_id:
            continue
        kind, content = msg["msg_type"], msg["content"]
        if kind == "stream":
            lines.extend(content["text"].splitlines())
        elif kind in ("execute_result", "display_data"):
            lines.extend(content["data"].get("text/plain", "").splitlines())
        elif kind == "error":
            errors.append(content["evalue"])
        elif kind == "status" and content["execution_state"] == "idle":
            return lines, errors


def run(kc, code, timeout=600):
    start = time.monotonic()
    lines, errors = collect(kc, kc.execute(code), timeout)
    return {"code": code, "lines": lines, "errors": errors, "seconds": time.monotonic() - start}


def drain(kc, msg_id, until, timeout):
    """Reads the cell's messages for up to `timeout` s, until one of its lines contains
    `until`; what it read, and whether the cell is still running."""
    lines = []
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            msg = kc.get_iopub_msg(timeout=0.1)
        except queue.Empty:
            continue
        if msg["parent_header"].get("msg_id") != msg_id:
            continue
        if msg["msg_type"] == "stream":
            lines.extend(msg["content"]["text"].splitlines())
            if until and any(until in line for line in lines):
                return lines, True
        if msg["msg_type"] == "status" and msg["content"]["execution_state"] == "idle":
            return lines, False
    return lines, True


def interrupted(km, kc, code, running, before_s, times):
    """Runs `code` until a line of its output contains `running` (it compiled and runs), then
    interrupts it `times` times, `before_s` seconds apart: what it printed, the seconds from
    the last interrupt until the cell ended, and whether it was still running before that."""
    msg_id = kc.execute(code)
    lines, busy = drain(kc, msg_id, running, 600)
    for _ in range(times):
        if busy:
            more, busy = drain(kc, msg_id, None, before_s)
            lines += more
        if not busy:
            return {"code": code, "lines": lines, "errors": [], "ended_s": 0.0, "busy": False}
        start = time.monotonic()
        km.interrupt_kernel()
    more, errors = collect(kc, msg_id, 60)
    return {"code": code, "lines": lines + more, "errors": errors,
            "ended_s": time.monotonic() - start, "busy": True}


def main():
    kernel, workdir = sys.argv[1], sys.argv[2]
    km = KernelManager(kernel_name=kernel)
    result = {"interrupt_mode": km.kernel_spec.interrupt_mode}
    # evcxr's own start-up line would mix with the JSON on stdout.
    km.start_kernel(cwd=workdir, stdout=subprocess.DEVNULL)
    kc = km.client()
    kc.start_channels()
    try:
        kc.wait_for_ready(timeout=300)
        result["setup"] = [run(kc, code) for code in SETUP]
        result["fit"] = interrupted(km, kc, FIT, "Epoch 1/100000", 4.0, 1)
        result["after"] = [run(kc, code) for code in AFTER]
        result["own_loop"] = interrupted(km, kc, OWN_LOOP, "looping", 2.0, 2)
        result["restarted"] = [run(kc, "names.len()"), run(kc, "1 + 1")]
    finally:
        kc.stop_channels()
        km.shutdown_kernel(now=True)
    print(json.dumps(result, indent=1))
    return 0


if __name__ == "__main__":
    try:
        sys.exit(main())
    except Exception as error:  # noqa: BLE001 - any failure to run the kernel
        print(f"could not run the kernel: {error!r}", file=sys.stderr)
        sys.exit(2)
