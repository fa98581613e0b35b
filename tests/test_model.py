"""The document model: its JSON form is the public contract; documents must survive pickling
(batch workers, Spark, Ray) and a to_dict/from_dict round trip."""

from __future__ import annotations

import json
import pickle

import pytest
from conftest import FIXTURES

import forumclean
from forumclean.model import KIND_NONE, Document, Edit, Image, Post, Quote, error_record

#: The public field names (README "The JSON document"); renaming one breaks users' scripts.
DOCUMENT_FIELDS = ["input", "kind", "family", "title", "url", "source_urls", "site", "icp", "forum", "thread_id",
                   "page", "views", "replies", "timezone", "rendered_at", "fetched_at", "generator", "input_format",
                   "encoding", "posts", "warnings", "page_count"]
POST_FIELDS = ["id", "floor", "author", "published", "body", "quotes", "images", "edit", "partial"]


def full_document() -> Document:
    """A document with every nested type filled in."""
    return Document(
        input="crawl/t.html", kind="thread", family="discuz-x", title="标题 & <title>", url="https://x.example/t-1-1.html",
        source_urls=["https://news.example.org/a.html"], site="某站", forum="某版", thread_id="42", page=2,
        views=100, replies=9, timezone="+08:00", rendered_at="2025-07-07T04:11+08:00",
        generator="Discuz! X3.5", input_format="html", encoding="gb18030",
        posts=[
            Post(id="7", floor=11, author="甲", published="2025-07-01T08:00:09+08:00", body="第一行\n第二行",
                 quotes=[Quote(author="乙", published="2025-06-30T12:00+08:00", text="引用")],
                 images=[Image(url="https://x.example/a.jpg", alt="a.jpg"), Image(url="https://x.example/b.jpg")],
                 edit=Edit(editor="甲", edited="2025-07-01T09:00+08:00")),
            Post(id=None, floor=None, author=None, published=None, body="", partial=True),
        ],
        warnings=["timezone assumed"],
    )


def test_public_field_names_and_order():
    d = full_document().to_dict()
    assert list(d) == DOCUMENT_FIELDS
    assert list(d["posts"][0]) == POST_FIELDS
    assert set(d["posts"][0]["quotes"][0]) == {"author", "published", "text"}
    assert set(d["posts"][0]["images"][0]) == {"url", "alt"}
    assert set(d["posts"][0]["edit"]) == {"editor", "edited"}


def test_to_dict_is_plain_json():
    d = full_document().to_dict()
    assert json.loads(json.dumps(d, ensure_ascii=False)) == d


def test_from_dict_round_trip():
    doc = full_document()
    again = Document.from_dict(doc.to_dict())
    assert again == doc
    assert isinstance(again.posts[0].quotes[0], Quote)
    assert isinstance(again.posts[0].images[1], Image)
    assert isinstance(again.posts[0].edit, Edit)
    assert again.posts[1].edit is None


def test_from_dict_round_trip_through_json_text():
    doc = full_document()
    assert Document.from_dict(json.loads(json.dumps(doc.to_dict()))) == doc


def test_from_dict_does_not_modify_its_argument():
    d = full_document().to_dict()
    snapshot = json.dumps(d, sort_keys=True)
    Document.from_dict(d)
    assert json.dumps(d, sort_keys=True) == snapshot


@pytest.mark.parametrize("protocol", range(2, pickle.HIGHEST_PROTOCOL + 1))
def test_pickle_round_trip(protocol):
    doc = full_document()
    assert pickle.loads(pickle.dumps(doc, protocol=protocol)) == doc


@pytest.mark.parametrize("name", ["x35-thread-quote.html", "x35-attachments.html", "portal-article.html",
                                  "generic-article.html", "forum-list.html"])
def test_extracted_documents_pickle_and_round_trip(name):
    doc = forumclean.extract((FIXTURES / name).read_bytes(), input_name=name)
    assert pickle.loads(pickle.dumps(doc)) == doc
    assert Document.from_dict(doc.to_dict()) == doc
    assert doc.input == name


def test_defaults_describe_an_empty_page():
    doc = Document()
    assert doc.kind == KIND_NONE and doc.posts == [] and doc.source_urls == [] and doc.warnings == []
    # Mutable defaults are not shared between documents.
    doc.posts.append(Post())
    doc.source_urls.append("https://a.example/")
    assert Document().posts == [] and Document().source_urls == []
    assert Post().quotes == [] and Post().images == [] and Post().edit is None and Post().partial is False


def test_text_joins_bodies_and_skips_empty_ones():
    doc = full_document()
    doc.posts.append(Post(body="第三帖"))
    assert doc.text == "第一行\n第二行\n\n第三帖"
    assert Document().text == ""


def test_error_record_shape():
    rec = error_record("crawl/bad.html", "decode", "not a text page (PNG image)")
    assert rec == {"input": "crawl/bad.html", "error": {"type": "decode", "message": "not a text page (PNG image)"}}
    assert json.loads(json.dumps(rec)) == rec
    # A record is told apart from a document by its keys: it has no "kind" and no "posts".
    assert "kind" not in rec and "posts" not in rec


@pytest.mark.parametrize("exc, kind", [
    (forumclean.DecodeError("x"), "decode"), (forumclean.ParseError("x"), "parse"),
    (forumclean.InputTooLarge("x"), "too-large"), (forumclean.ForumcleanError("x"), "error"),
])
def test_error_kinds_used_in_records(exc, kind):
    assert exc.kind == kind
    assert isinstance(exc, forumclean.ForumcleanError)


def test_to_dict_is_asdict():
    # to_dict is a fast hand-rolled copy: it must give what dataclasses.asdict gives, key order
    # included, and share no list with the document.
    from dataclasses import asdict

    doc = full_document()
    got = doc.to_dict()
    assert json.dumps(got, ensure_ascii=False) == json.dumps(asdict(doc), ensure_ascii=False)
    got["posts"][0]["quotes"].clear()
    got["source_urls"].append("x")
    assert doc.posts[0].quotes and doc.source_urls == ["https://news.example.org/a.html"]
    assert Document().to_dict() == asdict(Document())
