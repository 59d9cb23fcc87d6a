#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Seed 003's packet flow on protected tunnels, with the SAs installed by
# hand where the keyer will negotiate them: the spoke's first Registration
# Request finds no SA to the hub, so it is held (never sent in clear) and
# the keyer is asked for SAs (acquire event); once they are installed the
# held request goes out inside ESP-in-UDP, the hub registers the spoke at
# the NBMA endpoint its SA is bound to, and the reply comes back the same
# way.  spoke3 does the same from behind a masquerading NAT.  The
# "internet" router never forwards GRE or NHRP in clear.  Then spoke to
# spoke traffic while the spokes have no SAs to each other: it goes
# through the hub, and direct once the SAs are in.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/esp_lib.sh"
. "$(dirname "$0")/nhrp_lib.sh"

require_userland
require_module
require_cmd jq nft

WORK=$(mktemp -d)
defer rm -rf "$WORK"
topo_phase1
topo_nat_spoke
nft_counters_up inet

defer delete_tunnels hub spoke1 spoke3
protected_tunnel_up hub "$HUB_NBMA" "$HUB_TUN" key 1
attach_socket hub
require nhrp_set hub network_id=u32:1
for r in spoke1 spoke3; do
	if [[ $r == spoke1 ]]; then nbma=$SPOKE1_NBMA addr=$SPOKE1_TUN; else nbma=$SPOKE3_NBMA addr=$SPOKE3_TUN; fi
	protected_tunnel_up "$r" "$nbma" "$addr" key 1
	attach_socket "$r"
done

bg spoke1 "${ESP_CTL[@]}" monitor --timeout 60 --ready "$WORK/ready" >"$WORK/events.log"
retry 10 test -e "$WORK/ready" || die "the event monitor did not start"
for r in spoke1 spoke3; do
	require nhrp_set "$r" network_id=u32:1 holdtime=u32:60 reg_interval=u32:5
	require nhs_add "$r" "$HUB_TUN" "$HUB_NBMA"
done

# ---- before the SAs ---------------------------------------------------------
check "spoke1: registration requests were sent" retry 10 output_ge 1 nhs_field spoke1 "$HUB_TUN" .req_sent
check "spoke1: ... and held, waiting for an SA" retry 5 output_ge 1 peer_field spoke1 "$HUB_NBMA" .held
check "spoke1: the keyer was asked for SAs to the hub" \
	retry 10 grep -q '"sa_acquire".*172\.16\.10\.1' "$WORK/events.log"
check_output_matches "spoke1: NHS is E, no reply yet" '^E$' nhs_field spoke1 "$HUB_TUN" .state
# Retries while IKE runs must not pile up: each replaces the one held.
check "spoke1: registration retried while waiting (3 requests)" \
	retry 15 output_ge 3 nhs_field spoke1 "$HUB_TUN" .req_sent
check_cmp "spoke1: only the newest request is held" "$(peer_field spoke1 "$HUB_NBMA" .held)" -eq 1
check_cmp "hub: nothing registered" "$(nhrp_count hub dynamic)" -eq 0
check_cmp "router: no GRE in clear" "$(nft_packets inet gre)" -eq 0
check_cmp "router: no UDP 4500 either (nothing to send it with)" "$(nft_packets inet udp4500)" -eq 0

# ---- the SAs arrive ------------------------------------------------------------
sa_pair hub "$HUB_NBMA" spoke1 "$SPOKE1_NBMA" aes256gcm16 0x1001 0x2001
check "hub: spoke1 registered (the held request went out)" \
	retry 15 output_is "$SPOKE1_NBMA" nhrp_entry_field hub "$SPOKE1_TUN" .nbma_addr
check "spoke1: NHS state R" retry 10 output_is R nhs_field spoke1 "$HUB_TUN" .state
check_output_matches "hub: spoke1's entry is registered, not behind NAT" '^\["registered","unique"\]$' \
	nhrp_entry_field hub "$SPOKE1_TUN" '.flags | tostring'
check_cmp "spoke1: nothing held any more" "$(peer_field spoke1 "$HUB_NBMA" .held)" -eq 0
check_cmp "hub: the registration came in on SA 0x2001" "$(sa_packets hub in 0x2001)" -ge 1
check_cmp "spoke1: the reply came in on SA 0x1001" "$(sa_packets spoke1 in 0x1001)" -ge 1
# Had the retries been held too, the hub would have answered each and
# all but the newest reply would match no request.
check_cmp "spoke1: no reply that matches no request" "$(nhrp_stat spoke1 rx_dropped)" -eq 0

# spoke3: through the NAT its packets come from 172.16.3.1 (the router
# keeps port 4500 for the only client behind it), which is where the
# hub's SA for it points.
esp_keys aes256gcm16
require sa_add hub in 0x1013 "$NAT3_PUBLIC" aes256gcm16
require sa_add spoke3 out 0x1013 "$HUB_NBMA" aes256gcm16
esp_keys aes256gcm16
require sa_add spoke3 in 0x2013 "$HUB_NBMA" aes256gcm16
require sa_add hub out 0x2013 "$NAT3_PUBLIC" aes256gcm16
check "hub: spoke3 registered at its post-NAT address" \
	retry 15 output_is "$NAT3_PUBLIC" nhrp_entry_field hub "$SPOKE3_TUN" .nbma_addr
check_output_matches "hub: spoke3's entry carries the NAT flag" 'nat' \
	nhrp_entry_field hub "$SPOKE3_TUN" '.flags | join(",")'
check_output_matches "spoke3: the NHS told it its public address" "^$NAT3_PUBLIC\$" \
	nhs_field spoke3 "$HUB_TUN" .nat_addr

check_cmp "5 pings spoke1 -> hub" "$(ping_count spoke1 "$HUB_TUN" 5 -i 0.2 -W 2)" -eq 5
check_cmp "5 pings hub -> spoke3 (through the NAT)" "$(ping_count hub "$SPOKE3_TUN" 5 -i 0.2 -W 2)" -eq 5
check_cmp "router: still no GRE in clear" "$(nft_packets inet gre)" -eq 0
check_cmp "router: no bare ESP" "$(nft_packets inet esp)" -eq 0
check_cmp "router: UDP 4500 carried it all" "$(nft_packets inet udp4500)" -ge 10

# ---- spoke to spoke while the spokes cannot key -----------------------------
# spoke2 joins with SAs to the hub only: between the spokes no SA comes, as
# when a firewall drops their IKE or their keys differ.  spoke1 resolves
# spoke2 through the hub; spoke2 learns spoke1 from the request and its
# reply waits for an SA.  Its answers to spoke1's pings must not: they
# take the hub, and so does everything else until the SA is there.
require run hub sysctl -qw net.ipv4.ip_forward=1
protected_tunnel_up spoke2 "$SPOKE2_NBMA" "$SPOKE2_TUN" key 1
attach_socket spoke2
require nhrp_set spoke2 network_id=u32:1 holdtime=u32:60 reg_interval=u32:5
require nhs_add spoke2 "$HUB_TUN" "$HUB_NBMA"
sa_pair hub "$HUB_NBMA" spoke2 "$SPOKE2_NBMA" aes256gcm16 0x1002 0x2002
check "spoke2: NHS state R" retry 15 output_is R nhs_field spoke2 "$HUB_TUN" .state
check_cmp "20 pings spoke1 -> spoke2, no SA between them: all answered" \
	"$(ping_count spoke1 "$SPOKE2_TUN" 20 -i 0.2 -W 2)" -eq 20
check_output_matches "spoke2: learnt spoke1 from its resolution request" "^$SPOKE1_NBMA\$" \
	nhrp_entry_field spoke2 "$SPOKE1_TUN" .nbma_addr
check_cmp "spoke2: its reply to spoke1 waits for an SA" \
	"$(peer_field spoke2 "$SPOKE1_NBMA" .held)" -ge 1
check_cmp "spoke2: the answers went through the NHS (tx_via_nhs)" \
	"$(estat spoke2 tx_via_nhs)" -ge 15
check_cmp "spoke2: nothing dropped for want of an SA" "$(estat spoke2 tx_no_sa)" -eq 0

# spoke3, behind the NAT, resolves spoke1: the answer comes back through
# the hub, so spoke3 learns spoke1 while no SA joins them.
check_cmp "10 pings spoke3 -> spoke1, no SA between them: all answered" \
	"$(ping_count spoke3 "$SPOKE1_TUN" 10 -i 0.3 -W 2)" -eq 10
check "spoke3: resolved spoke1" \
	retry 10 output_is "$SPOKE1_NBMA" nhrp_entry_field spoke3 "$SPOKE1_TUN" .nbma_addr
check_cmp "5 more pings spoke3 -> spoke1" "$(ping_count spoke3 "$SPOKE1_TUN" 5 -i 0.2 -W 2)" -eq 5
check_cmp "spoke3: those went through the NHS (tx_via_nhs)" "$(estat spoke3 tx_via_nhs)" -ge 5

# The SAs between spoke1 and spoke2 arrive late: spoke2's held reply goes
# out, spoke1 learns spoke2, and the traffic leaves the hub.
sa_pair spoke1 "$SPOKE1_NBMA" spoke2 "$SPOKE2_NBMA" aes256gcm16 0x1012 0x2012
spoke1_resolved_spoke2() {
	nsrun spoke1 ping -n -c1 -W1 "$SPOKE2_TUN" >/dev/null 2>&1 || true
	output_is "$SPOKE2_NBMA" nhrp_entry_field spoke1 "$SPOKE2_TUN" .nbma_addr
}
check "spoke1: resolved spoke2 once the SAs were in" retry 30 spoke1_resolved_spoke2
via_before=$(estat spoke2 tx_via_nhs)
direct_before=$(sa_packets spoke1 out 0x1012)
check_cmp "10 pings spoke1 -> spoke2 over the SAs" "$(ping_count spoke1 "$SPOKE2_TUN" 10 -i 0.2 -W 2)" -eq 10
check_cmp "spoke1: the pings took the direct SA" "$(sa_packets spoke1 out 0x1012)" -ge $((direct_before + 10))
check_cmp "spoke2: no answer took the hub any more" "$(estat spoke2 tx_via_nhs)" -eq "$via_before"
check_cmp "router: still no GRE in clear" "$(nft_packets inet gre)" -eq 0

ksft_exit
