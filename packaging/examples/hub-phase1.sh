#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# Seed 003, phase 1, the hub: a multipoint tunnel whose NHRP cache maps
# each spoke's tunnel address to its NBMA (Internet) address by hand.
# IOS equivalent:
#   interface Tunnel0
#    ip address 10.1.1.254 255.255.255.0
#    tunnel source 172.16.10.1
#    tunnel mode gre multipoint
#    tunnel key 42
#    ip nhrp map 10.1.1.1 172.16.1.1
#    ip nhrp map 10.1.1.2 172.16.2.1
set -eu

# Each setting may come from the environment instead.
TUN=${TUN:-tun0}
NBMA=${NBMA:-172.16.10.1}        # this hub's underlay address
ADDR=${ADDR:-10.1.1.254/24}      # this hub's tunnel address
KEY=${KEY:-42}

# Loaded already, or from /lib/modules (make install, DKMS).
[ -d /sys/module/dmvpn ] || modprobe dmvpn
ip link add "$TUN" type dmvpn local "$NBMA" key "$KEY"
ip addr add "$ADDR" dev "$TUN"
ip link set "$TUN" up
# spoke tunnel address -> spoke NBMA address
dmvpnctl nhrp map add dev "$TUN" 10.1.1.1 172.16.1.1
dmvpnctl nhrp map add dev "$TUN" 10.1.1.2 172.16.2.1
# Spoke-to-spoke traffic goes through the hub in phase 1: forward it back
# out of the tunnel, without ICMP redirects to the spokes.
sysctl -qw net.ipv4.ip_forward=1
sysctl -qw net.ipv4.conf.all.send_redirects=0
sysctl -qw "net.ipv4.conf.$TUN.send_redirects=0"
dmvpnctl show dmvpn
