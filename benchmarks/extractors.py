"""The extractors the benchmark compares, each behind ``f(html: str) -> str``.

Every adapter is built by a factory that imports its library lazily, so a peer
that is not installed is reported as *skipped* rather than failing the run.
Settings are the libraries' defaults except where a default would measure
something other than extraction (noted per adapter).

An extractor may also be given as ``module:function`` (or ``name=module:function``):
any importable callable taking the decoded HTML ``str`` and returning text.
"""
from __future__ import annotations

import hashlib
import importlib
import importlib.metadata
import importlib.util
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

from . import data

Extract = Callable[[str], str]


@dataclass(frozen=True)
class Spec:
    name: str
    modules: tuple[str, ...]   # must all be importable
    dist: str                  # distribution whose version is reported
    factory: Callable[[], Extract]
    note: str = ""


# --- HTML fragment -> text (for readability-lxml's HTML summary) -----------

_BLOCK_TAGS = frozenset("""address article aside blockquote body br dd details dialog div dl dt
fieldset figcaption figure footer form h1 h2 h3 h4 h5 h6 header hr li main nav ol p pre
section summary table tbody thead tfoot tr td th ul html""".split())
_SKIP_TAGS = frozenset("script style noscript template head title".split())
_SPACES = re.compile(r"\s+")


def fragment_text(fragment: str) -> str:
    """Text of an HTML fragment, one line per block element, spaces collapsed."""
    import lxml.html

    if not fragment or not fragment.strip():
        return ""
    try:
        root = lxml.html.fromstring(fragment)
    except Exception:  # lxml raises ParserError on e.g. whitespace-only input
        return ""
    parts: list[str] = []  # text, with "\n" only at block boundaries

    def walk(el) -> None:
        tag = el.tag if isinstance(el.tag, str) else ""
        if not tag or tag.lower() in _SKIP_TAGS:  # comments, scripts...: tail only
            if el.tail:
                parts.append(_SPACES.sub(" ", el.tail))
            return
        block = tag.lower() in _BLOCK_TAGS
        if block:
            parts.append("\n")
        if el.text:
            parts.append(_SPACES.sub(" ", el.text))
        for child in el:
            walk(child)
        if block:
            parts.append("\n")
        if el.tail:
            parts.append(_SPACES.sub(" ", el.tail))

    walk(root)
    lines = (_SPACES.sub(" ", line).strip() for line in "".join(parts).split("\n"))
    return "\n".join(line for line in lines if line)


# --- adapters ----------------------------------------------------------------

def _boilerstrip() -> Extract:
    import boilerstrip

    boilerstrip.clean("<html><body><p>warm the model cache</p></body></html>")

    def run(html: str) -> str:
        return boilerstrip.clean(html)
    return run


def _trafilatura() -> Extract:
    import trafilatura

    def run(html: str) -> str:
        # defaults, except comments: the benchmark scores article text only
        return trafilatura.extract(html, include_comments=False) or ""
    return run


def _readability() -> Extract:
    from readability import Document

    def run(html: str) -> str:
        return fragment_text(Document(html).summary())
    return run


_JUSTEXT_LANGS = {
    "en": "English", "de": "German", "fr": "French", "es": "Spanish", "it": "Italian",
    "pt": "Portuguese", "nl": "Dutch", "pl": "Polish", "cs": "Czech", "sk": "Slovak",
    "sl": "Slovenian", "hr": "Croatian", "sr": "Serbian", "bs": "Bosnian", "ru": "Russian",
    "uk": "Ukrainian", "bg": "Bulgarian", "ro": "Romanian", "hu": "Hungarian", "fi": "Finnish",
    "et": "Estonian", "lv": "Latvian", "lt": "Lithuanian", "sv": "Swedish", "da": "Danish",
    "no": "Norwegian_Bokmal", "nb": "Norwegian_Bokmal", "nn": "Norwegian_Nynorsk",
    "is": "Icelandic", "el": "Greek", "tr": "Turkish", "ca": "Catalan", "gl": "Galician",
    "eu": "Basque", "ga": "Irish", "cy": "Welsh", "id": "Indonesian", "ms": "Malay",
    "vi": "Vietnamese", "ar": "Arabic", "fa": "Persian", "he": "Hebrew", "hi": "Hindi",
    "ko": "Korean", "af": "Afrikaans", "sq": "Albanian", "mk": "Macedonian", "la": "Latin",
    "lb": "Luxembourgish", "eo": "Esperanto", "be": "Belarusian", "ka": "Georgian",
}


def _justext() -> Extract:
    import justext

    available = set(justext.get_stoplists())
    stoplists: dict[str, frozenset] = {}

    def stoplist(lang: str | None) -> frozenset:
        name = _JUSTEXT_LANGS.get(lang or "", "English")
        if name not in available:
            name = "English"
        if name not in stoplists:
            stoplists[name] = justext.get_stoplist(name)
        return stoplists[name]

    stoplist("en")

    def run(html: str) -> str:
        paragraphs = justext.justext(html, stoplist(data.page_language(html)))
        return "\n".join(p.text for p in paragraphs if not p.is_boilerplate)
    return run


def _resiliparse() -> Extract:
    from resiliparse.extract.html2text import extract_plain_text

    def run(html: str) -> str:
        return extract_plain_text(html, main_content=True)
    return run


def _newspaper() -> Extract:
    import newspaper

    config = newspaper.Config()
    # the default downloads images to rank them: that measures the network
    config.fetch_images = False
    config.memorize_articles = False

    def run(html: str) -> str:
        article = newspaper.Article("http://localhost/", config=config)
        article.download(input_html=html)
        article.parse()
        return article.text or ""
    return run


def _goose() -> Extract:
    from goose3 import Goose

    goose = Goose()

    def run(html: str) -> str:
        return goose.extract(raw_html=html).cleaned_text or ""
    return run


def _boilerpy3() -> Extract:
    from boilerpy3 import extractors

    extractor = extractors.ArticleExtractor(raise_on_failure=False)

    def run(html: str) -> str:
        return extractor.get_content(html) or ""
    return run


def _html_text() -> Extract:
    import html_text

    def run(html: str) -> str:
        return html_text.extract_text(html)
    return run


REGISTRY: dict[str, Spec] = {s.name: s for s in (
    Spec("boilerstrip", ("boilerstrip",), "boilerstrip", _boilerstrip, "clean(html), text output"),
    Spec("trafilatura", ("trafilatura",), "trafilatura", _trafilatura,
         "extract(html, include_comments=False)"),
    Spec("readability", ("readability",), "readability-lxml", _readability,
         "Document(html).summary() -> text"),
    Spec("justext", ("justext",), "justext", _justext,
         "stoplist from <html lang>, English by default"),
    Spec("resiliparse", ("resiliparse",), "resiliparse", _resiliparse,
         "extract_plain_text(html, main_content=True)"),
    Spec("newspaper4k", ("newspaper",), "newspaper4k", _newspaper,
         "Article.download(input_html=html).parse(), fetch_images=False"),
    Spec("goose3", ("goose3",), "goose3", _goose, "Goose().extract(raw_html=html).cleaned_text"),
    Spec("boilerpy3", ("boilerpy3",), "boilerpy3", _boilerpy3, "ArticleExtractor"),
    Spec("html_text", ("html_text",), "html-text", _html_text,
         "extract_text(html): keep-everything floor"),
)}

DEFAULT_EXTRACTORS = tuple(REGISTRY)


def is_custom(name: str) -> bool:
    return ":" in name


def custom_parts(spec: str) -> tuple[str, str, str]:
    """``[label=]module:function`` -> (label, module, function)."""
    label, _, target = spec.rpartition("=")
    module, _, func = target.partition(":")
    if not module or not func:
        raise ValueError(f"custom extractor must be module:function, got {spec!r}")
    return (label or target), module, func


def label(name: str) -> str:
    return custom_parts(name)[0] if is_custom(name) else name


def availability(name: str) -> tuple[bool, str]:
    """(True, "") when the extractor can run, else (False, why it is skipped)."""
    if is_custom(name):
        _, module, _ = custom_parts(name)
        try:
            found = importlib.util.find_spec(module) is not None
        except (ImportError, ValueError):
            found = False
        return (found, "" if found else f"module {module} not importable")
    spec = REGISTRY.get(name)
    if spec is None:
        return False, f"unknown extractor {name!r} (known: {', '.join(REGISTRY)})"
    for mod in spec.modules:
        try:
            if importlib.util.find_spec(mod) is None:
                return False, f"not installed ({spec.dist})"
        except (ImportError, ValueError):
            return False, f"not installed ({spec.dist})"
    return True, ""


def _hash_files(paths) -> str:
    h = hashlib.sha1()
    for p in sorted(paths):
        try:
            h.update(p.name.encode())
            h.update(p.read_bytes())
        except OSError:
            continue
    return h.hexdigest()[:10]


def boilerstrip_fingerprint() -> str:
    """Hash of the library's sources and bundled model (the version stays 0.1.0
    while the model changes, so the version alone would serve stale caches)."""
    import boilerstrip

    pkg = Path(boilerstrip.__file__).parent
    files = [p for p in pkg.rglob("*") if p.is_file() and p.suffix in {".py", ".json", ".npz", ".bin"}
             and "__pycache__" not in p.parts]
    try:
        from boilerstrip.model import default_model_path

        ref = default_model_path()
        files.append(Path(str(ref)))
    except Exception:  # no bundled model yet
        pass
    models = pkg.parent / "models"
    if models.is_dir():
        files.extend(p for p in models.iterdir() if p.is_file() and p.suffix == ".json")
    return _hash_files(set(files))


def version(name: str) -> str:
    """Version string recorded with every number (and part of the cache key)."""
    if is_custom(name):
        # the module's source, and boilerstrip's: a custom extractor is most
        # often a variant of boilerstrip's output (benchmarks.variants), and
        # keyed by its own file alone it would be served the outputs of an
        # older boilerstrip from the cache
        _, module, _ = custom_parts(name)
        spec = importlib.util.find_spec(module)
        origin = Path(spec.origin) if spec and spec.origin else None
        own = _hash_files([origin]) if origin else "unknown"
        return f"custom-{own}+boilerstrip-{boilerstrip_fingerprint()}"
    spec = REGISTRY[name]
    try:
        v = importlib.metadata.version(spec.dist)
    except importlib.metadata.PackageNotFoundError:
        v = getattr(importlib.import_module(spec.modules[0]), "__version__", "unknown")
    if name == "boilerstrip":
        v = f"{v}+{boilerstrip_fingerprint()}"
    return v


def make(name: str) -> Extract:
    """Build the extractor (imports its library)."""
    if is_custom(name):
        _, module, func = custom_parts(name)
        fn = getattr(importlib.import_module(module), func)
        if not callable(fn):
            raise TypeError(f"{name} is not callable")
        return fn
    return REGISTRY[name].factory()


def note(name: str) -> str:
    return "custom" if is_custom(name) else REGISTRY[name].note
