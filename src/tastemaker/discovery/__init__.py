"""Discovery: find creators by what they are about, in plain words.

An account's bio and recent captions make its search document; each document is embedded
once by a model shipped inside an installed package (embedder), and kept with its digest so
it is embedded again only when its text changes (service.refresh). A description such as
"vegan food creators who post recipe reels" ranks the documents by a weighted sum of their
semantic similarity and a saturated BM25 score (ranking), both shown beside each result.
"""
