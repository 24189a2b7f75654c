# Ours, not Konduktor's: an empty package marker. Upstream's konduktor/__init__.py (Trainy-ai/konduktor) only computes
# the build's commit hash (with git) and its version; parse.py needs neither.
