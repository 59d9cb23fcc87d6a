#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Sourced by every dmvpn selftest.  Gives strict error handling, network
# namespaces that are removed when the test exits however it exits,
# assertion helpers that say what failed, and the phase-1 DMVPN topology
# of seed 003 (an "inet" router between a hub and two spokes).
#
# A test:
#   . "$(dirname "$0")/lib.sh"
#   topo_phase1
#   check "hub answers" run spoke1 ping -c1 -W2 10.1.1.254
#   ksft_exit
#
# Exit codes follow kselftest: 0 pass, 4 skip, anything else fail.

set -euo pipefail

KSFT_PASS=0
KSFT_FAIL=1
KSFT_SKIP=4

REPO=${REPO:-$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)}
SELFTESTS_DIR=$REPO/selftests
# iproute2 looks for the "dmvpn" link kind in $IP_LIB_DIR/link_dmvpn.so.
export IP_LIB_DIR=$REPO/userland
export PATH=$REPO/userland:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin
DMVPNCTL=$REPO/userland/dmvpnctl
# shellcheck disable=SC2034 # for the tests that send raw requests
RTNL_RAW=$SELFTESTS_DIR/tools/rtnl_raw.py
# Where the runner built dmvpn.ko for this kernel (tests that unload it
# load it back from here).
DMVPN_MODULE=${DMVPN_MODULE:-}

TEST_NAME=$(basename "$0" .sh)
# Namespace names carry the test and its PID, so a leftover from an
# earlier or concurrent run never collides with this one.
NS_PREFIX="${TEST_NAME:0:12}-$$"

FAILURES=0
declare -A NS_NAMES=()
CLEANUP_CMDS=()
BG_PIDS=()

log() { printf '%s\n' "$*"; }
info() { printf 'INFO: %s\n' "$*"; }

# ---- results -------------------------------------------------------------

fail() {
	printf 'FAIL: %s\n' "$*"
	FAILURES=$((FAILURES + 1))
}

# Stop now: nothing after this can be meaningful.
die() {
	printf 'FAIL: %s\n' "$*"
	exit "$KSFT_FAIL"
}

skip() {
	printf 'SKIP: %s\n' "$*"
	exit "$KSFT_SKIP"
}

# The exit status of the test: fail if any check failed.
ksft_exit() {
	if ((FAILURES)); then
		log "$TEST_NAME: $FAILURES check(s) failed"
		exit "$KSFT_FAIL"
	fi
	log "$TEST_NAME: all checks passed"
	exit "$KSFT_PASS"
}

# check DESCRIPTION CMD...: CMD must succeed.  On failure prints the
# description, the command and its output, counts the failure, and goes on.
check() {
	local desc=$1 out rc=0
	shift
	out=$("$@" 2>&1) || rc=$?
	if ((rc == 0)); then
		printf 'PASS: %s\n' "$desc"
		return 0
	fi
	fail "$desc"
	printf '  command: %s\n  exit: %d\n' "$*" "$rc"
	[[ -z "$out" ]] || printf '%s\n' "$out" | sed 's/^/  | /'
	return 0
}

# check_fails DESCRIPTION CMD...: CMD must fail.  Its output (the error
# message) is shown either way, so a log says what the kernel answered.
check_fails() {
	local desc=$1 out rc=0
	shift
	out=$("$@" 2>&1) || rc=$?
	if ((rc != 0)); then
		printf 'PASS: %s (exit %d: %s)\n' "$desc" "$rc" "$(printf '%s' "$out" | tr '\n' ' ')"
		return 0
	fi
	fail "$desc: expected failure, but it succeeded"
	printf '  command: %s\n' "$*"
	[[ -z "$out" ]] || printf '%s\n' "$out" | sed 's/^/  | /'
	return 0
}

# check_fails_matching DESCRIPTION REGEX CMD...: CMD fails and its output
# (the refusal) matches the extended regular expression REGEX.
check_fails_matching() {
	local desc=$1 regex=$2 out rc=0
	shift 2
	out=$("$@" 2>&1) || rc=$?
	if ((rc != 0)) && grep -qE -- "$regex" <<<"$out"; then
		printf 'PASS: %s (exit %d: %s)\n' "$desc" "$rc" "$(printf '%s' "$out" | tr '\n' ' ')"
		return 0
	fi
	fail "$desc"
	printf '  command: %s\n  exit: %d (wanted non-zero)\n  wanted (regex): %s\n' "$*" "$rc" "$regex"
	[[ -z "$out" ]] || printf '%s\n' "$out" | sed 's/^/  | /'
	return 0
}

# check_output_matches DESCRIPTION REGEX CMD...: CMD succeeds and its
# output matches the extended regular expression REGEX.
check_output_matches() {
	local desc=$1 regex=$2 out rc=0
	shift 2
	out=$("$@" 2>&1) || rc=$?
	if ((rc == 0)) && grep -qE -- "$regex" <<<"$out"; then
		printf 'PASS: %s\n' "$desc"
		return 0
	fi
	fail "$desc"
	printf '  command: %s\n  exit: %d\n  wanted (regex): %s\n' "$*" "$rc" "$regex"
	[[ -z "$out" ]] || printf '%s\n' "$out" | sed 's/^/  | /'
	return 0
}

# check_cmp DESCRIPTION A OP B: integer comparison, e.g. check_cmp "x grew" "$after" -gt "$before".
check_cmp() {
	local desc=$1 a=$2 op=$3 b=$4
	if [[ "$a" =~ ^-?[0-9]+$ && "$b" =~ ^-?[0-9]+$ ]] && test "$a" "$op" "$b"; then
		printf 'PASS: %s (%s %s %s)\n' "$desc" "$a" "$op" "$b"
	else
		fail "$desc: expected $a $op $b"
	fi
}

# require CMD...: CMD must succeed or the test ends now as failed.
require() {
	local out rc=0
	out=$("$@" 2>&1) || rc=$?
	((rc == 0)) && return 0
	printf 'FAIL: setup step failed (exit %d): %s\n' "$rc" "$*"
	[[ -z "$out" ]] || printf '%s\n' "$out" | sed 's/^/  | /'
	exit "$KSFT_FAIL"
}

# retry SECONDS CMD...: run CMD until it succeeds or SECONDS pass (the
# guest is emulated and slow; first packets may race setup).
retry() {
	local limit=$1 start=$SECONDS
	shift
	until "$@" >/dev/null 2>&1; do
		((SECONDS - start < limit)) || return 1
		sleep 0.5
	done
}

# load_ip_gre: modprobe ip_gre for a test that pairs dmvpn with Linux's
# own GRE.  The previous test's namespaces are destroyed asynchronously
# (cleanup_net), and a plain-GRE dmvpn tunnel in one of them holds the
# GRE receive slot until then, so ip_gre may be refused (EBUSY) for a
# while: seen on 6.12 with single-threaded TCG.  Fails the test after 60 s.
load_ip_gre() {
	retry 60 modprobe ip_gre || require modprobe ip_gre
}

require_cmd() {
	local cmd
	for cmd in "$@"; do
		command -v "$cmd" >/dev/null 2>&1 || skip "$cmd is not installed"
	done
}

# The userland this test needs, built by "make -C userland".
require_userland() {
	[[ -x "$DMVPNCTL" ]] || die "$DMVPNCTL missing (make -C userland)"
	[[ -f "$IP_LIB_DIR/link_dmvpn.so" ]] || die "$IP_LIB_DIR/link_dmvpn.so missing (make -C userland)"
}

require_module() {
	[[ -d /sys/module/dmvpn ]] || die "the dmvpn module is not loaded"
}

# ---- cleanup -------------------------------------------------------------

# defer CMD...: run CMD at exit (last deferred first).
defer() {
	local q
	printf -v q '%q ' "$@"
	CLEANUP_CMDS+=("$q")
}

# bg ROLE CMD...: start CMD in the background in ROLE's namespace; it is
# killed at exit.  The PID is in BG_PID.
bg() {
	local role=$1
	shift
	ip netns exec "$(ns "$role")" "$@" &
	BG_PID=$!
	BG_PIDS+=("$BG_PID")
}

cleanup() {
	local rc=$? i pid role
	set +e
	for ((i = ${#CLEANUP_CMDS[@]} - 1; i >= 0; i--)); do
		eval "${CLEANUP_CMDS[$i]}" >/dev/null 2>&1
	done
	for pid in "${BG_PIDS[@]}"; do
		kill "$pid" 2>/dev/null
	done
	for pid in "${BG_PIDS[@]}"; do
		wait "$pid" 2>/dev/null
	done
	# Processes still inside a namespace would keep it (and its tunnels)
	# alive after "ip netns del"; kill them first.
	for role in "${!NS_NAMES[@]}"; do
		for pid in $(ip netns pids "${NS_NAMES[$role]}" 2>/dev/null); do
			kill -9 "$pid" 2>/dev/null
		done
		ip netns del "${NS_NAMES[$role]}" 2>/dev/null
	done
	exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

# ---- namespaces ----------------------------------------------------------

# ns ROLE: the namespace name of ROLE (hub, spoke1, ...).
ns() {
	[[ -n "${NS_NAMES[$1]:-}" ]] || die "no namespace for role '$1' (ns_add it first)"
	printf '%s\n' "${NS_NAMES[$1]}"
}

# ns_add ROLE...: a fresh namespace per ROLE, with lo up; deleted at exit.
ns_add() {
	local role name
	for role in "$@"; do
		name="$NS_PREFIX-$role"
		require ip netns add "$name"
		NS_NAMES[$role]=$name
		require ip -n "$name" link set lo up
	done
}

# run ROLE CMD...: CMD inside ROLE's namespace.
run() {
	local role=$1
	shift
	ip netns exec "$(ns "$role")" "$@"
}

# veth_pair ROLE_A DEV_A ROLE_B DEV_B: a veth between two namespaces, up.
veth_pair() {
	require ip link add "$2" netns "$(ns "$1")" type veth peer name "$4" netns "$(ns "$3")"
	require ip -n "$(ns "$1")" link set "$2" up
	require ip -n "$(ns "$3")" link set "$4" up
}

# ---- seed 003 phase 1 ----------------------------------------------------

# NBMA (underlay) and tunnel addresses of the phase-1 cloud.
HUB_NBMA=172.16.10.1
SPOKE1_NBMA=172.16.1.1
SPOKE2_NBMA=172.16.2.1
HUB_TUN=10.1.1.254
SPOKE1_TUN=10.1.1.1
SPOKE2_TUN=10.1.1.2
TUN_PREFIX=24

# topo_phase1: namespaces inet, hub, spoke1, spoke2.  Each site has its
# own /24 to "inet" (which routes between them):
#   hub    eth0 172.16.10.1/24 -- inet to-hub    172.16.10.254
#   spoke1 eth0 172.16.1.1/24  -- inet to-spoke1 172.16.1.254
#   spoke2 eth0 172.16.2.1/24  -- inet to-spoke2 172.16.2.254
# Tunnels are left to the test (see phase1_tunnels).
topo_phase1() {
	local role nbma net
	ns_add inet hub spoke1 spoke2
	require run inet sysctl -qw net.ipv4.ip_forward=1
	for role in hub spoke1 spoke2; do
		case $role in
		hub) nbma=$HUB_NBMA ;;
		spoke1) nbma=$SPOKE1_NBMA ;;
		spoke2) nbma=$SPOKE2_NBMA ;;
		esac
		net=${nbma%.*}
		veth_pair "$role" eth0 inet "to-$role"
		require ip -n "$(ns "$role")" addr add "$nbma/24" dev eth0
		require ip -n "$(ns inet)" addr add "$net.254/24" dev "to-$role"
		require ip -n "$(ns "$role")" route add default via "$net.254"
	done
	# The underlay must work before any tunnel test means anything.
	retry 10 run spoke1 ping -c1 -W1 "$HUB_NBMA" ||
		die "underlay: spoke1 cannot reach the hub's NBMA address $HUB_NBMA"
	retry 10 run spoke1 ping -c1 -W1 "$SPOKE2_NBMA" ||
		die "underlay: spoke1 cannot reach spoke2's NBMA address $SPOKE2_NBMA"
}

# tunnel_up ROLE LOCAL_NBMA TUNNEL_ADDR [ip link options...]: a
# multipoint dmvpn device tun0 in ROLE with TUNNEL_ADDR/24, up.
tunnel_up() {
	local role=$1 local_nbma=$2 addr=$3
	shift 3
	require ip -n "$(ns "$role")" link add tun0 type dmvpn local "$local_nbma" "$@"
	require ip -n "$(ns "$role")" addr add "$addr/$TUN_PREFIX" dev tun0
	require ip -n "$(ns "$role")" link set tun0 up
}

# nhrp_map ROLE TUNNEL_ADDR NBMA_ADDR: a static NHRP mapping on ROLE's tun0.
nhrp_map() {
	require run "$1" "$DMVPNCTL" nhrp map add dev tun0 "$2" "$3"
}

# phase1_tunnels [ip link options...]: hub and both spokes with static
# maps; the hub maps both spokes, each spoke maps the hub and the other
# spoke (spoke-to-spoke traffic goes direct).  Options (e.g. "key 42")
# apply to all three tunnels.
phase1_tunnels() {
	tunnel_up hub "$HUB_NBMA" "$HUB_TUN" "$@"
	tunnel_up spoke1 "$SPOKE1_NBMA" "$SPOKE1_TUN" "$@"
	tunnel_up spoke2 "$SPOKE2_NBMA" "$SPOKE2_TUN" "$@"
	nhrp_map hub "$SPOKE1_TUN" "$SPOKE1_NBMA"
	nhrp_map hub "$SPOKE2_TUN" "$SPOKE2_NBMA"
	nhrp_map spoke1 "$HUB_TUN" "$HUB_NBMA"
	nhrp_map spoke1 "$SPOKE2_TUN" "$SPOKE2_NBMA"
	nhrp_map spoke2 "$HUB_TUN" "$HUB_NBMA"
	nhrp_map spoke2 "$SPOKE1_TUN" "$SPOKE1_NBMA"
}

# link_stat ROLE DEV COUNTER: an interface counter (rx_packets, tx_bytes...).
link_stat() {
	run "$1" cat "/sys/class/net/$2/statistics/$3"
}

# ethtool_stat ROLE DEV NAME: one "ethtool -S" counter (empty if absent).
ethtool_stat() {
	run "$1" ethtool -S "$2" | awk -v name="$3" '
		{ key = $1; sub(/:$/, "", key) }
		key == name { print $2; found = 1 }
		END { exit !found }'
}
