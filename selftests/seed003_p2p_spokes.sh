#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Seed 003 as configured there: a multipoint hub ("tunnel mode gre
# multipoint", "no ip redirects", "ip mtu 1400") and spokes with
# point-to-point tunnels ("tunnel destination 172.16.10.1"), all with
# "tunnel key 1".  Phase 1 has no spoke-to-spoke tunnels: spoke traffic
# for another spoke goes through the hub, which sends it back out of the
# same tunnel.  Also changes a spoke's key with "ip link set" and back.
. "$(dirname "$0")/lib.sh"

require_userland
require_module

topo_phase1

spoke_p2p() {
	local role=$1 nbma=$2 addr=$3
	require ip -n "$(ns "$role")" link add tun0 type dmvpn local "$nbma" \
		remote "$HUB_NBMA" key 1
	require ip -n "$(ns "$role")" link set tun0 mtu 1400
	require ip -n "$(ns "$role")" addr add "$addr/$TUN_PREFIX" dev tun0
	require ip -n "$(ns "$role")" link set tun0 up
	nhrp_map "$role" "$HUB_TUN" "$HUB_NBMA"
}

tunnel_up hub "$HUB_NBMA" "$HUB_TUN" key 1
require ip -n "$(ns hub)" link set tun0 mtu 1400
require run hub sysctl -qw net.ipv4.ip_forward=1
require run hub sysctl -qw net.ipv4.conf.tun0.send_redirects=0
require run hub sysctl -qw net.ipv4.conf.all.send_redirects=0
nhrp_map hub "$SPOKE1_TUN" "$SPOKE1_NBMA"
nhrp_map hub "$SPOKE2_TUN" "$SPOKE2_NBMA"
spoke_p2p spoke1 "$SPOKE1_NBMA" "$SPOKE1_TUN"
spoke_p2p spoke2 "$SPOKE2_NBMA" "$SPOKE2_TUN"

check_output_matches "spoke tunnel is point-to-point" 'POINTOPOINT' \
	ip -n "$(ns spoke1)" link show tun0
check_output_matches "ip -d shows remote and key" 'remote 172\.16\.10\.1.*key 1|key 1.*remote 172\.16\.10\.1' \
	ip -n "$(ns spoke1)" -d link show tun0
check_output_matches "hub tunnel is multipoint (no POINTOPOINT flag)" '<BROADCAST,MULTICAST,NOARP' \
	ip -n "$(ns hub)" link show tun0

retry 15 run spoke1 ping -c1 -W1 "$HUB_TUN" || true
check "spoke1 -> hub" run spoke1 ping -c3 -i0.2 -W2 "$HUB_TUN"
check "spoke2 -> hub" run spoke2 ping -c3 -i0.2 -W2 "$HUB_TUN"

hub_rx=$(link_stat hub tun0 rx_packets)
hub_tx=$(link_stat hub tun0 tx_packets)
check "spoke1 -> spoke2 through the hub" run spoke1 ping -c5 -i0.2 -W2 "$SPOKE2_TUN"
# Each echo and each reply crosses the hub: in on tun0 and out on tun0.
check_cmp "hub forwarded the requests (rx)" "$(($(link_stat hub tun0 rx_packets) - hub_rx))" -ge 10
check_cmp "hub forwarded the replies (tx)" "$(($(link_stat hub tun0 tx_packets) - hub_tx))" -ge 10

# A key change on one side cuts that spoke off; the hub counts why.
before=$(ethtool_stat hub tun0 rx_key_mismatch)
check "ip link set ... key 2 on spoke1" ip -n "$(ns spoke1)" link set tun0 type dmvpn key 2
check_output_matches "spoke1 now shows key 2" 'key 2' ip -n "$(ns spoke1)" -d link show tun0
check_fails "spoke1 -> hub fails with mismatched keys" run spoke1 ping -c2 -i0.2 -W1 "$HUB_TUN"
check_cmp "hub counted rx_key_mismatch" "$(ethtool_stat hub tun0 rx_key_mismatch)" -ge $((before + 2))
check "ip link set ... key 1 restores" ip -n "$(ns spoke1)" link set tun0 type dmvpn key 1
check "spoke1 -> hub works again" retry 10 run spoke1 ping -c1 -W1 "$HUB_TUN"

# An MTU set by hand survives a parameter change.
check_output_matches "hand-set MTU 1400 kept after ip link set" 'mtu 1400' \
	ip -n "$(ns spoke1)" link show tun0

ksft_exit
