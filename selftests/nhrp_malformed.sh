#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Hostile and heavy NHRP input on the hub, from a registered spoke
# (tools/nhrp_inject.py crafts the packets):
#  - each malformed case (bad checksum, truncated, ar$pktsz and ar$extoff
#    out of range, unknown compulsory extension, hop count 0, unknown
#    version and type, a CIE running off the end) moves rx_malformed by
#    exactly one, creates no entry, and those RFC 2332 answers get an
#    Error Indication back at the sender;
#  - 500 randomly damaged packets: every one is counted somewhere, the
#    hub keeps working;
#  - 1,000 simulated spokes, each from its own NBMA address, register and
#    are all kept;
#  - Resolution Replies relayed towards one of them, and the relay's drops
#    (hop count spent, a loop, an unknown requester), each counted.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/esp_lib.sh"
. "$(dirname "$0")/nhrp_lib.sh"

require_userland
require_module
require_cmd jq

topo_phase1
nhrp_hub holdtime=u32:60
nhrp_spoke spoke1 "$SPOKE1_NBMA" "$SPOKE1_TUN" holdtime=u32:60
check "hub: spoke1 registered" \
	retry 20 output_is "$SPOKE1_NBMA" nhrp_entry_field hub "$SPOKE1_TUN" .nbma_addr

inject() {
	nsrun spoke1 "${NHRP_INJECT[@]}" "$HUB_NBMA" "$1" --key 1 \
		--src-nbma "$SPOKE1_NBMA" --src-proto "$SPOKE1_TUN" --dst-proto "$HUB_TUN" "${@:2}"
}

# rx_total ROLE: every NHRP packet ROLE's tun0 received, by any counter.
rx_total() {
	esp_ctl "$1" dev-get tun0 | jq '.dev.nhrp_stats |
		[.rx_res_req, .rx_res_reply, .rx_reg_req, .rx_reg_reply, .rx_purge_req,
		 .rx_purge_reply, .rx_error_ind, .rx_traffic_ind, .rx_malformed] | add'
}

# case NAME ERROR_INDICATION(yes|no)
malformed_case() {
	local name=$1 errind=$2 m0 e0 n0
	m0=$(nhrp_stat hub rx_malformed)
	e0=$(nhrp_stat spoke1 rx_error_ind)
	n0=$(esp_ctl hub nhrp-dump tun0 | jq length)
	check "$name: sent" inject "$name"
	retry 5 output_gt "$m0" nhrp_stat hub rx_malformed || true
	check_cmp "$name: hub rx_malformed +1" "$(($(nhrp_stat hub rx_malformed) - m0))" -eq 1
	check_cmp "$name: no entry made" "$(esp_ctl hub nhrp-dump tun0 | jq length)" -eq "$n0"
	if [[ "$errind" == yes ]]; then
		check "$name: an Error Indication came back" \
			retry 5 output_gt "$e0" nhrp_stat spoke1 rx_error_ind
	else
		sleep 0.5
		check_cmp "$name: no Error Indication" "$(nhrp_stat spoke1 rx_error_ind)" -eq "$e0"
	fi
}

malformed_case bad-csum no
malformed_case truncated no
malformed_case pktsz-short no
malformed_case pktsz-long no
malformed_case bad-version no
malformed_case extoff-past yes
malformed_case unknown-ext yes
malformed_case hopcnt-zero yes
malformed_case bad-type yes
malformed_case cie-overrun yes

# ---- fuzz --------------------------------------------------------------------
before=$(rx_total hub)
check "500 damaged packets sent" inject fuzz --count 500 --seed 7 --burst 100 --pause 0.2
check "hub: every damaged packet was counted" retry 20 output_ge $((before + 500)) rx_total hub
info "hub NHRP counters after the fuzz: $(esp_ctl hub dev-get tun0 | jq -c .dev.nhrp_stats)"
r0=$(nhs_field spoke1 "$HUB_TUN" .reply_recv)
check "hub still answers spoke1's registrations" \
	retry 10 output_gt "$r0" nhs_field spoke1 "$HUB_TUN" .reply_recv
check_cmp "5 pings spoke1 -> hub" "$(ping_count spoke1 "$HUB_TUN" 5 -i 0.2 -W 2)" -eq 5

# ---- 1,000 spokes --------------------------------------------------------------
require ip -n "$(ns inet)" route add 10.200.0.0/16 via "$SPOKE1_NBMA"
dyn0=$(nhrp_count hub dynamic)
check "1000 registrations from 1000 NBMA addresses sent" \
	nsrun spoke1 "${NHRP_INJECT[@]}" "$HUB_NBMA" valid --key 1 --count 1000 \
	--src-nbma 10.200.0.1 --src-proto 10.100.0.1 --dst-proto "$HUB_TUN" --burst 100 --pause 0.3
check "hub: all 1000 simulated spokes registered" \
	retry 60 output_ge $((dyn0 + 1000)) nhrp_count hub dynamic
check_cmp "hub: NHRP cache holds them" "$(nhrp_count hub dynamic)" -ge $((dyn0 + 1000))
check_output_matches "hub: the 1000th, 10.100.3.232, is at 10.200.3.232" '^10\.200\.3\.232$' \
	nhrp_entry_field hub 10.100.3.232 .nbma_addr
check_cmp "hub: peer count follows" "$(esp_ctl hub dev-get tun0 | jq .dev.peer_count)" -ge 1001
check_cmp "hub: rx dropped none of them" "$(nhrp_stat hub rx_dropped)" -eq 0

# ---- Resolution Replies the hub relays ------------------------------------------
# A responder answers a requester behind NAT through the NHS (nhrp.c,
# dmvpn_nhrp_relay_res_reply).  Here spoke1 plays the responder and the
# simulated spoke 10.100.0.5 (at 10.200.0.5) the requester: the hub relays
# a well-formed reply, and drops, counting, one whose hop count is spent,
# one that already passed through it, and one for a requester it does
# not know.
# relay_case NAME STAT DELTA_TX [nhrp_inject options...]
relay_case() {
	local name=$1 stat=$2 tx=$3 s0 t0 r0
	shift 3
	s0=$(nhrp_stat hub "$stat")
	t0=$(nhrp_stat hub tx_res_reply)
	r0=$(nhrp_stat hub rx_res_reply)
	check "$name: sent" nsrun spoke1 "${NHRP_INJECT[@]}" "$HUB_NBMA" res-reply --key 1 \
		--dst-proto 10.1.1.99 --responder-nbma "$SPOKE1_NBMA" "$@"
	check "$name: hub received it" retry 5 output_gt "$r0" nhrp_stat hub rx_res_reply
	sleep 0.3
	check_cmp "$name: hub $stat +1" "$(($(nhrp_stat hub "$stat") - s0))" -eq 1
	check_cmp "$name: hub sent $tx reply on" "$(($(nhrp_stat hub tx_res_reply) - t0))" -eq "$tx"
}
relay_case "reply for a known requester" rx_res_reply 1 \
	--src-nbma 10.200.0.5 --src-proto 10.100.0.5
relay_case "reply with hop count 1" rx_dropped 0 \
	--src-nbma 10.200.0.5 --src-proto 10.100.0.5 --hopcnt 1
relay_case "reply with the hub in its Reverse Transit record" rx_loop 0 \
	--src-nbma 10.200.0.5 --src-proto 10.100.0.5 --rev-transit "$HUB_TUN"
relay_case "reply for a requester the hub does not know" rx_dropped 0 \
	--src-nbma 10.200.77.77 --src-proto 10.100.77.77
check_cmp "hub: none of them made an entry" \
	"$(esp_ctl hub nhrp-dump tun0 | jq '[.[] | select(.nhrp.proto_addr == "10.1.1.99" or .nhrp.proto_addr == "10.100.77.77")] | length')" -eq 0

ksft_exit
