"""Screenshots for the guide "Thêm một kế hoạch mới" (docs/huong-dan/), from a built site.

    .venv/bin/python scripts/guide_screenshots.py site/ PLAN_ID docs/huong-dan/

Serves `site/` on 127.0.0.1 under the site's base path, opens the plan's page in headless
Debian Chromium (as the browser tests do) at a laptop's width, and writes:
- trang-ke-hoach.png: the top of the plan page (what the clerk checks first);
- cho-thieu.png: the first task row that shows what the document lacks (class ckh-absent),
  under its table's header.
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
        gap = page.locator(".ckh-tasks .ckh-absent").first
        row = gap.locator("xpath=ancestor::tr[1]")
        head = gap.locator("xpath=ancestor::table[1]/thead")
        head.scroll_into_view_if_needed()
        top, bottom = head.bounding_box(), row.bounding_box()  # in the viewport
        assert top and bottom
        # The table's header and the row: which column says "[không ghi]" is in sight.
        page.screenshot(
            path=str(out / "cho-thieu.png"),
            clip={
                "x": top["x"],
                "y": top["y"],
                "width": top["width"],
                "height": bottom["y"] + bottom["height"] - top["y"],
            },
        )
        print(f"{out / 'cho-thieu.png'}: {gap.inner_text()}")
        browser.close()
    server.shutdown()


if __name__ == "__main__":
    main(Path(sys.argv[1]), sys.argv[2], Path(sys.argv[3]))
