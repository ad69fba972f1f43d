# Writes tests/data/learned-cv/rules-<commit>.tsv: each commit's analyzer on the held-out
# batches it had not been tuned on. Usage: REPO=<this repo> OUT=<scratch dir> bash snapshots.sh
set -e
H=$REPO/tests/heldout
for spec in "80ef456:$H/analysis-2,$H/analysis-3,$H/analysis-4" "c9ec81a:$H/analysis-3,$H/analysis-4" "1d85f42:$H/analysis-4"; do
  c=${spec%%:*}; dirs=${spec#*:}
  rm -rf "$OUT/$c"; mkdir -p "$OUT/$c"
  git -C "$REPO" archive "$c" | tar -x -C "$OUT/$c"
  # git archive keeps commit times and cargo names the crate by its relative path: without
  # fresh mtimes one snapshot would reuse another's test binary.
  find "$OUT/$c" -type f -exec touch {} +
  cp "$REPO/tests/data/learned-cv/dumpsnap.rs.txt" "$OUT/$c/tests/dumpsnap.rs"
  (cd "$OUT/$c" && DUMP_OUT="$REPO/tests/data/learned-cv/rules-$c.tsv" DUMP_DIRS="$dirs" cargo test --test dumpsnap)
done
