# Benchmark of issue 4: mongostep's one-pass backup + copy against the
# manual `tar -zcf` + `tar -xzf` of ClearML's upgrade page.
#   make bench                   2 GiB tree
#   make bench BENCH_SIZE=8GiB   any size; BENCH_FLAGS=-manual=false skips the tar run
BENCH_SIZE ?= 2GiB
BENCH_FLAGS ?=

.PHONY: bench
bench:
	go run ./bench/copybench -size $(BENCH_SIZE) $(BENCH_FLAGS)
