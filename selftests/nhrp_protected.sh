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
# "internet" router never forwards GRE or NHRP in clear.
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

ksft_exit
