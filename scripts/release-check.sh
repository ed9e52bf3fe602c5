#!/usr/bin/env bash
# Proves `make release` is reproducible: the same commit built twice gives the
# same SHA256SUMS.
#  1. make release in this tree (dist/), then again into a second folder:
#     every archive and SHA256SUMS must be byte-identical;
#  2. a copy of the tree in another folder, built with an empty Go build
#     cache (nothing reused, other build paths), for one platform
#     (RELEASE_CHECK_PLATFORM, default linux/amd64): its archive must have
#     the checksum listed in dist/SHA256SUMS.
# It prints how long each build took and the archive sizes.
set -euo pipefail
cd "$(dirname "$0")/.."

platform=${RELEASE_CHECK_PLATFORM:-linux/amd64}
version=$(git describe --tags --always --dirty 2>/dev/null || echo dev)
commit=$(git rev-parse --short HEAD 2>/dev/null || echo unknown)
date=$(git log -1 --format=%cI 2>/dev/null || echo unknown)
epoch=$(git log -1 --format=%ct 2>/dev/null || echo 1)
stamp=(VERSION="$version" COMMIT="$commit" DATE="$date" SOURCE_EPOCH="$epoch")

work=$(mktemp -d /tmp/mongostep-release-check.XXXXXX)
trap 'chmod -R u+w "$work" 2>/dev/null; rm -rf "$work"' EXIT

timed() { # timed LABEL CMD...: runs CMD, prints how long it took
	local label=$1 start end
	shift
	start=$(date +%s)
	"$@" >"$work/$label.log" 2>&1 || { echo "release-check: $label failed:" >&2; cat "$work/$label.log" >&2; exit 1; }
	end=$(date +%s)
	echo "release-check: $label took $((end - start)) s"
}

timed "first-build" make release "${stamp[@]}"
timed "second-build" make release "${stamp[@]}" DIST="$work/dist2"
if ! cmp -s dist/SHA256SUMS "$work/dist2/SHA256SUMS"; then
	echo "release-check: FAIL: two builds of the same tree differ:" >&2
	diff dist/SHA256SUMS "$work/dist2/SHA256SUMS" >&2 || true
	exit 1
fi
echo "release-check: two builds in this tree: identical SHA256SUMS ($(wc -l <dist/SHA256SUMS) archives)"

# The stamp: the binary for this machine reports the commit it was built from.
bin="dist/build/$(go env GOOS)_$(go env GOARCH)/mongostep"
if [ -x "$bin" ]; then
	stamped=$("$bin" version --json)
	for kv in "\"version\":\"$version\"" "\"commit\":\"$commit\"" "\"date\":\"$date\""; do
		case "$stamped" in *"$kv"*) ;; *) echo "release-check: FAIL: $bin version --json lacks $kv: $stamped" >&2; exit 1 ;; esac
	done
	echo "release-check: $("$bin" --version)"
fi

# A copy elsewhere, with a cold build cache: other paths, nothing reused.
mkdir -p "$work/elsewhere/src"
tar --exclude=./dist --exclude=./bin --exclude=./.git -cf - . | tar -xf - -C "$work/elsewhere/src"
timed "cold-build-$(echo "$platform" | tr / _)" env GOCACHE="$work/gocache" \
	make -C "$work/elsewhere/src" release "${stamp[@]}" PLATFORMS="$platform" DIST="$work/dist3"
name=$(cd "$work/dist3" && ls mongostep_*)
want=$(grep "  $name\$" dist/SHA256SUMS || true)
got=$(cat "$work/dist3/SHA256SUMS")
if [ -z "$want" ] || [ "$want" != "$got" ]; then
	echo "release-check: FAIL: $name built in another folder with a cold cache differs:" >&2
	echo "  here:      ${want:-<missing>}" >&2
	echo "  elsewhere: $got" >&2
	exit 1
fi
echo "release-check: $name built in another folder with a cold cache: same checksum"

(cd dist && sha256sum -c --quiet SHA256SUMS)
echo "release-check: archive sizes:"
(cd dist && ls -l mongostep_* | awk '{printf "  %-50s %6.2f MiB\n", $9, $5/1048576}')
echo "release-check: passed"
