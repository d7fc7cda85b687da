"""The labeling page end to end in a real headless browser (Debian's chromium via Playwright).

Needs ``apt-get install chromium`` and ``pip install playwright`` (no
``playwright install``: we drive the system's chromium).  Skipped when either
is missing on a developer machine; under ``CI=true`` that is a failure.
"""
from __future__ import annotations

import json
import os
import shutil
import threading
from pathlib import Path

import pytest

from boilerstrip import label as bl

PAGES = Path(__file__).resolve().parent.parent / "corpus" / "example" / "pages"
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu",
                 "--disable-background-networking", "--disable-component-update",
                 "--disable-sync", "--no-first-run"]


def chromium_path() -> str:
    for cand in (os.environ.get("BOILERSTRIP_CHROMIUM"), "/usr/bin/chromium",
                 shutil.which("chromium"), shutil.which("chromium-browser")):
        if cand and Path(cand).is_file():
            return cand
    return ""


def _missing(msg: str):
    if os.environ.get("CI", "").lower() == "true":
        pytest.fail(f"{msg} (required in CI: apt-get install -y chromium && "
                    "pip install playwright)")
    pytest.skip(msg)


@pytest.fixture(scope="module")
def browser():
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        _missing("playwright is not installed")
    exe = chromium_path()
    if not exe:
        _missing("chromium is not installed")
    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=exe, args=CHROMIUM_ARGS)
        yield b
        b.close()


def serve(session):
    srv = bl.LabelServer(session, 0)
    threading.Thread(target=srv.serve_forever, daemon=True).start()
    return srv


@pytest.fixture
def labeling(tmp_path, browser):
    src = tmp_path / "library.html"
    shutil.copy(PAGES / "library-reopens.html", src)
    session = bl.LabelSession(src, tmp_path / "corpus")
    srv = serve(session)
    page = browser.new_page(viewport={"width": 1100, "height": 900})
    page.goto(srv.url)
    page.wait_for_selector("#doc .block")
    yield session, page, tmp_path / "corpus"
    page.close()
    srv.shutdown()
    srv.server_close()


def index_of(session, prefix: str) -> int:
    return next(i for i, t in enumerate(session.blocks.text) if t.startswith(prefix))


def label_in_page(page, i) -> str:
    return page.get_attribute(f'[data-index="{i}"]', "data-label")


def test_blocks_are_shown_with_the_models_decisions(labeling):
    session, page, _ = labeling
    n = len(session.blocks)
    assert page.locator("#doc .block").count() == n
    for i in range(n):
        cls = page.get_attribute(f'[data-index="{i}"]', "class")
        want = "content" if session.kept[i] else "boilerplate"
        assert want in cls.split(), (i, cls)
        assert "changed" not in cls.split()
    text = page.inner_text('[data-index="%d"]' % index_of(session, "The rebuild cost"))
    assert "The rebuild cost just under three million pounds" in text
    assert f"{n} blocks" in page.inner_text("#counts")
    # the colours really differ (the stylesheet loaded under the CSP)
    green = page.eval_on_selector(".block.content", "e => getComputedStyle(e).borderTopColor")
    red = page.eval_on_selector(".block.boilerplate", "e => getComputedStyle(e).borderTopColor")
    assert green != red


def test_click_shift_click_keyboard_then_save(labeling, tmp_path):
    session, page, corpus = labeling
    appeal = index_of(session, "Independent local journalism")
    byline = index_of(session, "By Agnes Whitlow")
    first_menu, last_menu = index_of(session, "News"), index_of(session, "Opinion")
    para = index_of(session, "Councillor Priya Dunmore")
    # a click flips the model's decision on the byline and marks the block as changed
    page.click(f'[data-index="{byline}"]')
    flipped = 1 - int(session.kept[byline])
    assert label_in_page(page, byline) == str(flipped)
    assert "changed" in page.get_attribute(f'[data-index="{byline}"]', "class")
    # shift-click: every block from the last click to this one takes the last click's label
    page.click(f'[data-index="{first_menu}"]')          # menu item -> content
    page.click(f'[data-index="{last_menu}"]', modifiers=["Shift"])
    assert all(label_in_page(page, i) == "1" for i in range(first_menu, last_menu + 1))
    page.click(f'[data-index="{first_menu}"]')          # back to boilerplate ...
    page.click(f'[data-index="{last_menu}"]', modifiers=["Shift"])
    assert all(label_in_page(page, i) == "0" for i in range(first_menu, last_menu + 1))
    # keyboard: focus the appeal and press Space twice, then Enter once -> toggled once
    page.focus(f'[data-index="{appeal}"]')
    page.keyboard.press(" ")
    page.keyboard.press(" ")
    page.keyboard.press("Enter")
    want_appeal = 1 - int(session.kept[appeal])
    assert label_in_page(page, appeal) == str(want_appeal)
    page.click(f'[data-index="{appeal}"]')              # and back by mouse
    assert label_in_page(page, appeal) == str(int(session.kept[appeal]))
    page.click(f'[data-index="{para}"]')
    page.click(f'[data-index="{para}"]')
    assert label_in_page(page, para) == "1"
    # hide boilerplate really hides those blocks
    page.check("#hide")
    assert not page.is_visible(f'[data-index="{first_menu}"]')
    assert page.is_visible(f'[data-index="{para}"]')
    page.uncheck("#hide")
    page.screenshot(path=str(tmp_path / "label.png"), full_page=True)
    assert (tmp_path / "label.png").stat().st_size > 10_000
    page.click("#save")
    page.wait_for_selector("#status.ok")
    assert "Saved as library" in page.inner_text("#status")
    assert "· saved" in page.inner_text("#counts")
    recs = [json.loads(line) for line in (corpus / "gold.jsonl").read_text().splitlines()]
    assert len(recs) == 1
    got = [e["label"] for e in recs[0]["labels"]]
    want = [int(k) for k in session.kept]
    want[byline] = flipped
    assert got == want
    assert (corpus / "pages" / "library.html").read_bytes() == \
        (PAGES / "library-reopens.html").read_bytes()
    # reset returns to the model; saving again replaces the record
    page.click("#reset")
    page.click("#save")
    page.wait_for_selector("#status.ok:has-text('replaced the earlier record')")
    recs = [json.loads(line) for line in (corpus / "gold.jsonl").read_text().splitlines()]
    assert len(recs) == 1 and [e["label"] for e in recs[0]["labels"]] == \
        [int(k) for k in session.kept]


def test_page_text_is_never_run_as_markup(tmp_path, browser):
    hostile = ("<html><body><p>Normal paragraph of an article that is long enough to be "
               "content.</p><p>&lt;img src=x onerror=\"window.__pwned=1\"&gt; and "
               "&lt;script&gt;window.__pwned=2&lt;/script&gt; as text</p>"
               "<script>window.__pwned = 3</script></body></html>")
    src = tmp_path / "hostile.html"
    src.write_text(hostile)
    srv = serve(bl.LabelSession(src, tmp_path / "corpus"))
    page = browser.new_page()
    try:
        page.goto(srv.url)
        page.wait_for_selector("#doc .block")
        assert page.evaluate("window.__pwned === undefined")
        assert page.locator("#doc img, #doc script").count() == 0
        assert "<img src=x" in page.inner_text("#doc")
    finally:
        page.close()
        srv.shutdown()
        srv.server_close()


def test_a_failed_save_is_shown(tmp_path, browser):
    src = tmp_path / "p.html"
    shutil.copy(PAGES / "night-bus.html", src)
    corpus = tmp_path / "corpus"
    corpus.write_text("a file where the corpus folder should be")
    srv = serve(bl.LabelSession(src, corpus))
    page = browser.new_page()
    try:
        page.goto(srv.url)
        page.wait_for_selector("#doc .block")
        page.click("#save")
        page.wait_for_selector("#status.error")
        assert "Not saved" in page.inner_text("#status")
    finally:
        page.close()
        srv.shutdown()
        srv.server_close()
