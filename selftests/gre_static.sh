#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Seed 003 phase 1 with static NHRP maps: a hub and two spokes over plain
# GRE with a key.  Pings hub<->spokes and spoke<->spoke, moves 1 MB over
# TCP in both directions and compares SHA-256, and checks that the tunnel
# counters of "ip -s link" moved.
. "$(dirname "$0")/lib.sh"

require_userland
require_module
require_cmd socat jq sha256sum

KEY=42
topo_phase1
phase1_tunnels key "$KEY"

# tunnel_stat ROLE tx|rx packets|bytes: from "ip -j -s link show tun0".
tunnel_stat() {
	ip -n "$(ns "$1")" -j -s link show tun0 | jq -r ".[0].stats64.$2.$3"
}

hub_rx_before=$(tunnel_stat hub rx packets)
s1_tx_before=$(tunnel_stat spoke1 tx bytes)
s2_rx_before=$(tunnel_stat spoke2 rx bytes)

# The first packets may race the tunnels coming up; then be strict.
retry 15 run spoke1 ping -c1 -W1 "$HUB_TUN" || true
retry 15 run spoke2 ping -c1 -W1 "$HUB_TUN" || true

check "spoke1 -> hub" run spoke1 ping -c3 -i0.2 -W2 "$HUB_TUN"
check "spoke2 -> hub" run spoke2 ping -c3 -i0.2 -W2 "$HUB_TUN"
check "hub -> spoke1" run hub ping -c3 -i0.2 -W2 "$SPOKE1_TUN"
check "hub -> spoke2" run hub ping -c3 -i0.2 -W2 "$SPOKE2_TUN"
check "spoke1 -> spoke2" run spoke1 ping -c3 -i0.2 -W2 "$SPOKE2_TUN"
check "spoke2 -> spoke1" run spoke2 ping -c3 -i0.2 -W2 "$SPOKE1_TUN"
# Full-size packets: 1472 bytes of ICMP payload do not fit the tunnel MTU
# and must be fragmented (DF clear) rather than lost.
check "spoke1 -> hub, 1400-byte payload" run spoke1 ping -c2 -W2 -s 1400 "$HUB_TUN"
check "spoke1 -> hub, 3000-byte payload (fragmented)" run spoke1 ping -c2 -W3 -s 3000 "$HUB_TUN"

WORK=$(mktemp -d)
defer rm -rf "$WORK"
head -c $((1024 * 1024)) /dev/urandom >"$WORK/data"
want=$(sha256sum <"$WORK/data" | cut -d' ' -f1)

# tcp_copy FROM TO TO_ADDR PORT: send $WORK/data from FROM to TO over TCP
# through the tunnel; prints nothing, fails if the bytes differ.
tcp_copy() {
	local from=$1 to=$2 addr=$3 port=$4 got pid rc=0
	rm -f "$WORK/recv"
	ip netns exec "$(ns "$to")" timeout 120 \
		socat -u "TCP-LISTEN:$port,bind=$addr,reuseaddr" "CREATE:$WORK/recv" &
	pid=$!
	retry 10 run "$to" sh -c "ss -Hltn 'sport = :$port' | grep -q ." ||
		{ echo "listener on $to:$port did not come up"; kill "$pid"; return 1; }
	run "$from" timeout 120 socat -u "OPEN:$WORK/data" "TCP:$addr:$port,connect-timeout=10" || rc=$?
	wait "$pid" || rc=$?
	((rc == 0)) || { echo "socat failed (exit $rc)"; return 1; }
	got=$(sha256sum <"$WORK/recv" | cut -d' ' -f1)
	if [[ "$got" != "$want" ]]; then
		echo "sha256 differs: sent $want, received $got ($(stat -c %s "$WORK/recv") bytes)"
		return 1
	fi
}

check "1 MB TCP spoke1 -> spoke2, sha256 matches" tcp_copy spoke1 spoke2 "$SPOKE2_TUN" 5001
check "1 MB TCP spoke2 -> hub, sha256 matches" tcp_copy spoke2 hub "$HUB_TUN" 5002

hub_rx_after=$(tunnel_stat hub rx packets)
s1_tx_after=$(tunnel_stat spoke1 tx bytes)
s2_rx_after=$(tunnel_stat spoke2 rx bytes)
check_cmp "hub tun0 rx packets increased" "$hub_rx_after" -gt "$hub_rx_before"
check_cmp "spoke1 tun0 tx bytes grew by at least 1 MB" \
	"$((s1_tx_after - s1_tx_before))" -ge $((1024 * 1024))
check_cmp "spoke2 tun0 rx bytes grew by at least 1 MB" \
	"$((s2_rx_after - s2_rx_before))" -ge $((1024 * 1024))
check_output_matches "hub: show ip nhrp lists spoke1" '10\.1\.1\.1([^0-9]|$)' \
	run hub "$DMVPNCTL" show ip nhrp
check_output_matches "hub: show ip nhrp lists spoke2" '10\.1\.1\.2([^0-9]|$)' \
	run hub "$DMVPNCTL" show ip nhrp

info "hub tun0 after the run:"
ip -n "$(ns hub)" -d -s link show tun0 || true
ksft_exit
