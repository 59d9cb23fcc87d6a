#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# dmvpnd keys seed 003's phase 1 through the module: a hub with the
# wildcard key and two spokes, each with dmvpnd on its protected tun0
# (netlink backend: it hands its UDP 4500 socket to the tunnel and
# installs the SAs with DMVPN_CMD_SA_ADD).  Checks:
#  - spoke1's first ping to the hub is held, the module's acquire starts
#    main mode, the SAs go in and the held ping gets its answer (seed
#    003's order: packet -> IKE -> SAs -> packet released);
#  - spoke2 started with -i is keyed without traffic;
#  - spoke1 <-> spoke2 through the hub, counters of the SAs move;
#  - "show crypto ipsec sa" lists dmvpnd's SAs with their reqid;
#  - on-demand DPD on spoke2: no R-U-THERE while idle or while the hub's
#    ESP comes back, one once spoke2 sends and hears nothing;
#  - SIGTERM on spoke1's dmvpnd deletes its SAs, and the hub (told by a
#    delete notification) drops its SAs for spoke1, not spoke2's;
#  - a restarted dmvpnd flushes what an earlier run left behind.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/esp_lib.sh"

require_userland
require_module
DMVPND=$REPO/userland/dmvpnd
[[ -x $DMVPND ]] || die "$DMVPND missing (make -C userland)"
WORK=$(mktemp -d)
defer rm -rf "$WORK"



topo_phase1
defer delete_tunnels hub spoke1 spoke2
protected_tunnel_up hub "$HUB_NBMA" "$HUB_TUN"
protected_tunnel_up spoke1 "$SPOKE1_NBMA" "$SPOKE1_TUN"
protected_tunnel_up spoke2 "$SPOKE2_NBMA" "$SPOKE2_TUN"
require run hub sysctl -qw net.ipv4.ip_forward=1
require run hub sysctl -qw net.ipv4.conf.all.send_redirects=0
require run hub sysctl -qw net.ipv4.conf.tun0.send_redirects=0
nhrp_map hub "$SPOKE1_TUN" "$SPOKE1_NBMA"
nhrp_map hub "$SPOKE2_TUN" "$SPOKE2_NBMA"
nhrp_map spoke1 "$HUB_TUN" "$HUB_NBMA"
nhrp_map spoke2 "$HUB_TUN" "$HUB_NBMA"
require ip -n "$(ns spoke1)" route add "$SPOKE2_TUN/32" via "$HUB_TUN" dev tun0
require ip -n "$(ns spoke2)" route add "$SPOKE1_TUN/32" via "$HUB_TUN" dev tun0

dmvpnd_conf "$WORK/hub.conf" "$HUB_NBMA" "crypto isakmp key cisco123 address 0.0.0.0 0.0.0.0" "esp-aes 256 esp-sha256-hmac"
dmvpnd_conf "$WORK/spoke1.conf" "$SPOKE1_NBMA" "crypto isakmp key cisco123 address $HUB_NBMA" "esp-aes 256 esp-sha256-hmac"
# spoke2: on-demand DPD (IOS's default), debug on to see R-U-THEREs
dmvpnd_conf "$WORK/spoke2.conf" "$SPOKE2_NBMA" "crypto isakmp key cisco123 address $HUB_NBMA
crypto isakmp keepalive 10 2" "esp-aes 256 esp-sha256-hmac"

bg hub "$DMVPND" -c "$WORK/hub.conf" 2>"$WORK/hub.log"
HUB_PID=$BG_PID
bg spoke1 "$DMVPND" -c "$WORK/spoke1.conf" 2>"$WORK/spoke1.log"
S1_PID=$BG_PID
retry 10 grep -q "started" "$WORK/hub.log" || die "hub dmvpnd did not start: $(cat "$WORK/hub.log")"
retry 10 grep -q "started" "$WORK/spoke1.log" || die "spoke1 dmvpnd did not start: $(cat "$WORK/spoke1.log")"
check_output_matches "dmvpnd handed its UDP 4500 socket to tun0" '4500' \
	run hub "$DMVPNCTL" show crypto sockets

# the first packet is held until IKE has keyed the pair
check "spoke1 -> hub: the held ping is answered once IKE is done" \
	run spoke1 ping -c1 -W30 "$HUB_TUN"
check_output_matches "spoke1's dmvpnd started main mode on the module's acquire" \
	'acquire for 172.16.10.1' cat "$WORK/spoke1.log"
check_output_matches "spoke1: phase 1 complete" 'phase 1 complete with 172.16.10.1' \
	cat "$WORK/spoke1.log"
check_cmp "spoke1 has 2 SAs" "$(sa_count spoke1)" -eq 2
check_cmp "hub has 2 SAs" "$(sa_count hub)" -eq 2

bg spoke2 "$DMVPND" -c "$WORK/spoke2.conf" -i "$HUB_NBMA" -v 2>"$WORK/spoke2.log"
S2_PID=$BG_PID
retry 60 sa_count_is spoke2 2 || fail "spoke2 was not keyed by -i"
check "spoke1 -> spoke2 through the hub" run spoke1 ping -c3 -i0.2 -W5 "$SPOKE2_TUN"
check_output_matches "show crypto ipsec sa: dmvpnd's reqid" 'reqid' \
	run hub "$DMVPNCTL" show crypto ipsec sa detail
check_cmp "hub has 4 SAs" "$(sa_count hub)" -eq 4

# On-demand DPD reads the module's SA counters (SA dump): an idle tunnel
# and one that hears back are not probed; sending into silence is.
rut_count() { grep -c "DPD/R_U_THERE sent to $HUB_NBMA" "$WORK/spoke2.log" || true; }
sleep 22
check_cmp "on-demand DPD: 22 s idle, no R-U-THERE" "$(rut_count)" -eq 0
check "spoke2 -> hub, 12 s of pings answered" run spoke2 ping -c12 -i1 -W2 "$HUB_TUN"
check_cmp "on-demand DPD: answered traffic, no R-U-THERE" "$(rut_count)" -eq 0
# spoke2 stops hearing ESP (IKE still passes: the non-ESP marker is 0)
require run spoke2 nft add table inet dpdtest
require run spoke2 nft add chain inet dpdtest in '{ type filter hook input priority 0; }'
require run spoke2 nft add rule inet dpdtest in udp sport 4500 @th,64,32 != 0 drop
run spoke2 ping -c18 -i1 -W1 "$HUB_TUN" >/dev/null 2>&1 || true
check_cmp "on-demand DPD: sending into silence, R-U-THERE sent" "$(rut_count)" -ge 1
check_output_matches "the hub acknowledged (it is alive): no SA deleted" "R_U_THERE_ACK received from $HUB_NBMA" \
	cat "$WORK/spoke2.log"
check_cmp "spoke2 kept its 2 SAs" "$(sa_count spoke2)" -eq 2
require run spoke2 nft delete table inet dpdtest
check "spoke2 -> hub again" run spoke2 ping -c2 -i0.5 -W3 "$HUB_TUN"

# shutdown: spoke1 deletes its SAs and tells the hub
kill -TERM "$S1_PID"
wait "$S1_PID" 2>/dev/null || true
check_cmp "spoke1's SAs are gone after SIGTERM" "$(sa_count spoke1)" -eq 0
retry 10 sa_count_is hub 2 || fail "the hub kept spoke1's SAs after the delete"
check "spoke2 still reaches the hub" run spoke2 ping -c1 -W5 "$HUB_TUN"

# restart: stale SAs are flushed, the pair keys again
kill -KILL "$S2_PID"
wait "$S2_PID" 2>/dev/null || true
check_cmp "SIGKILL leaves spoke2's SAs behind" "$(sa_count spoke2)" -eq 2
bg spoke2 "$DMVPND" -c "$WORK/spoke2.conf" 2>"$WORK/spoke2b.log"
retry 10 grep -q "started" "$WORK/spoke2b.log" || fail "spoke2 dmvpnd did not restart"
check_cmp "a restarted dmvpnd flushed them" "$(sa_count spoke2)" -eq 0
kill "$HUB_PID" 2>/dev/null || true
for f in hub spoke1 spoke2 spoke2b; do
	sed "s/^/$f: /" "$WORK/$f.log"
done
ksft_exit
