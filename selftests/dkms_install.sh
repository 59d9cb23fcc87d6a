#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Host-side test (not a guest selftest): the module's DKMS package works.
# "make install-dkms-src" puts the source in /usr/src/dmvpn-VERSION, then
# "dkms add", and for each installed Debian kernel with headers (6.1 and
# 6.12) "dkms build" and "dkms install"; each installed dmvpn.ko must have
# that kernel's vermagic and our version, be found by "modinfo -k" and
# "modprobe -S" (depmod ran), and "dkms remove" must take everything away
# again.  Cleans up after itself, also when interrupted.
#
# By default the source, DKMS and module trees are private directories
# (dkms --sourcetree/--dkmstree/--installtree, then depmod -b), built
# against the real /lib/modules/KVER/build: the host's /lib/modules is
# never rewritten, so QEMU guests running at the same time (they read the
# host's module tree) are not disturbed.  --system installs into the real
# /usr/src, /var/lib/dkms and /lib/modules, exactly as a user would; do
# not run it while guests are running.
#
# Needs root and the dkms package; prints KTAP v1, one result per kernel
# plus the add and the remove, so "make check" counts them.
#   dkms_install.sh [--system] [KVER...]
#     (default: every /usr/src/linux-headers-*-amd64)
set -uo pipefail

SYSTEM=0
if [[ "${1:-}" == --system ]]; then
	SYSTEM=1
	shift
fi

REPO=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
VERSION=$(sed -n "s/.*-DDMVPN_VERSION='\"\([^\"]*\)\"'.*/\1/p" "$REPO/Kbuild")
if ((SYSTEM)); then
	ROOT=''
else
	ROOT=$(mktemp -d /var/tmp/dkms_root.XXXXXX)
	mkdir -p "$ROOT/usr/src" "$ROOT/var/lib/dkms" "$ROOT/lib/modules"
fi
SRC=$ROOT/usr/src/dmvpn-$VERSION
# dkms and the module tools, pointed at ROOT when it is private.
DKMS=(dkms)
MODINFO=(modinfo)
MODPROBE=(modprobe)
if [[ -n "$ROOT" ]]; then
	DKMS+=(--sourcetree "$ROOT/usr/src" --dkmstree "$ROOT/var/lib/dkms"
		--installtree "$ROOT/lib/modules" --no-depmod)
	MODINFO+=(-b "$ROOT")
	MODPROBE+=(-d "$ROOT")
fi
# Written into the source tree we install, so that a leftover of an
# interrupted run is recognised as ours and removed, while a dmvpn DKMS
# package somebody installed by hand is left alone.
MARKER=.dmvpn-selftest
LOG=$(mktemp -d /var/tmp/dkms_install.XXXXXX)

kernels=("$@")
if ((${#kernels[@]} == 0)); then
	for h in /usr/src/linux-headers-*-amd64; do
		[[ -f "$h/include/generated/utsrelease.h" ]] || continue
		kernels+=("$(sed -n 's/^#define UTS_RELEASE "\(.*\)"/\1/p' "$h/include/generated/utsrelease.h")")
	done
fi

n=0
failed=0
plan=$((${#kernels[@]} + 2))
echo "KTAP version 1"
echo "1..$plan"

# result ok|fail NAME [DETAIL]: one KTAP result, DETAIL as a diagnostic
# line before it.
result() {
	n=$((n + 1))
	[[ -z "${3:-}" ]] || echo "# $2: $3"
	if [[ "$1" == ok ]]; then
		echo "ok $n $2"
	else
		failed=$((failed + 1))
		echo "not ok $n $2"
	fi
}

skip_all() {
	local i
	for ((i = n + 1; i <= plan; i++)); do
		echo "ok $i dkms_install # SKIP $1"
	done
	rm -rf "$LOG"
	exit 0
}

# show FILE: a log, indented as KTAP diagnostics.
show() { sed 's/^/# /' "$1"; }

((EUID == 0)) || skip_all "needs root (dkms installs into /lib/modules and /usr/src)"
command -v dkms >/dev/null || skip_all "dkms is not installed (apt-get install dkms)"
[[ -n "$VERSION" ]] || { result fail "version" "no DMVPN_VERSION in Kbuild"; exit 1; }
((${#kernels[@]})) || skip_all "no /usr/src/linux-headers-*-amd64 installed"

dkms_known() { [[ -n "$("${DKMS[@]}" status -m dmvpn -v "$VERSION" 2>/dev/null)" ]]; }

if [[ -e "$SRC" && ! -e "$SRC/$MARKER" ]] || { dkms_known && [[ ! -e "$SRC/$MARKER" ]]; }; then
	skip_all "dmvpn/$VERSION is already in DKMS or $SRC exists and is not this test's"
fi

# Debian's dkms makes a module signing key on first use; one this test
# made goes away with it.
mok_before=0
[[ -e /var/lib/dkms/mok.key ]] && mok_before=1

cleanup() {
	"${DKMS[@]}" remove -m dmvpn -v "$VERSION" --all >/dev/null 2>&1
	rm -rf "$SRC"
	if ((mok_before == 0)); then
		rm -f /var/lib/dkms/mok.key /var/lib/dkms/mok.pub
	fi
	rm -rf "$LOG"
	[[ -z "$ROOT" ]] || rm -rf "$ROOT"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM
# A leftover of an earlier, interrupted run (--system).
if ((SYSTEM)); then
	cleanup
	LOG=$(mktemp -d /var/tmp/dkms_install.XXXXXX)
else
	# The private module tree: the kernel's own modules (dmvpn needs
	# gre and udp_tunnel) and index files, by reference.
	for k in "${kernels[@]}"; do
		[[ -d "/lib/modules/$k" ]] || continue
		mkdir -p "$ROOT/lib/modules/$k"
		for f in /lib/modules/"$k"/*; do
			case ${f##*/} in
			# depmod's outputs, made afresh in ROOT (it renames over
			# them, so even a link would never be written through).
			updates | extra | modules.*.bin | modules.dep | modules.alias | \
				modules.symbols | modules.softdep | modules.devname | modules.weakdep) ;;
			*) ln -s "$f" "$ROOT/lib/modules/$k/" ;;
			esac
		done
	done
	echo "# private trees under $ROOT (--system: the real ones)"
fi

# ---- add -----------------------------------------------------------------
if make -s -C "$REPO" install-dkms-src DESTDIR="$ROOT" >"$LOG/src.log" 2>&1 &&
	touch "$SRC/$MARKER" &&
	"${DKMS[@]}" add -m dmvpn -v "$VERSION" >"$LOG/add.log" 2>&1 &&
	"${DKMS[@]}" status -m dmvpn -v "$VERSION" 2>/dev/null | grep -q added; then
	result ok "dkms add dmvpn/$VERSION from make install-dkms-src"
else
	cat "$LOG/src.log" "$LOG/add.log" 2>/dev/null | sed 's/^/# /'
	result fail "dkms add dmvpn/$VERSION from make install-dkms-src"
	for k in "${kernels[@]}"; do result fail "dkms build+install for $k" "dkms add failed"; done
	result fail "dkms remove" "dkms add failed"
	exit 1
fi

# ---- build and install, per kernel -------------------------------------------
installed=()
for k in "${kernels[@]}"; do
	name="dkms build+install for $k"
	why=''
	start=$SECONDS
	if [[ ! -e "/lib/modules/$k/build" ]]; then
		why="no /lib/modules/$k/build (headers for $k)"
	elif ! "${DKMS[@]}" build -m dmvpn -v "$VERSION" -k "$k" >"$LOG/build-$k.log" 2>&1; then
		show "$LOG/build-$k.log"
		# dkms keeps make's own log in its tree.
		[[ -f "$ROOT/var/lib/dkms/dmvpn/$VERSION/build/make.log" ]] &&
			tail -n 30 "$ROOT/var/lib/dkms/dmvpn/$VERSION/build/make.log" | sed 's/^/# make.log: /'
		why="dkms build failed"
	elif ! "${DKMS[@]}" install -m dmvpn -v "$VERSION" -k "$k" >"$LOG/install-$k.log" 2>&1; then
		show "$LOG/install-$k.log"
		why="dkms install failed"
	elif [[ -n "$ROOT" ]] && ! depmod -b "$ROOT" "$k" >"$LOG/depmod-$k.log" 2>&1; then
		# What dkms runs itself with --system.
		show "$LOG/depmod-$k.log"
		why="depmod -b $ROOT $k failed"
	fi
	secs=$((SECONDS - start))
	if [[ -z "$why" ]]; then
		installed+=("$k")
		# modinfo -k resolves the name through modules.dep: depmod ran.
		ko=$("${MODINFO[@]}" -k "$k" -n dmvpn 2>&1)
		vermagic=$(modinfo -F vermagic "$ko" 2>/dev/null)
		version=$(modinfo -F version "$ko" 2>/dev/null)
		echo "# $k: $ko"
		echo "# $k: vermagic \"$vermagic\", version \"$version\", build+install ${secs}s"
		if [[ "$ko" != "$ROOT/lib/modules/$k/updates/dkms/dmvpn.ko"* ]]; then
			why="modinfo -k $k finds \"$ko\", not updates/dkms/dmvpn.ko*"
		elif [[ "${vermagic%% *}" != "$k" ]]; then
			why="vermagic \"$vermagic\" is not for $k"
		elif [[ "$version" != "$VERSION" ]]; then
			why="module version \"$version\", package $VERSION"
		elif ! "${DKMS[@]}" status -m dmvpn -v "$VERSION" -k "$k" 2>/dev/null | grep -q 'installed'; then
			why="dkms status does not say installed"
		elif ! "${MODPROBE[@]}" -S "$k" --show-depends dmvpn >"$LOG/deps-$k.log" 2>&1 ||
			! grep -q "insmod $ko" "$LOG/deps-$k.log"; then
			show "$LOG/deps-$k.log"
			why="modprobe -S $k cannot resolve dmvpn"
		else
			sed 's/^/# modprobe -S: /' "$LOG/deps-$k.log"
		fi
	fi
	if [[ -z "$why" ]]; then
		result ok "$name" "built and installed in ${secs}s"
	else
		result fail "$name" "$why"
	fi
done

# ---- remove ----------------------------------------------------------------
why=''
if ! "${DKMS[@]}" remove -m dmvpn -v "$VERSION" --all >"$LOG/remove.log" 2>&1; then
	show "$LOG/remove.log"
	why="dkms remove failed"
elif dkms_known; then
	why="dkms status still lists dmvpn/$VERSION"
else
	for k in "${installed[@]}"; do
		[[ -z "$ROOT" ]] || depmod -b "$ROOT" "$k" >/dev/null 2>&1
		if left=$("${MODINFO[@]}" -k "$k" -n dmvpn 2>/dev/null); then
			why="$k still has $left"
			break
		fi
	done
fi
if [[ -z "$why" ]]; then
	result ok "dkms remove takes the module from every kernel"
else
	result fail "dkms remove takes the module from every kernel" "$why"
fi

((failed == 0))
