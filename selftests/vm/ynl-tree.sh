#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Unpack the kernel's ynl CLI (tools/net/ynl) and its netlink schemas
# (Documentation/netlink/*.yaml) from Debian's linux-source-6.12 into a
# directory the QEMU guests see (the host's / is their read-only root, so
# not /tmp).  selftests/ynl_dump.sh runs ynl from there.
#
# Linux 6.1 cannot serve: its source has no tools/net/ynl (ynl arrived in
# 6.2, and the genetlink schemas with it).
#
# Usage: ynl-tree.sh [--print]
#   --print  only print the directory (it may not exist yet)
# Environment: DMVPN_YNL_TREE (default /var/cache/dmvpn/ynl-6.12),
#   DMVPN_YNL_SOURCE (default /usr/src/linux-source-6.12.tar.xz).
set -euo pipefail

TREE=${DMVPN_YNL_TREE:-/var/cache/dmvpn/ynl-6.12}
SOURCE=${DMVPN_YNL_SOURCE:-/usr/src/linux-source-6.12.tar.xz}

if [[ "${1:-}" == --print ]]; then
	echo "$TREE"
	exit 0
fi

if [[ -f "$TREE/tools/net/ynl/cli.py" && -f "$TREE/Documentation/netlink/genetlink.yaml" ]]; then
	echo "ynl: $TREE ready"
	exit 0
fi
if [[ ! -f "$SOURCE" ]]; then
	echo "ynl: $SOURCE missing (apt-get install linux-source-6.12)" >&2
	exit 1
fi

# head closes the pipe early: tar dies of SIGPIPE, which is fine here.
top=$(set +o pipefail; tar -tJf "$SOURCE" 2>/dev/null | head -n1)
top=${top%%/*}
tmp=$TREE.new.$$
rm -rf "$tmp"
mkdir -p "$tmp"
trap 'rm -rf "$tmp"' EXIT
# Only the two directories ynl needs; the whole source is 140 MB.
tar -xJf "$SOURCE" -C "$tmp" --strip-components=1 \
	"$top/tools/net/ynl" "$top/Documentation/netlink"
[[ -f "$tmp/tools/net/ynl/cli.py" ]] || {
	echo "ynl: $SOURCE has no tools/net/ynl/cli.py" >&2
	exit 1
}
rm -rf "$TREE"
mv "$tmp" "$TREE"
trap - EXIT
echo "ynl: unpacked $SOURCE ($top) into $TREE"
