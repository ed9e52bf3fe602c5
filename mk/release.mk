# Release: static, reproducible binaries for every OS and architecture,
# packed with README.md and LICENSE, and SHA256SUMS (see README: Install).
#   make release                  -> dist/mongostep_<version>_<os>_<arch>.tar.gz (.zip), dist/SHA256SUMS
#   make release PLATFORMS=linux/amd64
# Reproducible: CGO off, -trimpath, no build id, no VCS stamp, the default
# GOAMD64/GOARM64 levels, version/commit/date from git (never the clock), and
# archive entries dated at the commit time. The same commit and Go version
# give the same checksums (scripts/release-check.sh proves it in CI).
PLATFORMS    ?= linux/amd64 linux/arm64 darwin/amd64 darwin/arm64 windows/amd64 windows/arm64
DIST         ?= dist
SOURCE_EPOCH ?= $(shell git log -1 --format=%ct 2>/dev/null || echo 1)
RELEASE_LDFLAGS = $(LDFLAGS) -buildid=

.PHONY: release release-binaries release-check
release: release-binaries ## archives and SHA256SUMS in dist/
	$(GO) run ./internal/tools/relpack -dist $(DIST) -version $(VERSION) -mtime $(SOURCE_EPOCH) README.md LICENSE
	@cat $(DIST)/SHA256SUMS

release-binaries:
	rm -rf $(DIST)
	@set -e; for p in $(PLATFORMS); do \
		os=$${p%/*}; arch=$${p#*/}; ext=; [ $$os = windows ] && ext=.exe; \
		echo "build $$os/$$arch"; \
		env CGO_ENABLED=0 GOOS=$$os GOARCH=$$arch GOAMD64=v1 GOARM64=v8.0 GOFLAGS= \
			$(GO) build -trimpath -buildvcs=false -ldflags '$(RELEASE_LDFLAGS)' \
			-o $(DIST)/build/$${os}_$${arch}/mongostep$$ext ./cmd/mongostep; \
	done

release-check: ## build the release twice (once from a copy elsewhere, with a cold cache) and compare
	bash scripts/release-check.sh
