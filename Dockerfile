# mongostep's own image: the static mongostep binary and nothing else (no
# shell, no CA certificates: mongostep only talks to the engine's socket).
#
# Build it with `make image` (scripts/image-build.sh). That compiles the
# binary on this machine (CGO off, the flags of `make release`) and builds
# this file with a small context folder holding the binary and rootfs/
# (/etc/passwd and /etc/group with the nonroot user 65532, an empty /tmp).
# A multi-stage build FROM golang would pull an image, and a machine without
# a registry cannot; FROM scratch needs no pull.
#
# Run it with the host's engine socket, the host's network and PIDs, and the
# data folder mounted at the SAME path as on the host (the engine mounts
# host paths into each step's container); for ClearML, as root:
#   docker run --rm -it --network host --pid host --user 0:0 \
#     -v /var/run/docker.sock:/var/run/docker.sock \
#     -v /opt/clearml/data:/opt/clearml/data mongostep migrate
# mongostep checks all of this and names the flag or the -v that is missing.
FROM scratch
ARG VERSION=dev
ARG COMMIT=unknown
LABEL org.opencontainers.image.title="mongostep" \
      org.opencontainers.image.description="Upgrade a MongoDB data directory across major versions, safely, in one command" \
      org.opencontainers.image.licenses="Apache-2.0" \
      org.opencontainers.image.version="$VERSION" \
      org.opencontainers.image.revision="$COMMIT"
COPY rootfs/ /
COPY mongostep /usr/local/bin/mongostep
# Non-root by default. Talking to the engine's socket takes root or the
# socket's group (--group-add $(stat -c %g /var/run/docker.sock)); writing
# ClearML's data folder and giving the copy ClearML's owners takes root
# (--user 0:0).
USER 65532:65532
WORKDIR /tmp
ENTRYPOINT ["/usr/local/bin/mongostep"]
CMD ["--help"]
