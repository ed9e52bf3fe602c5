# mongostep's own container image (Dockerfile, FROM scratch: nothing pulled).
#   make image                 -> mongostep:<version> and mongostep:latest
#   make image ENGINE=podman
.PHONY: image
image: ## build the mongostep image from a static binary compiled here
	ENGINE=$(or $(ENGINE),docker) bash scripts/image-build.sh
