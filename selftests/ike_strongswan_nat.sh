#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# dmvpnd <-> strongSwan through a NAT, with traffic through the module:
# the hub is the module's protected tun0 keyed by dmvpnd (wildcard key);
# spoke3 sits behind a masquerading router and is Linux's own stack, a
# point-to-point ip_gre tunnel protected by xfrm and keyed by charon
# (IKEv1 main mode, PSK, transport, [gre] selectors), with encap = no:
# NAT-D finds the router, nothing is forced.  The hub maps spoke3's tunnel
# address to the router's public address.
#  - charon's trap policy catches spoke3's first GRE packet (xfrm drops
#    that one) and charon initiates; both ends see the NAT (charon: "local host is behind
#    NAT"; dmvpnd: "the peer is behind a NAT"), float to UDP 4500;
#  - the module's pair and spoke3's xfrm states have the same SPIs, the
#    xfrm states are UDP-encapsulated;
#  - PINGS pings each way over the GRE tunnel, every one answered, the
#    module's SAs counting them;
#  - the hub's ISAKMP SA is with the public address, NAT-T; its SAs point
#    at the public address;
#  - neither router carries GRE in clear or bare ESP.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/esp_lib.sh"
. "$(dirname "$0")/nhrp_lib.sh"
. "$(dirname "$0")/swan_lib.sh"

require_userland
require_module
require_cmd jq nft
DMVPND=$REPO/userland/dmvpnd
[[ -x $DMVPND ]] || die "$DMVPND missing (make -C userland)"
swan_require

WORK=$(mktemp -d)
defer rm -rf "$WORK"
SW=$WORK/swan
SWAN_ROLE=spoke3
mkdir -p "$WORK/run"
export DMVPN_RUN_DIR=$WORK/run
PSK=swan-nat-psk
PINGS=10

# ---- topology --------------------------------------------------------------

topo_phase1
topo_nat_spoke
nft_counters_up inet
nft_counters_up nat3

swan_gre_spoke "$SPOKE3_NBMA" "$SPOKE3_TUN"
defer delete_tunnels hub
protected_tunnel_up hub "$HUB_NBMA" "$HUB_TUN"
# spoke3 is the only client behind its router, which keeps port 4500 for
# it: the map needs no port.
nhrp_map hub "$SPOKE3_TUN" "$NAT3_PUBLIC"

# ---- dmvpnd on the hub -----------------------------------------------------

dmvpnd_conf "$WORK/hub.conf" "$HUB_NBMA" "crypto isakmp key $PSK address 0.0.0.0 0.0.0.0" \
	"esp-aes 256 esp-sha256-hmac"
bg hub "$DMVPND" -v -c "$WORK/hub.conf" 2>"$WORK/hub.log"
retry 10 grep -q "started" "$WORK/hub.log" || die "dmvpnd did not start: $(cat "$WORK/hub.log")"

# ---- charon on spoke3 ------------------------------------------------------

swan_conf
cat >"$SW/swanctl.conf" <<EOF
connections {
	hub {
		version = 1
		aggressive = no
		local_addrs = $SPOKE3_NBMA
		remote_addrs = $HUB_NBMA
		proposals = aes256-sha256-modp2048
		encap = no
		local {
			auth = psk
			id = $SPOKE3_NBMA
		}
		remote {
			auth = psk
			id = $HUB_NBMA
		}
		children {
			gre {
				mode = transport
				local_ts = dynamic[gre]
				remote_ts = $HUB_NBMA/32[gre]
				esp_proposals = aes256-sha256
				start_action = trap
			}
		}
	}
}
secrets {
	ike-hub {
		id-a = $SPOKE3_NBMA
		id-b = $HUB_NBMA
		secret = $PSK
	}
}
EOF
charon_start

report() {
	sed 's/^/hub: /' "$WORK/hub.log"
	swan_logs
}
defer report

# ---- charon initiates through the NAT ----------------------------------------

# xfrm drops the packet its trap policy caught (net.core.xfrm_larval_drop):
# the next pings get through once charon is done
check "spoke3's ping starts charon, and pings get through once keyed" \
	retry 40 run spoke3 ping -c1 -W2 "$HUB_TUN"
check_output_matches "charon: NAT detected on its side" 'local host is behind NAT' \
	cat "$SW/charon.log"
check_output_matches "dmvpnd: NAT-D says the peer is behind a NAT" \
	"NAT-D: .*the peer is behind a NAT" cat "$WORK/hub.log"
check_output_matches "dmvpnd: phase 1 with the public address, NAT-T" \
	"phase 1 complete with $NAT3_PUBLIC: .* NAT-T" cat "$WORK/hub.log"
isakmp_field() {
	nsrun hub "$DMVPNCTL" -j show crypto isakmp sa | jq -r --arg p "$NAT3_PUBLIC" \
		"[.[] | select(.peer_addr == \$p and .state == \"QM_IDLE\")][0] | $1 // empty"
}
check_output_matches "hub: ISAKMP SA with $NAT3_PUBLIC, NAT-T, one IPsec pair" '^true 1$' \
	isakmp_field '"\(.nat_t) \(.ipsec_sa_pairs)"'

hub_spis() {
	nsrun hub "$DMVPNCTL" -j show crypto ipsec sa dev tun0 | jq -r --arg p "$NAT3_PUBLIC" '
		.[] | select(.peer_addr == $p) | (.inbound_esp_sas[] | "in \(.spi)"),
		(.outbound_esp_sas[] | "out \(.spi)")' | sort
}
# spoke3's UDP-encapsulated xfrm states: "out SPI" towards the hub, "in
# SPI" from it (SPI in decimal, as the hub's JSON has it)
spoke_spis() {
	nsrun spoke3 ip -s xfrm state | awk -v hub="$HUB_NBMA" '
		$1 == "src" { dir = ($4 == hub) ? "out" : "in" }
		$1 == "proto" && $2 == "esp" { spi = $4; sub(/^[^(]*\(/, "", spi); sub(/\).*/, "", spi) }
		$1 == "encap" && $3 == "espinudp" { print dir, spi }' | sort
}
check_cmp "hub: one pair with the public address" "$(hub_spis | wc -l)" -eq 2
check_cmp "spoke3: two UDP-encapsulated xfrm states" "$(spoke_spis | wc -l)" -eq 2
# the hub's inbound SPI is spoke3's outbound, and back
mirrored=$(hub_spis | awk '{ print ($1 == "in" ? "out" : "in"), $2 }' | sort)
info "hub: $(hub_spis | tr '\n' ' '); spoke3: $(spoke_spis | tr '\n' ' ')"
check "the SPIs agree (hub in = spoke3 out, hub out = spoke3 in)" \
	test -n "$mirrored" -a "$mirrored" = "$(spoke_spis)"

# ---- traffic both ways -----------------------------------------------------

sa_in_pkts() {
	nsrun hub "$DMVPNCTL" -j show crypto ipsec sa dev tun0 | jq -r --arg p "$NAT3_PUBLIC" \
		'[.[] | select(.peer_addr == $p) | .inbound_esp_sas[] | .stats.packets // 0] | add // 0'
}
before=$(sa_in_pkts)
check_cmp "$PINGS pings spoke3 -> hub through the NAT" \
	"$(ping_count spoke3 "$HUB_TUN" "$PINGS" -i 0.2 -W 3)" -eq "$PINGS"
check_cmp "hub: its inbound SA counted them" "$(($(sa_in_pkts) - before))" -ge "$PINGS"
check_cmp "$PINGS pings hub -> spoke3 through the NAT" \
	"$(ping_count hub "$SPOKE3_TUN" "$PINGS" -i 0.2 -W 3)" -eq "$PINGS"

# ---- the wire ----------------------------------------------------------------

for router in inet nat3; do
	check_cmp "$router: no GRE in clear" "$(nft_packets "$router" gre)" -eq 0
	check_cmp "$router: no bare ESP" "$(nft_packets "$router" esp)" -eq 0
	check_cmp "$router: UDP 4500 carried the traffic" "$(nft_packets "$router" udp4500)" -ge $((2 * PINGS))
done
ksft_exit
