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

from .segment import PATTERNS, Blocks

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


def augment(blocks: Blocks, y: np.ndarray, page_id: str, seed: int = 0):
    """Return ``(blocks, y, inserted)`` with synthetic boilerplate inserted inside the
    article run, or the inputs unchanged when the page is not picked or has no run."""
    rng = _rng(page_id, seed)
    content = np.nonzero(y == 1)[0]
    if len(content) < 3 or rng.random() >= AUGMENT_SHARE:
        return blocks, y, 0
    first, last = int(content[0]), int(content[-1])
    cats = list(CATEGORY_WEIGHTS)
    probs = np.array([CATEGORY_WEIGHTS[c] for c in cats])
    probs /= probs.sum()
    n_ins = int(rng.integers(1, MAX_INSERTIONS + 1))
    points = sorted(set(int(rng.integers(first + 1, last + 2)) for _ in range(n_ins)))
    cols = {name: list(getattr(blocks, name)) for name in blocks.__dataclass_fields__}
    y_new = list(y.tolist())
    inserted = 0
    for pt in reversed(points):
        cat = cats[int(rng.choice(len(cats), p=probs))]
        texts = synth_texts(rng, cat)
        ref = min(pt, len(y_new) - 1)
        while ref > 0 and y_new[ref] != 1:
            ref -= 1
        hint_bit = 0
        if rng.random() < 0.5:
            hint = HINTS[cat][rng.integers(len(HINTS[cat]))]
            hint_bit = 1 << PATTERNS.index(hint)
        for k, t in enumerate(texts):
            at = pt + k
            elem = len(cols["element_chars"])
            cols["element_chars"].append(len(t))
            cols["element_tag"].append(cols["tag"][ref])
            for name in blocks.__dataclass_fields__:
                if name in ("element_chars", "element_tag"):
                    continue
                if name == "text":
                    val = t
                elif name == "link_chars":
                    val = 0 if rng.random() < 0.7 else int(len(t) * rng.uniform(0.05, 0.4))
                elif name == "owner":
                    val = elem
                elif name == "anc_mask":
                    val = cols[name][ref] | hint_bit
                else:
                    val = cols[name][ref]
                cols[name].insert(at, val)
            y_new.insert(at, 0)
            for cont in (cols["parent"][at], cols["grandparent"][at], 0):
                cols["element_chars"][cont] += len(t)
            inserted += 1
    return Blocks(**cols), np.asarray(y_new, dtype=np.int8), inserted
