#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Malformed GRE from the wire: each kind is dropped and counted under its
# own cause ("ethtool -S"), logged rate-limited, and never crashes or
# disturbs the tunnel.  Then a burst of random GRE.  (The runner fails
# the test on any kernel warning.)  The GRE demultiplexer itself drops
# packets under 12 bytes and versions other than 0 before we see them.
. "$(dirname "$0")/lib.sh"

require_userland
require_module

KEY=5
INJECT=(python3 "$SELFTESTS_DIR/tools/gre_inject.py" "$HUB_NBMA")
topo_phase1
phase1_tunnels key "$KEY"
retry 15 run spoke1 ping -c1 -W1 "$HUB_TUN" || die "tunnel does not come up"

stat() { ethtool_stat hub tun0 "$1"; }
# inject CASE COUNTER MIN_INCREASE: send CASE from spoke1, expect COUNTER up.
inject() {
	local case=$1 counter=$2 want=$3 before after
	before=$(stat "$counter")
	require run spoke1 "${INJECT[@]}" "$case" --key "$KEY" --count 3
	sleep 0.3
	after=$(stat "$counter")
	check_cmp "$case: $counter counted" "$((after - before))" -ge "$want"
}

inject short-options rx_bad_header 3
inject routing rx_bad_header 3
inject strict rx_bad_header 3
inject recursion rx_bad_header 3
inject short-inner rx_bad_header 3
inject bad-csum rx_csum_errors 3
inject unknown-proto rx_unknown_proto 3
inject wrong-key rx_key_mismatch 3
inject no-key rx_key_mismatch 3

# A correct checksum is accepted: the echo inside gets answered.
rx_before=$(link_stat hub tun0 rx_packets)
csum_before=$(stat rx_csum_errors)
require run spoke1 "${INJECT[@]}" good-csum --key "$KEY" --count 2
sleep 0.3
check_cmp "good checksum: delivered on the hub's tun0" \
	"$(($(link_stat hub tun0 rx_packets) - rx_before))" -ge 2
check_cmp "good checksum: no checksum error" "$(stat rx_csum_errors)" -eq "$csum_before"

check_output_matches "drops are logged, naming tunnel and sender" \
	'tun0: dropped GRE packet from 172\.16\.1\.1' dmesg

check "random GRE burst (2000 packets) sent" run spoke1 "${INJECT[@]}" fuzz --key "$KEY" --count 2000 --seed 7
check_cmp "ip -s link: rx_errors reflect the drops" "$(link_stat hub tun0 rx_errors)" -gt 0
check "tunnel still works after the burst" run spoke1 ping -c3 -i0.2 -W2 "$HUB_TUN"

ksft_exit
