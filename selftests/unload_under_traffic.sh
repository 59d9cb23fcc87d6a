#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Tear-down while packets flow: delete a namespace holding a busy tunnel,
# then rmmod dmvpn with iperf3 and ping floods still running through the
# other tunnels.  Both must complete; the runner fails the test if dmesg
# shows a warning, a lockdep report, a KASAN report or a leak.  Finally
# the module is loaded again and must work.
. "$(dirname "$0")/lib.sh"

require_userland
require_module
require_cmd iperf3 ping
[[ -f "$DMVPN_MODULE" ]] || die "DMVPN_MODULE ($DMVPN_MODULE) is not a file; the runner sets it"

topo_phase1
phase1_tunnels key 7
retry 15 run spoke1 ping -c1 -W1 "$HUB_TUN" || true
require run spoke1 ping -c2 -W2 "$HUB_TUN"
require run spoke2 ping -c2 -W2 "$SPOKE1_TUN"

# Traffic in every direction: TCP spoke1 -> hub, floods spoke2 -> hub,
# spoke1 -> spoke2 and hub -> spoke1.  Their exit status does not matter:
# the tunnels vanish under them.
bg hub iperf3 -s -1 -B "$HUB_TUN" -p 5201 >/dev/null 2>&1
retry 10 run hub sh -c "ss -Hltn 'sport = :5201' | grep -q ." || info "iperf3 server not listening yet"
bg spoke1 iperf3 -c "$HUB_TUN" -p 5201 -t 120 >/dev/null 2>&1
bg spoke2 ping -f -q "$HUB_TUN" >/dev/null 2>&1
bg spoke1 ping -f -q "$SPOKE2_TUN" >/dev/null 2>&1
bg hub ping -f -q "$SPOKE1_TUN" >/dev/null 2>&1
sleep 3

before=$(link_stat hub tun0 rx_packets)
sleep 2
after=$(link_stat hub tun0 rx_packets)
check_cmp "traffic is flowing through the hub" "$after" -gt "$before"

# 1. A namespace with a busy tunnel goes away: kill what runs in it (a
#    process would keep it alive) and delete it while the others keep
#    sending to it.
spoke2=$(ns spoke2)
for pid in $(ip netns pids "$spoke2"); do kill -9 "$pid" 2>/dev/null || true; done
check "ip netns del spoke2 under traffic" ip netns del "$spoke2"
sleep 2

# 2. rmmod with the remaining tunnels busy.
before=$(link_stat hub tun0 rx_packets)
sleep 1
after=$(link_stat hub tun0 rx_packets)
check_cmp "spoke1 -> hub traffic still flows before rmmod" "$after" -gt "$before"
start=$SECONDS
check "rmmod dmvpn under traffic" rmmod dmvpn
info "rmmod took $((SECONDS - start))s"
check "module is gone" test ! -d /sys/module/dmvpn
check "hub tun0 went with the module" bash -c "! ip -n $(ns hub) link show tun0"
check "spoke1 tun0 went with the module" bash -c "! ip -n $(ns spoke1) link show tun0"
# Senders now see errors; the underlay must still be fine.
check "underlay still works" run spoke1 ping -c1 -W2 "$HUB_NBMA"

# 3. Load it again; a fresh hub/spoke1 pair must pass traffic.
check "insmod dmvpn again" insmod "$DMVPN_MODULE"
if [[ -d /sys/module/dmvpn ]]; then
	tunnel_up hub "$HUB_NBMA" "$HUB_TUN" key 7
	tunnel_up spoke1 "$SPOKE1_NBMA" "$SPOKE1_TUN" key 7
	nhrp_map hub "$SPOKE1_TUN" "$SPOKE1_NBMA"
	nhrp_map spoke1 "$HUB_TUN" "$HUB_NBMA"
	retry 15 run spoke1 ping -c1 -W1 "$HUB_TUN" || true
	check "tunnel works after reload" run spoke1 ping -c3 -i0.2 -W2 "$HUB_TUN"
fi
ksft_exit
