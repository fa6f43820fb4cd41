"""Screenshots for the guide "Thêm một kế hoạch mới" (docs/huong-dan/), from a built site.

    .venv/bin/python scripts/guide_screenshots.py site/ PLAN_ID docs/huong-dan/

Serves `site/` on 127.0.0.1 under the site's base path, opens the plan's page in headless
Debian Chromium (as the browser tests do) at a laptop's width, and writes:
- trang-ke-hoach.png: the top of the plan page (what the clerk checks first);
- cho-thieu.png: the first element that shows what the document lacks (class ckh-absent),
  with the row or block around it.
"""

from __future__ import annotations

import os
import sys
import threading
from functools import partial
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

from playwright.sync_api import sync_playwright

BASE_PATH = "/cong-ke-hoach/"


class _Handler(SimpleHTTPRequestHandler):
    def translate_path(self, path: str) -> str:
        path = path.split("?", 1)[0].split("#", 1)[0]
        return super().translate_path(path[len(BASE_PATH) - 1 :])

    def log_message(self, format: str, *args: object) -> None:
        pass


def main(site: Path, plan: str, out: Path) -> None:
    server = ThreadingHTTPServer(("127.0.0.1", 0), partial(_Handler, directory=str(site)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    url = f"http://127.0.0.1:{server.server_address[1]}{BASE_PATH}ke-hoach/{plan}/"
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=os.environ.get("CHROMIUM", "/usr/bin/chromium"),
            args=["--no-sandbox", "--disable-gpu"],
        )
        page = browser.new_page(viewport={"width": 1280, "height": 900}, locale="vi-VN")
        page.goto(url)
        page.screenshot(path=str(out / "trang-ke-hoach.png"))
        print(f"{out / 'trang-ke-hoach.png'}: {url}")
        gap = page.locator(".ckh-absent").first
        around = gap.locator("xpath=ancestor::tr[1] | ancestor::dl[1]").first
        around.scroll_into_view_if_needed()
        around.screenshot(path=str(out / "cho-thieu.png"))
        print(f"{out / 'cho-thieu.png'}: {gap.inner_text()}")
        browser.close()
    server.shutdown()


if __name__ == "__main__":
    main(Path(sys.argv[1]), sys.argv[2], Path(sys.argv[3]))
