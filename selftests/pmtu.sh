#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Path MTU (seed 002's fragmentation/DF case).  The tunnel MTU follows the
# underlay; a narrower link in the middle makes the inet router answer
# "fragmentation needed" to the spoke's outer packets, the tunnel learns
# the smaller path MTU towards that peer, and then refuses oversized DF
# packets itself, telling the sender the size that fits.  TCP adapts.
. "$(dirname "$0")/lib.sh"

require_userland
require_module
require_cmd socat

topo_phase1
phase1_tunnels key 9

check_output_matches "tunnel MTU = 1500 - 20 (IP) - 8 (GRE with key)" 'mtu 1472' \
	ip -n "$(ns spoke1)" link show tun0
ns_add mtu
veth_pair mtu u0 mtu u1
require ip -n "$(ns mtu)" link set u0 mtu 1400
require ip -n "$(ns mtu)" addr add 192.0.2.1/24 dev u0
require ip -n "$(ns mtu)" link add t0 type dmvpn local 192.0.2.1 dev u0
check_output_matches "tunnel MTU follows 'dev': 1400 - 24 (no key)" 'mtu 1376' \
	ip -n "$(ns mtu)" link show t0

retry 15 run spoke1 ping -c1 -W1 "$HUB_TUN" || die "tunnel does not come up"
# Narrow the inet -> hub link: 1300 bytes.
require ip -n "$(ns inet)" link set to-hub mtu 1300
require ip -n "$(ns hub)" link set eth0 mtu 1300

check "a DF packet that fits the path goes through" \
	run spoke1 ping -c2 -W2 -M "do" -s 1200 "$HUB_TUN"
# The first oversized DF packet is lost in the middle; the router's ICMP
# teaches the spoke the path MTU.  The next ones are refused locally.
run spoke1 ping -c1 -W2 -M "do" -s 1400 "$HUB_TUN" >/dev/null 2>&1 || true
before=$(ethtool_stat spoke1 tun0 tx_too_big)
out=$(run spoke1 ping -c2 -W2 -M "do" -s 1400 "$HUB_TUN" 2>&1) || true
check_output_matches "oversized DF packet refused, sender told MTU 1272 (1300 - 28)" \
	'mtu ?= ?1272' echo "$out"
check_cmp "tx_too_big counted" "$(ethtool_stat spoke1 tun0 tx_too_big)" -gt "$before"
check "without DF, the same size is fragmented and arrives" \
	run spoke1 ping -c2 -W2 -M dont -s 1400 "$HUB_TUN"

WORK=$(mktemp -d)
defer rm -rf "$WORK"
head -c 300000 /dev/urandom >"$WORK/data"
ip netns exec "$(ns hub)" timeout 60 socat -u "TCP-LISTEN:5010,bind=$HUB_TUN,reuseaddr" "CREATE:$WORK/recv" &
listener=$!
retry 10 run hub sh -c "ss -Hltn 'sport = :5010' | grep -q ." || die "listener did not come up"
check "TCP across the narrow path" run spoke1 timeout 60 socat -u "OPEN:$WORK/data" "TCP:$HUB_TUN:5010,connect-timeout=10"
wait "$listener" || true
check "TCP bytes arrived intact" cmp "$WORK/data" "$WORK/recv"

ksft_exit
