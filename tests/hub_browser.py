"""A participant's path through a running rust-dlintro hub, in headless Chromium.

usage: hub_browser.py HUB_URL NAME PASSWORD OUT_DIR

Opens HUB_URL, logs in with the login form, lands in JupyterLab on the participant's
notebooks/00-setup-testing.ipynb (the hub's default page), runs all its cells with
"Run All Cells", and writes what every code cell showed to OUT_DIR/hub-browser.json (and a
screenshot, OUT_DIR/hub-browser.png) for tests/hub.rs to judge. Exit status 2 when the page
could not be driven at all.
"""

import json
import os
import sys
import time
from pathlib import Path

from playwright.sync_api import sync_playwright

from browser_notebook import CHROMIUM_ARGS, MEASURE, run_all, wait_for_kernel


def main() -> int:
    if len(sys.argv) < 5:
        print(__doc__, file=sys.stderr)
        return 2
    url, name, password, out = sys.argv[1].rstrip("/"), sys.argv[2], sys.argv[3], Path(sys.argv[4])
    out.mkdir(parents=True, exist_ok=True)
    chromium = os.environ.get("DLINTRO_CHROMIUM", "/usr/bin/chromium")
    report = {}
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=chromium, args=CHROMIUM_ARGS)
        page = browser.new_page(viewport={"width": 1280, "height": 720})
        try:
            page.goto(f"{url}/hub/login")
            page.fill("#username_input", name)
            page.fill("#password_input", password)
            started = time.monotonic()
            page.click("#login_submit")
            # The hub spawns the server and redirects to JupyterLab with the notebook open.
            page.wait_for_url("**/lab/tree/notebooks/00-setup-testing.ipynb*", timeout=180_000)
            report["url"] = page.url.split("?")[0].replace(url, "")
            report["kernel"] = wait_for_kernel(page, "rust-dlintro", 300)
            report["lab_ready_s"] = time.monotonic() - started
            report["run"] = run_all(page, "00-setup-testing (hub)", 600)
            report["cells"] = page.evaluate(MEASURE)
            page.evaluate(
                "() => window.jupyterapp.shell.currentWidget.sessionContext.shutdown()")
        except Exception as error:  # what the page showed goes with the report
            report["error"] = f"{type(error).__name__}: {str(error)[:500]}"
            report["page_text"] = page.inner_text("body")[:2000]
        page.screenshot(path=str(out / "hub-browser.png"))
        browser.close()
    (out / "hub-browser.json").write_text(json.dumps(report, indent=1, ensure_ascii=False))
    return 0


if __name__ == "__main__":
    sys.exit(main())
