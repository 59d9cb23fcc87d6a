#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Host-side test: "make install DESTDIR=... PREFIX=/usr" puts every piece
# where a Debian system looks for it, with sane modes; the systemd unit
# runs /usr/sbin/dmvpnd -c /etc/dmvpn/dmvpnd.conf (and the installed
# dmvpnd accepts that command line), passes
# "systemd-analyze verify" and keeps its hardening; the man pages are lint
# clean (mandoc -T lint, groff -ww) and render with man -l; "make
# uninstall" takes the files away again.  Nothing outside a temporary
# DESTDIR is touched (no depmod: DESTDIR installs leave that to packages).
# KTAP v1 on stdout.
#   install_layout.sh [KDIR]   (default: the Makefile's choice)
set -uo pipefail

REPO=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
DEST=$(mktemp -d /var/tmp/dmvpn-install.XXXXXX)
trap 'rm -rf "$DEST"' EXIT
KDIR_ARG=()
[[ -z "${1:-}" ]] || KDIR_ARG=(KDIR="$1")

n=0
failed=0
echo "KTAP version 1"
echo "1..6"

# result NAME CMD...: one KTAP result from CMD's status; its output
# becomes diagnostics.
result() {
	local name=$1 out rc=0
	shift
	out=$("$@" 2>&1) || rc=$?
	n=$((n + 1))
	[[ -z "$out" ]] || printf '%s\n' "$out" | sed 's/^/# /'
	if ((rc == 0)); then
		echo "ok $n $name"
	else
		failed=$((failed + 1))
		echo "not ok $n $name"
	fi
}

# want MODE PATH: PATH exists with octal MODE.
want() {
	local mode
	mode=$(stat -c %a "$DEST$2" 2>/dev/null) || { echo "missing: $2"; return 1; }
	[[ "$mode" == "$1" ]] || { echo "$2: mode $mode, want $1"; return 1; }
}

do_install() {
	make -s -C "$REPO" "${KDIR_ARG[@]}" install DESTDIR="$DEST" PREFIX=/usr >"$DEST.log" 2>&1 || {
		tail -n 30 "$DEST.log"
		rm -f "$DEST.log"
		return 1
	}
	rm -f "$DEST.log"
}
result "make install DESTDIR PREFIX=/usr" do_install

layout() {
	local bad=0 kver
	kver=$(make -s -C "$REPO" --no-print-directory "${KDIR_ARG[@]}" kver)
	want 644 "/lib/modules/$kver/extra/dmvpn.ko" || bad=1
	want 755 /usr/sbin/dmvpnctl || bad=1
	want 644 /usr/lib/ip/link_dmvpn.so || bad=1
	want 644 /usr/share/man/man8/dmvpnctl.8 || bad=1
	want 644 /usr/share/man/man8/ip-link-dmvpn.8 || bad=1
	want 644 /usr/share/man/man8/dmvpnd.8 || bad=1
	want 644 /usr/share/man/man5/dmvpnd.conf.5 || bad=1
	want 644 /usr/lib/systemd/system/dmvpnd.service || bad=1
	want 750 /etc/dmvpn || bad=1
	want 755 /etc/dmvpn/examples/hub-phase1.sh || bad=1
	want 755 /etc/dmvpn/examples/spoke-phase1.sh || bad=1
	if [[ -x "$REPO/userland/dmvpnd" ]]; then
		want 755 /usr/sbin/dmvpnd || bad=1
	elif [[ -e "$DEST/usr/sbin/dmvpnd" ]]; then
		echo "dmvpnd installed although userland/dmvpnd was not built"
		bad=1
	else
		echo "userland/dmvpnd not built: not installed, as it should be"
	fi
	local vm
	vm=$(modinfo -F vermagic "$DEST/lib/modules/$kver/extra/dmvpn.ko")
	[[ "${vm%% *}" == "$kver" ]] || { echo "vermagic \"$vm\" is not $kver"; bad=1; }
	echo "module for $kver (vermagic ${vm%% *})"
	# Nothing may land outside these trees.
	find "$DEST" -mindepth 1 -maxdepth 1 -printf '%f\n' | sort | tr '\n' ' ' |
		grep -qx 'etc lib usr ' || { echo "unexpected top-level entries: $(ls "$DEST")"; bad=1; }
	return "$bad"
}
result "installed files and modes" layout

unit() {
	local u=$DEST/usr/lib/systemd/system/dmvpnd.service stub key bad=0
	local exec_line
	grep -qx 'ExecStart=/usr/sbin/dmvpnd -c /etc/dmvpn/dmvpnd.conf' "$u" ||
		{ echo "ExecStart is not /usr/sbin/dmvpnd -c /etc/dmvpn/dmvpnd.conf"; bad=1; }
	# shellcheck disable=SC2016 # systemd expands $MAINPID, not the shell
	grep -qx 'ExecReload=/bin/kill -HUP $MAINPID' "$u" ||
		{ echo "no ExecReload sending SIGHUP (systemctl reload)"; bad=1; }
	# The installed dmvpnd must accept the unit's command line: run it
	# with "-t" (check the file, exit) on a valid file in place of
	# /etc/dmvpn/dmvpnd.conf.
	if [[ -x $DEST/usr/sbin/dmvpnd ]]; then
		exec_line=$(sed -n 's/^ExecStart=//p' "$u")
		exec_line=${exec_line//\/usr\/sbin\/dmvpnd/$DEST/usr/sbin/dmvpnd}
		exec_line=${exec_line//\/etc\/dmvpn\/dmvpnd.conf/$DEST/test.conf}
		printf '%s\n' 'crypto isakmp policy 10' ' authentication pre-share' \
			'crypto isakmp key k address 0.0.0.0 0.0.0.0' \
			'crypto ipsec transform-set T esp-gcm 256' ' mode transport' \
			'crypto ipsec profile P' ' set transform-set T' \
			'interface tun0' ' tunnel source 192.0.2.1' \
			' tunnel protection ipsec profile P' >"$DEST/test.conf"
		# shellcheck disable=SC2086 # the unit's words, as systemd splits them
		$exec_line -t || { echo "dmvpnd refuses the unit's command line: $exec_line -t"; bad=1; }
		rm -f "$DEST/test.conf"
	fi
	for key in 'ProtectSystem=strict' 'NoNewPrivileges=yes' \
		'CapabilityBoundingSet=CAP_NET_ADMIN CAP_NET_BIND_SERVICE' \
		'ProtectKernelModules=yes' 'PrivateTmp=yes' 'RestrictAddressFamilies=AF_UNIX AF_NETLINK AF_INET AF_INET6'; do
		grep -qx "$key" "$u" || { echo "missing $key"; bad=1; }
	done
	command -v systemd-analyze >/dev/null || { echo "no systemd-analyze: not verified"; return "$bad"; }
	# verify wants the binary to exist: point a copy at a stub.
	stub=$DEST/stub-dmvpnd
	printf '#!/bin/sh\nexit 0\n' >"$stub"
	chmod 755 "$stub"
	sed "s|/usr/sbin/dmvpnd|$stub|" "$u" >"$DEST/dmvpnd.service"
	systemd-analyze verify --man=no "$DEST/dmvpnd.service" || bad=1
	systemd-analyze security --offline=true "$DEST/dmvpnd.service" 2>/dev/null | tail -n 1
	rm -f "$stub" "$DEST/dmvpnd.service"
	return "$bad"
}
result "dmvpnd.service: ExecStart, hardening, systemd-analyze verify" unit

man_lint() {
	local page bad=0 out
	for page in "$REPO"/Documentation/man/*.[1-8]; do
		if command -v mandoc >/dev/null; then
			out=$(mandoc -T lint -W warning "$page" 2>&1) || bad=1
			[[ -z "$out" ]] || { printf '%s\n' "$out"; bad=1; }
		else
			echo "no mandoc: only groff checks ${page##*/}"
		fi
		out=$(groff -ww -z -man "$page" 2>&1) || bad=1
		[[ -z "$out" ]] || { printf '%s\n' "$out"; bad=1; }
		out=$(MANWIDTH=80 man -l "$page" 2>&1 >/dev/null) || bad=1
		[[ -z "$out" ]] || { printf '%s\n' "$out"; bad=1; }
		echo "${page##*/}: $(MANWIDTH=80 man -l "$page" 2>/dev/null | wc -l) lines rendered"
	done
	return "$bad"
}
result "man pages: mandoc -T lint, groff -ww, man -l" man_lint

# Every dmvpnctl command of the usage text appears in the man page.
man_covers_cli() {
	local cmd bad=0
	while read -r cmd; do
		grep -qF -- "$cmd" <(MANWIDTH=200 man -l "$REPO/Documentation/man/dmvpnctl.8" 2>/dev/null) ||
			{ echo "dmvpnctl.8 lacks \"$cmd\""; bad=1; }
	done < <("$DEST/usr/sbin/dmvpnctl" help 2>&1 |
		sed -nE 's/^  ([a-z][a-z -]*[a-z]).*/\1/p' | sed -E 's/ (dev|TUN|PROTO).*//' | sort -u)
	return "$bad"
}
result "dmvpnctl.8 documents every command of dmvpnctl help" man_covers_cli

uninstall() {
	make -s -C "$REPO" "${KDIR_ARG[@]}" uninstall DESTDIR="$DEST" PREFIX=/usr >/dev/null 2>&1 || return 1
	local left
	left=$(find "$DEST" -type f)
	[[ -z "$left" ]] || { echo "left behind: $left"; return 1; }
}
result "make uninstall removes every file" uninstall

((failed == 0))
