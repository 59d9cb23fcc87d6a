#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# Seed 003, phase 1, a spoke: a multipoint tunnel that knows only the hub
# and reaches the other spokes through it.  IOS equivalent:
#   interface Tunnel0
#    ip address 10.1.1.1 255.255.255.0
#    tunnel source 172.16.1.1
#    tunnel mode gre multipoint
#    tunnel key 42
#    ip nhrp map 10.1.1.254 172.16.10.1
set -eu

# Each setting may come from the environment instead.
TUN=${TUN:-tun0}
NBMA=${NBMA:-172.16.1.1}         # this spoke's underlay address
ADDR=${ADDR:-10.1.1.1/24}        # this spoke's tunnel address
KEY=${KEY:-42}
HUB_TUN=${HUB_TUN:-10.1.1.254}
HUB_NBMA=${HUB_NBMA:-172.16.10.1}
OTHER_SPOKES=${OTHER_SPOKES:-10.1.1.2}   # tunnel addresses of the other spokes

# Loaded already, or from /lib/modules (make install, DKMS).
[ -d /sys/module/dmvpn ] || modprobe dmvpn
ip link add "$TUN" type dmvpn local "$NBMA" key "$KEY"
ip addr add "$ADDR" dev "$TUN"
ip link set "$TUN" up
dmvpnctl nhrp map add dev "$TUN" "$HUB_TUN" "$HUB_NBMA"
# The other spokes are behind the hub: without NHRP resolution (phase 2/3)
# each is routed via the hub's tunnel address (a /32 beats the connected
# /24, whose next hop would be the spoke itself, which has no NHRP entry).
for spoke in $OTHER_SPOKES; do
	ip route replace "$spoke/32" via "$HUB_TUN" dev "$TUN"
done
ping -c 3 -W 2 "$HUB_TUN"
dmvpnctl show dmvpn
