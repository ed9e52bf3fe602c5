# Man pages: one per command, generated from the command tree into docs/man
# (make man). internal/tools/genman's test fails when the committed pages
# are out of step with the commands and flags: run `make man` and commit.
MAN_DIR  ?= docs/man
MAN_DATE ?= $(shell git log -1 --format=%cs 2>/dev/null || date -u +%F)

.PHONY: man
man: ## regenerate docs/man/*.1 from the command tree
	$(GO) run ./internal/tools/genman -out $(MAN_DIR) -date $(MAN_DATE)
