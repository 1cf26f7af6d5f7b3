#!/usr/bin/env bash
# Prints the relevance report of `search` and `show` on tests/relevance/*.tsv: top-1, top-3,
# mean reciprocal rank and the share of confident answers, per form of query, for the tuned
# part and the held-out part (every fourth query), the fresh held-out sets (fresh.tsv and
# fresh2.tsv), and the tuned part's misses.
# Usage: bench/relevance.sh          (bench/relevance.sh all also lists held-out and fresh
#                                     misses; bench/relevance.sh fresh2 adds fresh2's only)
set -euo pipefail
cd "$(dirname "$0")/.."
DTERMS_RELEVANCE_REPORT="${1:-tuned}" cargo test --quiet --locked --test relevance -- --nocapture 2>&1 \
  | sed -n '/^| set/,$p' | grep -v '^test result\|^running\|^\.$'
