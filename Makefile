# mongostep — build, test, benchmark.
GO      ?= go
BIN     ?= bin
VERSION ?= $(shell git describe --tags --always --dirty 2>/dev/null || echo dev)
COMMIT  ?= $(shell git rev-parse --short HEAD 2>/dev/null || echo unknown)
DATE    ?= $(shell git log -1 --format=%cI 2>/dev/null || echo unknown)
LDFLAGS := -s -w -X github.com/mongostep/mongostep/internal/cli.Version=$(VERSION) \
	-X github.com/mongostep/mongostep/internal/cli.Commit=$(COMMIT) \
	-X github.com/mongostep/mongostep/internal/cli.Date=$(DATE)

.PHONY: build test vet cross clean
build: ## build bin/mongostep
	CGO_ENABLED=0 $(GO) build -trimpath -ldflags '$(LDFLAGS)' -o $(BIN)/mongostep ./cmd/mongostep

test: vet ## every test: unit, fixtures, simulator, end-to-end scripts, Docker Engine
	$(GO) test -count=1 -timeout 40m ./...

vet:
	$(GO) vet ./...
	$(GO) vet -tags failpoints ./...

cross: ## the shipped binary compiles for Windows and macOS
	CGO_ENABLED=0 GOOS=windows GOARCH=amd64 $(GO) build -o /dev/null ./cmd/mongostep
	CGO_ENABLED=0 GOOS=darwin GOARCH=arm64 $(GO) build -o /dev/null ./cmd/mongostep
	CGO_ENABLED=0 GOOS=linux GOARCH=arm64 $(GO) build -o /dev/null ./cmd/mongostep

clean:
	rm -rf $(BIN) dist

-include mk/*.mk
