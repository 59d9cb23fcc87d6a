#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Bad input over the generic-netlink family "dmvpn": requests dmvpnctl
# would never send (tools/genl_raw.py) are each refused with a message
# that names the problem, and the NHRP cache is left exactly as it was.
# Then the dmvpnctl/plugin end-to-end suite (userland/tests/e2e.sh).
. "$(dirname "$0")/lib.sh"

require_userland
require_module

GENL=(python3 "$SELFTESTS_DIR/tools/genl_raw.py")
ns_add t
require ip -n "$(ns t)" link add tun0 type dmvpn local 172.16.10.1 key 1
nhrp_map t 10.1.1.1 172.16.1.1
before=$(run t "$DMVPNCTL" -j show ip nhrp dev tun0)

# refused DESCRIPTION REGEX ARGS...: genl_raw.py ARGS fails, message matches.
refused() {
	local desc=$1 regex=$2 out rc=0
	shift 2
	out=$(run t "${GENL[@]}" "$@" 2>&1) || rc=$?
	if ((rc == 0)); then
		fail "$desc: accepted, but must be refused"
	elif ! grep -qiE -- "$regex" <<<"$out"; then
		fail "$desc: refused, but the message does not match /$regex/: $out"
	else
		printf 'PASS: %s (%s)\n' "$desc" "$out"
	fi
}

check "raw tool: a valid add is accepted" \
	run t "${GENL[@]}" nhrp_add --dev tun0 --nhrp PROTO_ADDR=ipv4:10.1.1.9 \
	--nhrp NBMA_ADDR=ipv4:172.16.9.1
check "and deleted" run t "${GENL[@]}" nhrp_del --dev tun0 --nhrp PROTO_ADDR=ipv4:10.1.1.9

refused "no tunnel named" 'IFINDEX' \
	nhrp_add --nhrp PROTO_ADDR=ipv4:10.1.1.2 --nhrp NBMA_ADDR=ipv4:172.16.2.1
refused "not a dmvpn interface" 'not a dmvpn' \
	nhrp_add --dev lo --nhrp PROTO_ADDR=ipv4:10.1.1.2 --nhrp NBMA_ADDR=ipv4:172.16.2.1
refused "ifindex 0" 'ENODEV|EINVAL|range|interface' nhrp_flush --top IFINDEX=u32:0
refused "no entry nest" 'DMVPN_A_NHRP' nhrp_add --dev tun0
refused "no tunnel address" 'PROTO_ADDR' \
	nhrp_add --dev tun0 --nhrp NBMA_ADDR=ipv4:172.16.2.1
refused "no NBMA address" 'NBMA_ADDR' nhrp_add --dev tun0 --nhrp PROTO_ADDR=ipv4:10.1.1.2
refused "tunnel address of 5 bytes" '4 bytes .IPv4. or 16' \
	nhrp_add --dev tun0 --nhrp PROTO_ADDR=hex:0a01010200 --nhrp NBMA_ADDR=ipv4:172.16.2.1
refused "NBMA address of 3 bytes" '4 bytes .IPv4. or 16' \
	nhrp_add --dev tun0 --nhrp PROTO_ADDR=ipv4:10.1.1.2 --nhrp NBMA_ADDR=hex:ac1002
refused "IPv6 NBMA on an IPv4 tunnel" 'family' \
	nhrp_add --dev tun0 --nhrp PROTO_ADDR=ipv4:10.1.1.2 --nhrp NBMA_ADDR=ipv6:2001:db8::2
check "a static map of a prefix (192.168.9.0/24) is accepted" \
	run t "${GENL[@]}" nhrp_add --dev tun0 --nhrp PROTO_ADDR=ipv4:192.168.9.0 \
	--nhrp PREFIX_LEN=u8:24 --nhrp NBMA_ADDR=ipv4:172.16.9.1
check_output_matches "... and listed as 192.168.9.0/24" '^192\.168\.9\.0/24$' \
	run t "$DMVPNCTL" show ip nhrp dev tun0
refused "its host address is not it" 'no NHRP entry' \
	nhrp_del --dev tun0 --nhrp PROTO_ADDR=ipv4:192.168.9.0
check "... the prefix is deleted by network and length" \
	run t "${GENL[@]}" nhrp_del --dev tun0 --nhrp PROTO_ADDR=ipv4:192.168.9.0 \
	--nhrp PREFIX_LEN=u8:24
refused "prefix with host bits set (10.1.1.2/24)" 'host bits set' \
	nhrp_add --dev tun0 --nhrp PROTO_ADDR=ipv4:10.1.1.2 --nhrp PREFIX_LEN=u8:24 \
	--nhrp NBMA_ADDR=ipv4:172.16.2.1
refused "prefix length 0" '/0 entry' \
	nhrp_add --dev tun0 --nhrp PROTO_ADDR=ipv4:0.0.0.0 --nhrp PREFIX_LEN=u8:0 \
	--nhrp NBMA_ADDR=ipv4:172.16.2.1
refused "prefix length 33 for IPv4" 'longer than the address' \
	nhrp_add --dev tun0 --nhrp PROTO_ADDR=ipv4:10.1.1.2 --nhrp PREFIX_LEN=u8:33 \
	--nhrp NBMA_ADDR=ipv4:172.16.2.1
refused "next hop set by hand" 'NEXT_HOP is learnt' \
	nhrp_add --dev tun0 --nhrp PROTO_ADDR=ipv4:192.168.9.0 --nhrp PREFIX_LEN=u8:24 \
	--nhrp NBMA_ADDR=ipv4:172.16.2.1 --nhrp NEXT_HOP=ipv4:10.1.1.9
refused "prefix length 200" 'EINVAL|range' \
	nhrp_add --dev tun0 --nhrp PROTO_ADDR=ipv4:10.1.1.2 --nhrp PREFIX_LEN=u8:200 \
	--nhrp NBMA_ADDR=ipv4:172.16.2.1
refused "dynamic type added by hand" 'only static' \
	nhrp_add --dev tun0 --nhrp PROTO_ADDR=ipv4:10.1.1.2 --nhrp NBMA_ADDR=ipv4:172.16.2.1 \
	--nhrp TYPE=u8:2
refused "type 99" 'EINVAL|range' \
	nhrp_add --dev tun0 --nhrp PROTO_ADDR=ipv4:10.1.1.2 --nhrp NBMA_ADDR=ipv4:172.16.2.1 \
	--nhrp TYPE=u8:99
refused "state flag (registered) set by hand" 'unique flag' \
	nhrp_add --dev tun0 --nhrp PROTO_ADDR=ipv4:10.1.1.2 --nhrp NBMA_ADDR=ipv4:172.16.2.1 \
	--nhrp FLAGS=u32:2
refused "unknown flag bit" 'EINVAL|flag|mask|reserved' \
	nhrp_add --dev tun0 --nhrp PROTO_ADDR=ipv4:10.1.1.2 --nhrp NBMA_ADDR=ipv4:172.16.2.1 \
	--nhrp FLAGS=u32:0x100
refused "age is state, not input" 'AGE is kept by the module' \
	nhrp_add --dev tun0 --nhrp PROTO_ADDR=ipv4:10.1.1.2 --nhrp NBMA_ADDR=ipv4:172.16.2.1 \
	--nhrp AGE=u64:5
refused "NBMA port of 4 bytes" 'EINVAL|attribute|length|size' \
	nhrp_add --dev tun0 --nhrp PROTO_ADDR=ipv4:10.1.1.2 --nhrp NBMA_ADDR=ipv4:172.16.2.1 \
	--nhrp NBMA_PORT=u32:4500
refused "unknown entry attribute 60" 'EINVAL: .*[Uu]nknown attribute' \
	nhrp_add --dev tun0 --nhrp PROTO_ADDR=ipv4:10.1.1.2 --nhrp NBMA_ADDR=ipv4:172.16.2.1 \
	--nhrp 60=hex:00
refused "reply-only DEV nest in a request" 'DEV is reply-only' \
	nhrp_flush --dev tun0 --top DEV=hex:00000000
refused "delete of an absent entry" 'no NHRP entry' \
	nhrp_del --dev tun0 --nhrp PROTO_ADDR=ipv4:10.9.9.9
refused "exclusive add over an existing entry" 'already exists' \
	nhrp_add --dev tun0 --nhrp PROTO_ADDR=ipv4:10.1.1.1 --nhrp NBMA_ADDR=ipv4:172.16.7.1 \
	--excl

after=$(run t "$DMVPNCTL" -j show ip nhrp dev tun0)
# Ages tick; compare everything else.
strip_age() { sed -E 's/"(age|created|up_down)[a-z_]*": ?[0-9"]+[0-9:"]*,?//g'; }
check "the NHRP cache is unchanged by the refused requests" \
	test "$(strip_age <<<"$before")" = "$(strip_age <<<"$after")"

# dmvpnctl and the ip plugin against this kernel, end to end.
E2E_LOG=$(mktemp)
defer rm -f "$E2E_LOG"
run_e2e() { bash "$REPO/userland/tests/e2e.sh" >"$E2E_LOG" 2>&1; }
check "userland end-to-end suite (userland/tests/e2e.sh)" run_e2e
info "e2e: $(grep -cE '^ok [0-9]+' "$E2E_LOG") ok, $(grep -cE '^not ok' "$E2E_LOG") not ok, $(grep -c '# SKIP' "$E2E_LOG") skipped"
check_cmp "e2e: this module runs every case (none skipped)" "$(grep -c '# SKIP' "$E2E_LOG")" -eq 0

ksft_exit
