#!/bin/bash
# Rebuild timings of one semdoc binary on one site: no-op (site cache hit), one edited page, full re-render.
# usage: scripts/bench-rebuild.sh BIN SITE CACHE_DIR   (SITE is modified: one page gets lines appended; use a copy)
BIN=$1; SITE=$2; CACHE=$3
cd $SITE
t() { local s=$(date +%s%N); "$@" >/dev/null 2>&1; local e=$(date +%s%N); echo -n "$(( (e-s)/1000000 )) "; }
export SEMDOC_CACHE_DIR=$CACHE
$BIN build -q >/dev/null 2>&1
echo -n "noop(site cache hit) ms: "; for i in 1 2 3; do t $BIN build -q; done; echo
P=$(ls content/posts/*.md 2>/dev/null | head -1); [ -z "$P" ] && P=$(ls content/*.md | head -1)
echo -n "one-page edit ms: "; for i in 1 2 3; do echo "edit $i $RANDOM" >> $P; t $BIN build -q; done; echo
echo -n "rerender identical (site cache entry removed) ms: "; for i in 1 2 3; do rm -rf $CACHE/sites; t $BIN build -q; done; echo
