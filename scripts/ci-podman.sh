#!/usr/bin/env bash
# Podman for the end-to-end tests: install Podman (Debian's 4.3), let it run
# containers on these machines, and serve its Docker-compatible API, rootful,
# on unix:///run/podman/podman.sock. Safe to run again: each part is skipped
# when already done. Used by .ci/run; run it by hand (as root) before
# `go test ./...` on a fresh machine.
set -euo pipefail

sock=/run/podman/podman.sock
conf=/etc/containers/containers.conf

if ! command -v podman >/dev/null || ! command -v curl >/dev/null; then
	echo "ci-podman: installing podman from Debian's packages"
	apt-get update -qq
	DEBIAN_FRONTEND=noninteractive apt-get install -y -qq podman curl >/dev/null
fi
podman --version

# The default ulimits Podman asks for (nofile 1048576) are above what these
# machines allow, and every container fails to start with them.
if ! grep -qs '^[[:space:]]*default_ulimits[[:space:]]*=[[:space:]]*\[\]' "$conf"; then
	echo "ci-podman: setting default_ulimits = [] in $conf"
	mkdir -p "$(dirname "$conf")"
	if grep -qs '^\[containers\]' "$conf"; then
		sed -i '/^\[containers\]/a default_ulimits = []' "$conf"
	else
		printf '[containers]\ndefault_ulimits = []\n' >>"$conf"
	fi
fi

answers() { curl -fsS --max-time 5 --unix-socket "$sock" http://d/_ping >/dev/null 2>&1; }

if ! answers; then
	echo "ci-podman: starting podman system service on unix://$sock"
	mkdir -p "$(dirname "$sock")"
	# from / : conmon fails ("Failed to get working directory") if the
	# service outlives the folder it was started in
	(cd / && nohup podman system service --time=0 "unix://$sock" >/tmp/podman-service.log 2>&1 & echo $! >/run/podman/service.pid)
	for _ in $(seq 1 60); do
		answers && break
		sleep 0.5
	done
	answers || { echo "ci-podman: Podman's API did not answer on $sock; its log:" >&2; cat /tmp/podman-service.log >&2; exit 1; }
fi
version=$(curl -fsS --unix-socket "$sock" http://d/version)
echo "ci-podman: Podman's API answers on unix://$sock: ${version:0:160}..."
