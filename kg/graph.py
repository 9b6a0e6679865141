"""Assemble articles, resolved entities and relations into one `networkx.MultiDiGraph`.

The graph is the contract between the NLP side and every exporter (rdf, gexf, tables):

- Node id: an opaque ASCII key, `art-<16 hex>` for articles and `per-/org-/loc-/prg-/evt-<16 hex>`
  for entities (see `kg.records.entity_key`). It is also the last segment of the node's IRI.
- Node attributes, every node:
  `kind` (str: Article, Person, Organization, Place, Programme, Event),
  `label` (str: the Chinese name, or the article title), `aliases` (tuple[str, ...], sorted),
  `mentions` (int: how many times the run saw it; 0 for articles).
- Extra node attributes of articles: `title`, `subtitle`, `date` (ISO `YYYY-MM-DD` or ""),
  `source` (input file), `line` (int), `url` (str or ""), `publisher` (str or "").
- Extra node attributes of places (when known): `adcode` (str), `lat`, `lon` (float).
- Edges: one per (source, predicate, target); the MultiDiGraph key is the predicate name.
  Attributes: `predicate` (str: a property of ontology/kg.ttl such as "memberOf", or "author",
  "mentions", "publisher"), `weight` (int: evidence count, or mention count for "mentions"),
  `evidence` (tuple[kg.records.Evidence, ...], sorted; may be empty for author/mentions).
"""
