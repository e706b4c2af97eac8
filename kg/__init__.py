"""Knowledge graphs from Chinese hospital and health-administration meeting news."""

from kg.build import BuildResult, build, build_store
from kg.model import Article, Entity, Evidence, Fact, Mention, NodeType, Relation, Span
from kg.pipeline import extract_article
from kg.store import GraphStore
from kg.text.load import load_article

__all__ = [
    "Article",
    "BuildResult",
    "Entity",
    "Evidence",
    "Fact",
    "GraphStore",
    "Mention",
    "NodeType",
    "Relation",
    "Span",
    "build",
    "build_store",
    "extract_article",
    "load_article",
]
