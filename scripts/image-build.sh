#!/usr/bin/env bash
# Builds mongostep's own image (Dockerfile, FROM scratch) without pulling
# anything: the static linux binary is compiled here, then the engine builds
# the image from a small context folder.
#   scripts/image-build.sh [TAG]      (default: mongostep:<version>, also tagged mongostep:latest)
# ENGINE=podman builds with Podman; ARCH=arm64 builds for another
# architecture (default: the engine's).
set -euo pipefail
cd "$(dirname "$0")/.."

engine=${ENGINE:-docker}
version=$(git describe --tags --always --dirty 2>/dev/null || echo dev)
commit=$(git rev-parse --short HEAD 2>/dev/null || echo unknown)
tag=${1:-mongostep:$version}
if [ -z "${ARCH:-}" ]; then
	case "$($engine info --format '{{.Host.Arch}}' 2>/dev/null || $engine info --format '{{.Architecture}}')" in
	x86_64 | amd64) ARCH=amd64 ;;
	aarch64 | arm64) ARCH=arm64 ;;
	*) ARCH=$(go env GOARCH) ;;
	esac
fi

ctx=$(mktemp -d /tmp/mongostep-image.XXXXXX)
trap 'rm -rf "$ctx"' EXIT
make --no-print-directory release-binaries PLATFORMS="linux/$ARCH" DIST="$ctx/dist" >/dev/null
mv "$ctx/dist/build/linux_$ARCH/mongostep" "$ctx/mongostep"
rm -rf "$ctx/dist"
mkdir -p "$ctx/rootfs/etc" "$ctx/rootfs/tmp"
chmod 1777 "$ctx/rootfs/tmp"
printf 'root:x:0:0:root:/root:/sbin/nologin\nnonroot:x:65532:65532:nonroot:/tmp:/sbin/nologin\n' >"$ctx/rootfs/etc/passwd"
printf 'root:x:0:\nnonroot:x:65532:\n' >"$ctx/rootfs/etc/group"
chmod 0644 "$ctx/rootfs/etc/passwd" "$ctx/rootfs/etc/group"

$engine build --quiet -f Dockerfile -t "$tag" --build-arg VERSION="$version" --build-arg COMMIT="$commit" "$ctx" >/dev/null
if [ $# -eq 0 ]; then
	$engine tag "$tag" mongostep:latest
fi
echo "$tag"
