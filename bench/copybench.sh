#!/bin/sh
# Runs the backup benchmark from the repository root:
#   bench/copybench.sh [-size 2GiB] [-manual=false] [-format tar.zst] ...
# The size may also come from MONGOSTEP_BENCH_SIZE, the work directory from
# MONGOSTEP_BENCH_DIR (it needs about 3x the size free).
set -eu
cd "$(dirname "$0")/.."
exec go run ./bench/copybench "$@"
