"""Training-time augmentation: in-article appeals and prompts.

The boilerplate that container-level extractors keep is the kind that sits
*inside* the article container and reads as fluent prose: fundraising appeals,
invitations to comment, "thanks for registering, refresh to sign in" notices,
newsletter boxes, notification and cookie prompts.  Real labeled pages hold too
few of them for a model to learn from, so during training we insert synthetic
ones into the article run of some pages, with the structure of the article
paragraph next to them (same tag, depth, containers) and label 0: the model can
only tell them apart by what they say and whom they address.

Texts are assembled at random from fragments written for this purpose (no text
is taken from real pages).  Half of the inserted blocks also get a class-name
hint on a wrapper (``support``, ``newsletter``, ...), as real sites often have.
"""
from __future__ import annotations

import hashlib

import numpy as np

from .segment import ANCESTOR_TAG_BIT, PATTERN_BIT, Blocks

ORGS = ["the Courier", "the Daily Ledger", "Harbor Times", "the Gazette", "our newsroom",
        "the Observer", "Metro Post", "the Tribune", "Valley News", "the Chronicle"]

FRAGMENTS = {
    "fundraising": [
        ["Before you go", "Before you scroll on", "We have a small favour to ask",
         "If you found this reporting useful", "Thank you for reading", "One more thing",
         "You've read this far, so we have a question", "Readers like you make this possible",
         "This article is free to read"],
        ["{org} is an independent, nonprofit newsroom",
         "our journalism is funded by readers, not by advertisers or billionaires",
         "we rely on the generosity of readers to keep our reporting free for everyone",
         "we believe everyone deserves access to trustworthy local news",
         "our reporters work every day to hold the powerful to account",
         "keeping our coverage free costs more than ever",
         "no paywall stands between you and our reporting"],
        ["Please consider making a donation today", "Back our reporting with a gift of any size",
         "Become a member and help us keep reporting", "Give today",
         "Every contribution, however big or small, makes a difference",
         "Give monthly and join thousands of readers who keep us going",
         "If you can, support us with a one-time gift", "Make a tax-deductible donation today",
         "Chip in to keep independent journalism alive", "Support us from just $1"],
    ],
    "comments": [
        ["Join the discussion", "What do you think?", "We want to hear from you",
         "Have your say", "Tell us what you think", "Got a view on this story?"],
        ["add your voice in the comment section", "leave a comment and let us know",
         "our comment section is open to subscribers", "comments are moderated before they appear",
         "please keep the discussion civil and on topic",
         "log in or create a free account to comment"],
        ["Read our community guidelines", "Comments close after seven days",
         "We review every comment", "Be respectful", "Click here to comment",
         "Show comments"],
    ],
    "login": [
        ["Thanks for creating an account", "Thank you for signing up", "You have been signed out",
         "Welcome back", "Your session has expired", "You're almost done"],
        ["refresh your browser to complete your sign-in",
         "check your email to confirm your account",
         "reload this page to continue reading as a registered user",
         "log in again to keep reading", "sign in to access your account",
         "you have reached your limit of free articles this month"],
        ["Already a subscriber? Log in", "Create a free account", "Forgot your password?",
         "Subscribe for unlimited access", "Sign in with email", "Continue reading"],
    ],
    "newsletter": [
        ["Get our newsletter", "Get the morning briefing", "Stay informed",
         "Don't miss a story", "Want more stories like this?", "Subscribe to our daily email"],
        ["get the day's top headlines delivered to your inbox",
         "our editors pick the stories you need to read every morning",
         "receive breaking news alerts by email",
         "join more than 100,000 readers who get our newsletter"],
        ["Enter your email address", "By signing up, you agree to our privacy policy",
         "You can unsubscribe at any time", "Subscribe now", "Sign up"],
    ],
    "notifications": [
        ["Would you like to receive notifications", "Turn on notifications",
         "Get breaking news alerts", "Never miss an update"],
        ["click allow to enable push notifications in your browser",
         "we'll send you alerts when big stories break",
         "enable notifications for the latest news"],
        ["Allow", "No thanks", "Maybe later", "Enable alerts"],
    ],
    "cookies": [
        ["We use cookies", "This site uses cookies", "Your privacy matters to us",
         "We value your privacy"],
        ["we and our partners use cookies to personalise content and analyse our traffic",
         "by continuing to use this site you agree to our use of cookies",
         "you can change your preferences at any time"],
        ["Accept all", "Manage preferences", "Read our cookie policy", "Reject non-essential"],
    ],
    "share": [
        ["Share this article", "Share this story", "Found this useful?", "Spread the word"],
        ["share it with your friends on Facebook, X or by email",
         "send this story to someone who should read it",
         "copy the link and share it"],
        ["Share on Facebook", "Share via email", "Copy link", "Follow us on social media"],
    ],
}
#: Class-name hints a wrapper may carry, per category.
HINTS = {"fundraising": ["support", "donat", "promo", "member"],
         "comments": ["comment"], "login": ["login", "regist", "notif"],
         "newsletter": ["newsletter", "subscri", "signup"], "notifications": ["notif", "modal"],
         "cookies": ["cookie", "consent", "banner"], "share": ["share", "social"]}
CATEGORY_WEIGHTS = {"fundraising": 0.3, "comments": 0.15, "login": 0.15, "newsletter": 0.15,
                    "notifications": 0.08, "cookies": 0.07, "share": 0.1}

#: Share of eligible pages that get insertions.
AUGMENT_SHARE = 0.5
#: Insertion points per augmented page.
MAX_INSERTIONS = 3


def _rng(page_id: str, seed: int) -> np.random.Generator:
    h = hashlib.sha1(f"{seed}/{page_id}".encode()).digest()
    return np.random.default_rng(int.from_bytes(h[:8], "big"))


def synth_texts(rng: np.random.Generator, category: str) -> list[str]:
    """One to three short paragraphs of a category of boilerplate."""
    parts = FRAGMENTS[category]
    org = ORGS[rng.integers(len(ORGS))]
    paras = []
    n_par = int(rng.integers(1, 4))
    for _ in range(n_par):
        opener = parts[0][rng.integers(len(parts[0]))]
        middle = parts[1][rng.integers(len(parts[1]))].format(org=org)
        close = parts[2][rng.integers(len(parts[2]))]
        style = rng.integers(4)
        if style == 0:
            text = f"{opener}: {middle}. {close}."
        elif style == 1:
            text = f"{opener}. {middle[0].upper() + middle[1:]}. {close}."
        elif style == 2:
            text = f"{middle[0].upper() + middle[1:]}. {close}!"
        else:
            text = close + "."
        paras.append(text.replace("?.", "?").replace("?:", "?").replace("..", "."))
    return paras


#: Blocks columns indexed by element id; the others have one entry per block.
_ELEMENT_COLUMNS = ("element_chars", "element_tag", "element_mask", "element_parent")
_BLOCK_COLUMNS = tuple(f for f in Blocks.__dataclass_fields__ if f not in _ELEMENT_COLUMNS)


def _columns(blocks: Blocks) -> dict[str, list]:
    return {name: list(getattr(blocks, name)) for name in Blocks.__dataclass_fields__}


def _new_element(cols: dict, tag: str, mask: int, parent: int, chars: int = 0) -> int:
    """Append a block-level element (inside element ``parent``) to the element
    columns; return its id."""
    cols["element_chars"].append(chars)
    cols["element_tag"].append(tag)
    cols["element_mask"].append(mask)
    cols["element_parent"].append(parent)
    return len(cols["element_chars"]) - 1


def _insert_block(cols: dict, at: int, row: dict) -> None:
    """Insert one block (a value for every per-block column) before index ``at``."""
    for name in _BLOCK_COLUMNS:
        cols[name].insert(at, row[name])


def augment(blocks: Blocks, y: np.ndarray, page_id: str, seed: int = 0,
            share: float = AUGMENT_SHARE):
    """Return ``(blocks, y, inserted)`` with synthetic boilerplate inserted inside the
    article run, or the inputs unchanged when the page is not picked (a ``share``
    of pages is) or has no run."""
    rng = _rng(page_id, seed)
    content = np.nonzero(y == 1)[0]
    if len(content) < 3 or rng.random() >= share:
        return blocks, y, 0
    first, last = int(content[0]), int(content[-1])
    n_ins = int(rng.integers(1, MAX_INSERTIONS + 1))
    points = sorted(set(int(rng.integers(first + 1, last + 2)) for _ in range(n_ins)))
    cols = _columns(blocks)
    y_new = list(y.tolist())
    inserted = 0
    for pt in reversed(points):
        ref = min(pt, len(y_new) - 1)
        while ref > 0 and y_new[ref] != 1:
            ref -= 1
        inserted += _insert_synthetic(cols, y_new, pt, ref, rng)
    return Blocks(**cols), np.asarray(y_new, dtype=np.int8), inserted


_CATEGORIES = list(CATEGORY_WEIGHTS)
_CATEGORY_P = np.array([CATEGORY_WEIGHTS[c] for c in _CATEGORIES])
_CATEGORY_P /= _CATEGORY_P.sum()


def _insert_synthetic(cols: dict, y_new: list, pt: int, ref: int, rng: np.random.Generator) -> int:
    """Insert one to three synthetic paragraphs of a random category (drawn by
    :data:`CATEGORY_WEIGHTS`) before block ``pt``, each with the structure of
    block ``ref``; return how many."""
    cat = _CATEGORIES[int(rng.choice(len(_CATEGORIES), p=_CATEGORY_P))]
    texts = synth_texts(rng, cat)
    hint_bit = 0
    if rng.random() < 0.5:
        hint = HINTS[cat][rng.integers(len(HINTS[cat]))]
        hint_bit = PATTERN_BIT[hint]
    for k, t in enumerate(texts):
        at = pt + k
        row = {name: cols[name][ref] for name in _BLOCK_COLUMNS}
        row["text"] = t
        row["link_chars"] = 0 if rng.random() < 0.7 else int(len(t) * rng.uniform(0.05, 0.4))
        row["owner"] = _new_element(cols, cols["tag"][ref], cols["own_mask"][ref],
                                    cols["parent"][ref], len(t))
        row["anc_mask"] |= hint_bit
        _insert_block(cols, at, row)
        y_new.insert(at, 0)
        for cont in (cols["parent"][at], cols["grandparent"][at], 0):
            cols["element_chars"][cont] += len(t)
    return len(texts)


def insert_at(blocks: Blocks, y: np.ndarray, page_id: str, at: int, seed: int = 0):
    """Return ``(blocks, y, inserted)`` with synthetic boilerplate of one category
    inserted before block ``at``, with that block's structure (the check of
    appeals set between a headline and its story: ``boilerstrip train``)."""
    rng = _rng("at/" + page_id, seed)
    cols = _columns(blocks)
    y_new = list(y.tolist())
    n = _insert_synthetic(cols, y_new, at, at, rng)
    return Blocks(**cols), np.asarray(y_new, dtype=np.int8), n


# --- synthetic comment threads ------------------------------------------------
#
# Readers' comments are the boilerplate that looks most like an article: fluent
# prose, paragraphs, often in the main column.  On pages with a short article
# and a long thread they are most of the text.  What gives them away is where
# and how they sit: after the article, one repeated container per comment,
# with an author line, a date line and a "reply" link around the prose.  We
# append such threads to some training pages.  Their prose is borrowed from
# *other* pages' article paragraphs (so the model cannot learn "informal
# wording = comment") mixed with short reactions written here; the labels are 0.

#: Share of eligible pages that get a comment thread.
COMMENT_SHARE = 0.3
#: Comments per thread (inclusive range).
THREAD_COMMENTS = (2, 20)

NAMES = ["Anna K.", "mike_r", "Jordan", "Priya S", "Tom Becker", "guest", "Lena",
         "Carlos M.", "oldtimer42", "Sam", "Janet W.", "R. Okafor", "Hugo", "Dee",
         "Marcus T", "kate", "Yusuf", "E. Lindqvist", "Bill from Ohio", "Mei"]
DATE_FORMS = ["{month} {day}, {year} at {hour}:{minute} {ampm}", "{day} {month} {year}",
              "{mm}/{day}/{year}", "{n} hours ago", "{n} days ago",
              "{month} {day}, {year}", "{year}-{mm}-{dd} {hour}:{minute}"]
MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August",
          "September", "October", "November", "December"]
REACTIONS = ["Great piece, thanks for writing it.", "I completely disagree with this.",
             "Well said!", "This is exactly what I have been saying for years.",
             "Does anyone know where to find the full report?", "Thanks for sharing.",
             "I read this twice and still don't get the point.", "So true.",
             "Interesting, but what about the costs?", "Agreed, with one caveat.",
             "My family went through the same thing last year.", "Finally someone said it.",
             "Not sure the numbers add up here.", "Love this!", "Who checks these facts?",
             "Bookmarked.", "Same here, I had no idea.", "Exactly right."]
THREAD_HEADERS = ["{n} Comments", "{n} comments", "{n} Responses to \u201c{title}\u201d",
                  "Comments", "Discussion", "{n} thoughts on \u201c{title}\u201d",
                  "Reader comments", "What readers are saying"]
THREAD_FOOTERS = ["Leave a Reply", "Your email address will not be published.",
                  "Load more comments", "Post a comment", "Add a comment"]
REPLY_LINKS = ["Reply", "reply", "Report", "Like", "Permalink", "Reply \u2193", "Flag"]


def _comment_date(rng: np.random.Generator) -> str:
    form = DATE_FORMS[rng.integers(len(DATE_FORMS))]
    return form.format(month=MONTHS[rng.integers(12)], day=int(rng.integers(1, 29)),
                       year=int(rng.integers(2005, 2026)), hour=int(rng.integers(1, 13)),
                       minute=f"{int(rng.integers(60)):02d}", ampm="am" if rng.random() < .5 else "pm",
                       mm=f"{int(rng.integers(1, 13)):02d}", dd=f"{int(rng.integers(1, 29)):02d}",
                       n=int(rng.integers(1, 24)))


def _comment_blocks(rng: np.random.Generator, pool: list[str], title: str | None):
    """``[(comment_index, role, text)]`` of one thread; index -1 is the thread itself."""
    out = []
    n = int(rng.integers(THREAD_COMMENTS[0], THREAD_COMMENTS[1] + 1))
    if rng.random() < 0.7:
        head = THREAD_HEADERS[rng.integers(len(THREAD_HEADERS))]
        out.append((-1, "header", head.format(n=n, title=(title or "this story")[:80])))
    for k in range(n):
        name = NAMES[rng.integers(len(NAMES))]
        date = _comment_date(rng)
        style = rng.integers(3)
        if style == 0:
            out.append((k, "author", name + (" says:" if rng.random() < 0.3 else "")))
            out.append((k, "date", date))
        elif style == 1:
            out.append((k, "author", f"{name} {'on' if rng.random() < .5 else 'at'} {date}"))
        else:
            out.append((k, "author", f"Posted by {name} at {date}"))
        for _ in range(int(rng.integers(1, 4))):
            r = rng.random()
            if r < 0.55 and pool:
                text = pool[rng.integers(len(pool))]
            elif r < 0.8 and pool:
                text = REACTIONS[rng.integers(len(REACTIONS))] + " " + pool[rng.integers(len(pool))]
            else:
                text = REACTIONS[rng.integers(len(REACTIONS))]
            out.append((k, "text", text))
        if rng.random() < 0.5:
            out.append((k, "reply", REPLY_LINKS[rng.integers(len(REPLY_LINKS))]))
    if rng.random() < 0.4:
        out.append((-1, "footer", THREAD_FOOTERS[rng.integers(len(THREAD_FOOTERS))]))
    return out


#: Bits of article wrappers that a thread placed outside the article loses.
_ARTICLE_BITS = sum(PATTERN_BIT[p] for p in ("article", "story", "body", "entry", "text", "prose",
                                      "post", "detail"))


def augment_comments(blocks: Blocks, y: np.ndarray, page_id: str, pool: list[str],
                     title: str | None = None, seed: int = 0):
    """Return ``(blocks, y, inserted)`` with a synthetic comment thread after the
    article's last content block (label 0), or the inputs unchanged when the
    page is not picked (see :data:`COMMENT_SHARE`)."""
    rng = _rng("comments/" + page_id, seed)
    content = np.nonzero(y == 1)[0]
    if len(content) < 2 or rng.random() >= COMMENT_SHARE:
        return blocks, y, 0
    ref = int(content[-1])
    at = ref + 1
    cols = _columns(blocks)
    y_new = list(y.tolist())
    hint = rng.random() < 0.5           # class names say "comment"
    outside = rng.random() < 0.6        # thread sits outside the article wrapper
    list_form = rng.random() < 0.4      # <ol><li> per comment
    anc = cols["anc_mask"][ref]
    if outside:
        anc &= ~_ARTICLE_BITS
    thread_mask = PATTERN_BIT["comment"] if hint else 0
    item_mask = PATTERN_BIT["comment"] if hint and rng.random() < 0.7 else 0
    author_mask = (PATTERN_BIT["author"] if rng.random() < 0.5 else 0) | (item_mask if rng.random() < .3 else 0)
    date_mask = PATTERN_BIT["date"] if rng.random() < 0.5 else (PATTERN_BIT["meta"] if rng.random() < .3 else 0)
    role_masks = {"header": thread_mask, "author": author_mask, "date": date_mask, "text": 0,
                  "reply": PATTERN_BIT["comment"] if hint and rng.random() < 0.5 else 0, "footer": 0}
    role_hash = {r: (0 if r == "text" else int(1 << int(rng.integers(32))) if rng.random() < .7 else 0)
                 for r in role_masks}
    base_depth = cols["depth"][ref] + (0 if outside else 1)
    base_bdepth = cols["block_depth"][ref] + (0 if outside else 1)
    tag_base = cols["tag_mask"][ref] | (ANCESTOR_TAG_BIT["ol"] | ANCESTOR_TAG_BIT["li"] if list_form else 0)

    container = cols["grandparent"][ref] if outside else cols["parent"][ref]
    thread = _new_element(cols, "ol" if list_form else str(rng.choice(["div", "section"])),
                          thread_mask, container)
    items: dict[int, int] = {}
    pos = at
    plan = _comment_blocks(rng, pool, title)
    for k, role, text in plan:
        if k < 0:
            parent, grand = thread, container
        else:
            if k not in items:
                tag = "li" if list_form else str(rng.choice(["div", "article"]))
                items[k] = _new_element(cols, tag, item_mask, thread)
            parent, grand = items[k], thread
        tag = {"header": "h3" if rng.random() < .6 else "h2", "author": "div", "date": "div",
               "text": "p", "reply": "div", "footer": "h3"}[role]
        owner = _new_element(cols, tag, role_masks[role], parent)
        linked = role == "reply" or (role == "author" and rng.random() < 0.6)
        row = {"text": text, "link_chars": len(text) if role == "reply" else
               (min(len(text), int(rng.integers(3, 16))) if linked else 0),
               "tag": tag, "depth": min(base_depth + (2 if k >= 0 else 1), 255),
               "block_depth": min(base_bdepth + (2 if k >= 0 else 1), 255),
               "own_mask": role_masks[role],
               "anc_mask": anc | thread_mask | (item_mask if k >= 0 else 0) | role_masks[role],
               "tag_mask": tag_base, "hash_mask": role_hash[role], "owner": owner,
               "parent": parent, "grandparent": grand,
               "list_id": thread if list_form else -1, "row_id": -1, "table_id": -1}
        _insert_block(cols, pos, row)
        y_new.insert(pos, 0)
        for e in {owner, parent, grand, thread, container, 0}:
            cols["element_chars"][e] += len(text)
        pos += 1
    return Blocks(**cols), np.asarray(y_new, dtype=np.int8), pos - at
