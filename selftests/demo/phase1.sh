#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# "make demo": seed 003's phase-1 DMVPN cloud, run inside the QEMU guest by
# selftests/vm/demo.sh.  A hub and two spokes with static NHRP maps over
# plain GRE; pings from both spokes to the hub and spoke1 -> spoke2, then
# the hub's view of the cloud.  Exits 0 only if every ping worked.
. "$(dirname "$0")/../lib.sh"

require_userland
require_module

banner() { printf '\n===== %s\n' "$*"; }

# shown CMD...: print the command, then run it (output shown as is).
shown() {
	printf '$ %s\n' "$*"
	"$@"
}

banner "underlay: inet router, hub $HUB_NBMA, spoke1 $SPOKE1_NBMA, spoke2 $SPOKE2_NBMA"
topo_phase1
echo "underlay up: spokes reach the hub's NBMA address through inet"

banner "tunnels: hub $HUB_TUN, spoke1 $SPOKE1_TUN, spoke2 $SPOKE2_TUN (key 1003)"
phase1_tunnels key 1003
echo "static maps: hub -> both spokes; each spoke -> hub and the other spoke"

# The first packet can race the tunnel coming up.
retry 10 run spoke1 ping -c1 -W1 "$HUB_TUN" || true
retry 10 run spoke2 ping -c1 -W1 "$HUB_TUN" || true

banner "pings"
pings_ok=1
for pair in "spoke1 $HUB_TUN" "spoke2 $HUB_TUN" "spoke1 $SPOKE2_TUN"; do
	read -r from to <<<"$pair"
	echo "[$from] \$ ping -c 3 $to"
	if ! run "$from" ping -c3 -i0.3 -W2 "$to"; then
		echo "!! ping from $from to $to FAILED"
		pings_ok=0
	fi
done

banner "hub: dmvpnctl show dmvpn"
run hub "$DMVPNCTL" show dmvpn || true
banner "hub: dmvpnctl show ip nhrp"
run hub "$DMVPNCTL" show ip nhrp || true
banner "hub: ip -d -s link show tun0"
run hub ip -d -s link show tun0 || true
banner "spoke1: dmvpnctl show ip nhrp"
run spoke1 "$DMVPNCTL" show ip nhrp || true

if ((pings_ok)); then
	banner "demo OK: every ping answered"
	exit 0
fi
banner "demo FAILED: some pings got no answer"
exit 1
