#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# DMVPN phase 3: the spokes route each other's LANs through the hub
# (192.168.11.0/24 behind spoke1, 192.168.12.0/24 behind spoke2).  The
# hub ("ip nhrp redirect") sees the traffic hairpin through tun0 and sends
# each sender a Traffic Indication; the spokes ("ip nhrp shortcut")
# resolve the destination through the hub, the far spoke answers as the
# exit for its whole LAN (the prefix of its route, as IOS does), and a
# shortcut entry for that network then sends the traffic direct, to any
# host of the LAN, overriding the routing table's next hop (the hub).  A
# shortcut is never wider than the requester's own route into the tunnel.
# A spoke without "shortcut" ignores the indication (counted).
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/esp_lib.sh"
. "$(dirname "$0")/nhrp_lib.sh"

require_userland
require_module
require_cmd jq nft

topo_phase1
nhrp_hub redirect=u8:1
# Shortcuts hold for the answering spoke's holdtime: 60 s, longer than the
# checks take on the slowest (debug) kernel.
nhrp_spoke spoke1 "$SPOKE1_NBMA" "$SPOKE1_TUN" shortcut=u8:1 holdtime=u32:60
nhrp_spoke spoke2 "$SPOKE2_NBMA" "$SPOKE2_TUN" shortcut=u8:1 holdtime=u32:60
for r in 1 2; do
	require ip -n "$(ns "spoke$r")" link add lan0 type dummy
	require ip -n "$(ns "spoke$r")" addr add "192.168.1$r.1/24" dev lan0
	require ip -n "$(ns "spoke$r")" link set lan0 up
	require ip -n "$(ns hub)" route add "192.168.1$r.0/24" via "10.1.1.$r"
done
require ip -n "$(ns spoke2)" addr add 192.168.12.2/24 dev lan0
require ip -n "$(ns spoke2)" addr add 192.168.12.130/24 dev lan0
require ip -n "$(ns spoke1)" route add 192.168.12.0/24 via "$HUB_TUN"
require ip -n "$(ns spoke2)" route add 192.168.11.0/24 via "$HUB_TUN"
for r in spoke1 spoke2; do
	check "hub: $r registered" retry 20 output_nonempty nhrp_entry_field hub "10.1.1.${r#spoke}" .nbma_addr
done

run hub nft -f - <<-'NFT' || die "nft refused the hub's counters"
	table inet nhrptest {
		chain c_fwd {
			type filter hook forward priority 0; policy accept;
			icmp type echo-request counter
			icmp type echo-reply counter
		}
	}
NFT
hub_forwarded() {
	run hub nft -j list chain inet nhrptest c_fwd |
		jq '[.nftables[] | .rule? | select(. != null) | .expr[] | .counter? | select(. != null) | .packets] | add // 0'
}
lan_ping() { ping_count spoke1 192.168.12.1 "$1" -I 192.168.11.1 -i 0.2 -W 2; }

check_cmp "LAN to LAN, first pings answered (through the hub)" "$(lan_ping 3)" -eq 3
check_cmp "the hub forwarded them" "$(hub_forwarded)" -ge 2
check_cmp "hub: sent traffic indications" "$(nhrp_stat hub tx_traffic_ind)" -ge 1
check "spoke1: got a traffic indication" retry 5 output_ge 1 nhrp_stat spoke1 rx_traffic_ind
check "spoke1: shortcut for spoke2's LAN 192.168.12.0/24 via spoke2's NBMA" \
	retry 10 output_is "$SPOKE2_NBMA" nhrp_prefix_field spoke1 192.168.12.0 24 .nbma_addr
check_output_matches "spoke1: that entry is a shortcut" '^shortcut$' \
	nhrp_prefix_field spoke1 192.168.12.0 24 .type
check_output_matches "spoke1: ... via spoke2's tunnel address" "^$SPOKE2_TUN\$" \
	nhrp_prefix_field spoke1 192.168.12.0 24 .next_hop
check_output_matches "spoke1: no host entry for 192.168.12.1" '^$' \
	nhrp_entry_field spoke1 192.168.12.1 .type
check_output_matches "show ip nhrp: the network, via spoke2 (IOS format)" \
	"^192\\.168\\.12\\.0/24 via $SPOKE2_TUN\$" run spoke1 "$DMVPNCTL" show ip nhrp
check "spoke1: spoke2 itself learnt as a next hop" \
	retry 10 output_is "$SPOKE2_NBMA" nhrp_entry_field spoke1 "$SPOKE2_TUN" .nbma_addr
check "spoke2: shortcut back to 192.168.11.0/24" \
	retry 10 output_is "$SPOKE1_NBMA" nhrp_prefix_field spoke2 192.168.11.0 24 .nbma_addr
check_cmp "spoke2: answered as the exit (tx_res_reply)" "$(nhrp_stat spoke2 tx_res_reply)" -ge 1
check_cmp "hub: forwarded resolution requests" "$(nhrp_stat hub rx_res_req)" -ge 1
before=$(hub_forwarded)
check_cmp "10 LAN-to-LAN pings over the shortcut" "$(lan_ping 10)" -eq 10
check_cmp "the hub forwarded none of them" "$(($(hub_forwarded) - before))" -eq 0
check_output_matches "the routing table still says: via the hub" "via $HUB_TUN" \
	run spoke1 ip route get 192.168.12.1
# Other hosts of the LAN take the shortcut at once: no new resolution.
res0=$(nhrp_stat spoke1 tx_res_req)
before=$(hub_forwarded)
check_cmp "5 pings to another host of the LAN (192.168.12.2)" \
	"$(ping_count spoke1 192.168.12.2 5 -I 192.168.11.1 -i 0.2 -W 2)" -eq 5
check_cmp "... none through the hub" "$(($(hub_forwarded) - before))" -eq 0
check_cmp "... and no resolution request for it" "$(nhrp_stat spoke1 tx_res_req)" -eq "$res0"

# Without "shortcut" the indication is counted and ignored.
require nhrp_set spoke1 shortcut=u8:0
require esp_ctl spoke1 raw nhrp_flush --dev tun0
d0=$(nhrp_stat spoke1 rx_dropped)
check_cmp "after clear: pings go through the hub again" "$(lan_ping 3)" -eq 3
check "spoke1 (no shortcut): the indication is dropped, counted" \
	retry 5 output_gt "$d0" nhrp_stat spoke1 rx_dropped
check_output_matches "spoke1 (no shortcut): no shortcut entry" '^$' \
	nhrp_prefix_field spoke1 192.168.12.0 24 .type

# A narrower route into the tunnel narrows the shortcut: spoke2 answers
# for its /24, but spoke1 routes 192.168.12.128/25 on its own, so the
# shortcut it keeps for 192.168.12.130 is that /25, and 192.168.12.1
# outside it still goes through the hub until it is resolved in turn.
require nhrp_set spoke1 shortcut=u8:1
require esp_ctl spoke1 raw nhrp_flush --dev tun0
require ip -n "$(ns spoke1)" route add 192.168.12.128/25 via "$HUB_TUN"
check_cmp "pings to 192.168.12.130 answered" \
	"$(ping_count spoke1 192.168.12.130 3 -I 192.168.11.1 -i 0.2 -W 2)" -eq 3
check "spoke1: shortcut 192.168.12.128/25, no wider than its route" \
	retry 10 output_is "$SPOKE2_NBMA" nhrp_prefix_field spoke1 192.168.12.128 25 .nbma_addr
check_output_matches "spoke1: no /24 shortcut from that answer" '^$' \
	nhrp_prefix_field spoke1 192.168.12.0 24 .type
before=$(hub_forwarded)
check_cmp "pings to 192.168.12.1 answered" "$(lan_ping 3)" -eq 3
check_cmp "... through the hub (outside the /25)" "$(($(hub_forwarded) - before))" -ge 1
check "spoke1: then its own shortcut, 192.168.12.0/24" \
	retry 10 output_is "$SPOKE2_NBMA" nhrp_prefix_field spoke1 192.168.12.0 24 .nbma_addr
check_output_matches "spoke1: the /25 is still there (longest match first)" '^shortcut$' \
	nhrp_prefix_field spoke1 192.168.12.128 25 .type

ksft_exit
