"""Honours and credentials written where a post would stand: 国务院政府特殊津贴享受者, 外科学博士,
主任医师. The extractors read them as posts (the gold does, where the text gives nothing else);
the RDF gives them their own terms (kg:Honour with kg:hasHonour and schema:award,
schema:EducationalOccupationalCredential with schema:hasCredential), not org:Post."""

from __future__ import annotations

from functools import cache

from kg.lexicon import load_lexicon

AWARD, CREDENTIAL = "award", "credential"


@cache
def distinction(title: str) -> str:
    """AWARD for an honour, CREDENTIAL for an academic or professional rank or degree, else ""."""
    if title in load_lexicon("honours"):
        return AWARD
    if any(title.endswith(rank) for rank in load_lexicon("academic_titles")):
        return CREDENTIAL
    return ""
