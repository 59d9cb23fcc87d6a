#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Creating and deleting dmvpn devices, what "ip -d link show" reports, and
# that bad requests fail with a message naming the problem and leave no
# device behind.
. "$(dirname "$0")/lib.sh"

require_userland
require_module
require_cmd jq python3

ns_add t
NS=$(ns t)
# An underlay with the local address on it, as a real tunnel would have.
ns_add peer
veth_pair t eth0 peer eth0
require ip -n "$NS" addr add 172.16.10.1/24 dev eth0

device_absent() { ! ip -n "$NS" link show "$1" >/dev/null 2>&1; }

# expect_error DESCRIPTION REGEX CMD...: CMD fails, its message matches
# REGEX (case-insensitive), and no tun1 exists afterwards.
expect_error() {
	local desc=$1 regex=$2 out rc=0
	shift 2
	out=$("$@" 2>&1) || rc=$?
	if ((rc == 0)); then
		fail "$desc: accepted, but must be refused"
		printf '  command: %s\n' "$*"
	elif ! grep -qiE -- "$regex" <<<"$out"; then
		fail "$desc: refused (exit $rc) but the message does not match /$regex/"
		printf '  command: %s\n' "$*"
		printf '%s\n' "$out" | sed 's/^/  | /'
	else
		printf 'PASS: %s (%s)\n' "$desc" "$(tr '\n' ' ' <<<"$out")"
	fi
	check "$desc: no device left behind" device_absent tun1
	ip -n "$NS" link del tun1 >/dev/null 2>&1 || true
}

# jq_link DEV FILTER: FILTER applied to "ip -j -d link show DEV".
jq_link() {
	ip -n "$NS" -j -d link show "$1" | jq -e "$2"
}

# ---- create, show, delete ------------------------------------------------
check "create multipoint tunnel with key and ttl" \
	ip -n "$NS" link add tun0 type dmvpn local 172.16.10.1 key 42 ttl 64
check_output_matches "ip -d link show: kind dmvpn" '(^|[[:space:]])dmvpn([[:space:]]|$)' \
	ip -n "$NS" -d link show tun0
check_output_matches "ip -d link show: local" 'local 172\.16\.10\.1' \
	ip -n "$NS" -d link show tun0
check_output_matches "ip -d link show: key" 'key (42|0\.0\.0\.42)' \
	ip -n "$NS" -d link show tun0
check_output_matches "ip -d link show: ttl" 'ttl 64' \
	ip -n "$NS" -d link show tun0
check "JSON: kind and local" \
	jq_link tun0 '.[0].linkinfo.info_kind == "dmvpn" and .[0].linkinfo.info_data.local == "172.16.10.1"'
check "JSON: no remote on a multipoint tunnel" \
	jq_link tun0 '.[0].linkinfo.info_data.remote == null'
check "link set up" ip -n "$NS" link set tun0 up
check "tunnel address" ip -n "$NS" addr add 10.1.1.254/24 dev tun0
check_output_matches "dmvpnctl show dmvpn lists tun0" 'tun0' \
	run t "$DMVPNCTL" show dmvpn
check_output_matches "dmvpnctl show interface tun0: local" '172\.16\.10\.1' \
	run t "$DMVPNCTL" show interface tun0
check "static NHRP map add" run t "$DMVPNCTL" nhrp map add dev tun0 10.1.1.1 172.16.1.1
check_output_matches "show ip nhrp has the map" '10\.1\.1\.1' \
	run t "$DMVPNCTL" show ip nhrp
check "static NHRP map del" run t "$DMVPNCTL" nhrp map del dev tun0 10.1.1.1
check "change ttl with ip link set" ip -n "$NS" link set tun0 type dmvpn ttl 32
check_output_matches "ttl changed" 'ttl 32' ip -n "$NS" -d link show tun0
check "delete" ip -n "$NS" link del tun0
check "gone after delete" device_absent tun0

check "create without key" ip -n "$NS" link add tun0 type dmvpn local 172.16.10.1
check "JSON: no key" jq_link tun0 '.[0].linkinfo.info_data.key == null'
check "delete" ip -n "$NS" link del tun0

check "create point-to-point (remote)" \
	ip -n "$NS" link add tun0 type dmvpn local 172.16.10.1 remote 172.16.1.1 key 7
check_output_matches "ip -d link show: remote" 'remote 172\.16\.1\.1' \
	ip -n "$NS" -d link show tun0
check "delete" ip -n "$NS" link del tun0

check "two tunnels with different keys" bash -c "
	ip -n $NS link add tun0 type dmvpn local 172.16.10.1 key 1 &&
	ip -n $NS link add tun2 type dmvpn local 172.16.10.1 key 2"
ip -n "$NS" link del tun0 2>/dev/null || true
ip -n "$NS" link del tun2 2>/dev/null || true

# A namespace going away takes its tunnels with it (pernet exit path).
ns_add gone
check "tunnel in a namespace that is then deleted" \
	ip -n "$(ns gone)" link add tun0 type dmvpn local 192.0.2.1
check "delete that namespace" ip netns del "$(ns gone)"

# ---- bad requests --------------------------------------------------------
expect_error "missing local" 'local' \
	ip -n "$NS" link add tun1 type dmvpn key 5
expect_error "bad local address" 'local|address|invalid|inet' \
	ip -n "$NS" link add tun1 type dmvpn local 300.1.1.1
expect_error "bad key" 'key' \
	ip -n "$NS" link add tun1 type dmvpn local 172.16.10.1 key banana

# Requests ip(8) would never build, from the raw rtnetlink tool.
if [[ -f "$RTNL_RAW" ]]; then
	raw() { run t python3 "$RTNL_RAW" "$@"; }
	check "raw tool: valid request accepted" \
		raw newlink tun1 --attr LOCAL=ipv4:172.16.10.1 --attr KEY=u32:9
	ip -n "$NS" link del tun1 2>/dev/null || true
	expect_error "raw: key of 2 bytes (u32 expected)" 'key' \
		raw newlink tun1 --attr LOCAL=ipv4:172.16.10.1 --attr KEY=hex:0102
	expect_error "raw: local of 3 bytes" 'local' \
		raw newlink tun1 --attr LOCAL=hex:ac1001
	expect_error "raw: no local" 'local' \
		raw newlink tun1 --attr KEY=u32:5
	expect_error "raw: unknown attribute type 99" 'attribute|unknown|99' \
		raw newlink tun1 --attr LOCAL=ipv4:172.16.10.1 --attr 99=hex:00
	expect_error "raw: ttl of 4 bytes (u8 expected)" 'ttl' \
		raw newlink tun1 --attr LOCAL=ipv4:172.16.10.1 --attr TTL=u32:64
	# Refused after the parameters were allocated: the error path must
	# free them (the debug lane checks with KASAN and kmemleak).
	expect_error "raw: underlay ifindex that does not exist" 'underlay|dev' \
		raw newlink tun1 --attr LOCAL=ipv4:172.16.10.1 --attr LINK=u32:99999
	expect_error "raw: multicast local address" 'unicast' \
		raw newlink tun1 --attr LOCAL=ipv4:224.0.0.5
	expect_error "raw: IPv6 underlay (not supported yet)" 'IPv6' \
		raw newlink tun1 --attr LOCAL=ipv6:2001:db8::1
else
	fail "$RTNL_RAW is missing: the raw-request cases did not run"
fi

ksft_exit
