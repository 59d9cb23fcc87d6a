#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Install the Debian packages that building dmvpn and running its QEMU
# tests need.  Idempotent: "apt-get update" runs only when something is
# missing, so a prepared machine pays nothing.  CI machines start fresh,
# which is why every tool the harness calls is listed here.
set -euo pipefail

packages=(
	# build: module, userland, iproute2 plugin
	build-essential make gcc pkg-config libnl-3-dev libnl-genl-3-dev
	libnl-route-3-dev rsync sparse
	# dmvpnd: OpenSSL 3 (EVP), clang for the libFuzzer harnesses
	libssl-dev clang libclang-rt-14-dev
	# dmvpnd interop tests: strongSwan charon + swanctl (IKEv1, vici)
	strongswan-charon strongswan-swanctl libstrongswan-standard-plugins
	# the two stock kernels the test lanes boot, with headers to build for
	linux-image-amd64 linux-headers-amd64
	linux-image-6.12-amd64 linux-headers-6.12-amd64
	# the debug lane's kernel (KASAN, lockdep, kmemleak, KUnit), built from
	# source by debug-kernel.sh
	linux-source-6.1 flex bison bc libelf-dev
	# QEMU guest: TCG emulator, busybox initramfs, module decompression
	qemu-system-x86 busybox-static cpio xz-utils zstd kmod
	# tools the tests run inside the guest (host / is the guest's root)
	iproute2 iputils-ping ethtool iperf3 socat netcat-openbsd nftables jq
	tcpdump procps psmisc coreutils util-linux python3
	# nhrp_frr_interop.sh: FRR's zebra and nhrpd (run by hand, not as a service)
	frr
	# ynl_dump.sh: the kernel's ynl CLI (unpacked from linux-source-6.12 by
	# ynl-tree.sh; 6.1's source has none) and what it imports
	linux-source-6.12 python3-yaml python3-jsonschema
	# dkms_install.sh (host side) and the man page lint
	dkms mandoc groff-base man-db
	# lint for the harness scripts
	shellcheck
)

missing=()
for pkg in "${packages[@]}"; do
	# dpkg-query prints "install ok installed" only for a fully installed
	# package; anything else (absent, half-configured) counts as missing.
	status=$(dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null || true)
	[[ "$status" == "install ok installed" ]] || missing+=("$pkg")
done

# The ynl tree lives outside the repository, where the guests see it.
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
ynl_tree() { bash "$here/ynl-tree.sh"; }

if ((${#missing[@]} == 0)); then
	echo "deps: all ${#packages[@]} packages present"
	ynl_tree
	exit 0
fi

echo "deps: installing ${missing[*]}"
if ((EUID != 0)); then
	echo "deps: need root to install packages (run: sudo bash $0)" >&2
	exit 1
fi
export DEBIAN_FRONTEND=noninteractive
apt-get update -q
apt-get install -y -q --no-install-recommends "${missing[@]}"
ynl_tree
