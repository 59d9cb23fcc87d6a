#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# IPv6 inside the tunnel over an IPv4 NBMA network: static NHRP maps from
# IPv6 tunnel addresses to IPv4 NBMA addresses, pings both ways and TCP.
. "$(dirname "$0")/lib.sh"

require_userland
require_module

topo_phase1
phase1_tunnels key 7

HUB6=fd00:1::254
S1_6=fd00:1::1
S2_6=fd00:1::2
require ip -n "$(ns hub)" addr add "$HUB6/64" dev tun0 nodad
require ip -n "$(ns spoke1)" addr add "$S1_6/64" dev tun0 nodad
require ip -n "$(ns spoke2)" addr add "$S2_6/64" dev tun0 nodad
nhrp_map hub "$S1_6" "$SPOKE1_NBMA"
nhrp_map hub "$S2_6" "$SPOKE2_NBMA"
nhrp_map spoke1 "$HUB6" "$HUB_NBMA"
nhrp_map spoke1 "$S2_6" "$SPOKE2_NBMA"
nhrp_map spoke2 "$HUB6" "$HUB_NBMA"
nhrp_map spoke2 "$S1_6" "$SPOKE1_NBMA"

retry 15 run spoke1 ping -6 -c1 -W1 "$HUB6" || true
check "spoke1 -> hub over IPv6" run spoke1 ping -6 -c3 -i0.2 -W2 "$HUB6"
check "hub -> spoke2 over IPv6" run hub ping -6 -c3 -i0.2 -W2 "$S2_6"
check "spoke1 -> spoke2 over IPv6" run spoke1 ping -6 -c3 -i0.2 -W2 "$S2_6"
check "IPv6 1300-byte payload" run spoke2 ping -6 -c2 -W2 -s 1300 "$S1_6"
check_output_matches "show ip nhrp lists an IPv6 entry" 'fd00:1::1' \
	run hub "$DMVPNCTL" show ip nhrp
check_output_matches "JSON lists the IPv6 entry with its IPv4 NBMA" \
	'fd00:1::2.*172\.16\.2\.1|172\.16\.2\.1.*fd00:1::2' run hub "$DMVPNCTL" -j show ip nhrp

# Both families side by side keep working.
check "IPv4 still works next to IPv6" run spoke1 ping -c2 -W2 "$HUB_TUN"

ksft_exit
