"""Body extraction on scrapinghub's article-extraction-benchmark, scored by its own evaluate.py.

Each of the 181 real pages (``html/<id>.html.gz``) goes through Reader's importer as a
file named ``page.html`` would; the prediction is the article's summary (the lead
paragraph the importer moves there) and body as plain text, and the checkout's own
``evaluate.py`` scores it against ``ground-truth.json`` (micro F1 over word shingles).
A page the importer refuses or imports with an empty body is listed by name.
"""

from __future__ import annotations

import gzip
import importlib.util
import json
from dataclasses import dataclass, field
from pathlib import Path
from types import ModuleType

from markdown_it import MarkdownIt

from reader.errors import ImportFailure
from reader.importers import read_bytes

_MARKDOWN = MarkdownIt("commonmark")


@dataclass
class ExtractionResult:
    pages: int = 0
    f1: float = 0.0
    precision: float = 0.0
    recall: float = 0.0
    under_half: list[tuple[str, float]] = field(default_factory=list)
    empty: list[str] = field(default_factory=list)  # imported with no text at all: must stay []
    refused: list[tuple[str, str]] = field(default_factory=list)  # a failure line says so
    predictions: dict[str, str] = field(default_factory=dict)


def plain_text(body: str) -> str:
    """The text of a stored (Markdown-subset) body, as a reader sees it."""
    try:
        from reader.body import to_plain_text  # the project's own, once it exists
    except ImportError:
        pass
    else:
        return to_plain_text(body)
    blocks: list[str] = []
    for token in _MARKDOWN.parse(body):
        if token.type == "inline":
            blocks.append("".join(child.content for child in token.children or () if child.type in ("text", "code_inline")))
        elif token.type in ("fence", "code_block"):
            blocks.append(token.content)
    return "\n\n".join(blocks)


def _evaluator(checkout: Path) -> ModuleType:
    spec = importlib.util.spec_from_file_location("article_extraction_evaluate", checkout / "evaluate.py")
    if spec is None or spec.loader is None:
        raise SystemExit(f"no evaluate.py in {checkout}")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def measure(checkout: Path) -> ExtractionResult:
    evaluate = _evaluator(checkout)
    truth = json.loads((checkout / "ground-truth.json").read_text(encoding="utf-8"))
    result = ExtractionResult(pages=len(truth))
    prediction: dict[str, dict[str, str]] = {}
    for key in truth:
        data = gzip.decompress((checkout / "html" / f"{key}.html.gz").read_bytes())
        try:
            [article] = read_bytes(data, "page.html").articles
        except ImportFailure as failure:
            result.refused.append((key, str(failure)))
            prediction[key] = {"articleBody": ""}
            continue
        text = "\n\n".join(part for part in (article.summary, plain_text(article.body)) if part)
        if not text.strip():
            result.empty.append(key)
        prediction[key] = {"articleBody": text}
        result.predictions[key] = text
    metrics = evaluate.evaluate(truth, prediction, 0)
    result.f1, result.precision, result.recall = metrics["f1"], metrics["precision"], metrics["recall"]
    for key, counts in zip(truth, metrics["tp_fp_fns"], strict=True):
        tp, fp, fn = counts
        page_f1 = 2 * tp / (2 * tp + fp + fn) if tp else 0.0
        if page_f1 < 0.5:
            result.under_half.append((key, round(page_f1, 3)))
    return result
