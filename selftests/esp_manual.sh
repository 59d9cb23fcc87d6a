#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Seed 003 phase 1 with tunnel protection and manual keying: a hub and two
# spokes on "protect" tunnels, each with its UDP 4500 socket and SAs
# (aes256gcm16) added by hand.  Spokes map only the hub and reach each
# other through it.  Checks:
#  - pings hub<->spokes and spoke<->spoke (via the hub), 1 MB over TCP
#    three ways with SHA-256 compared;
#  - the router between the sites forwarded no GRE (IP protocol 47) and
#    no bare ESP, only UDP 4500;
#  - N pings move the packet counters of the four SAs involved by exactly
#    N, and no drop counter;
#  - every one of the 13 suites carries traffic after re-keying the
#    hub<->spoke1 pair with it; null works only with allow-insecure.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/esp_lib.sh"

require_userland
require_module
require_cmd socat jq sha256sum ethtool

# Inbound SPIs, chosen by the receiver.
SPI_HUB_FROM_S1=0x1001 SPI_HUB_FROM_S2=0x1002
SPI_S1_FROM_HUB=0x2001 SPI_S2_FROM_HUB=0x3001

topo_phase1
nft_counters_up inet
defer delete_tunnels hub spoke1 spoke2

protected_tunnel_up hub "$HUB_NBMA" "$HUB_TUN"
protected_tunnel_up spoke1 "$SPOKE1_NBMA" "$SPOKE1_TUN"
protected_tunnel_up spoke2 "$SPOKE2_NBMA" "$SPOKE2_TUN"
# Phase 1: the hub forwards spoke-to-spoke traffic back out of tun0.
require run hub sysctl -qw net.ipv4.ip_forward=1
require run hub sysctl -qw net.ipv4.conf.all.send_redirects=0
require run hub sysctl -qw net.ipv4.conf.tun0.send_redirects=0
nhrp_map hub "$SPOKE1_TUN" "$SPOKE1_NBMA"
nhrp_map hub "$SPOKE2_TUN" "$SPOKE2_NBMA"
nhrp_map spoke1 "$HUB_TUN" "$HUB_NBMA"
nhrp_map spoke2 "$HUB_TUN" "$HUB_NBMA"
require ip -n "$(ns spoke1)" route add "$SPOKE2_TUN/32" via "$HUB_TUN" dev tun0
require ip -n "$(ns spoke2)" route add "$SPOKE1_TUN/32" via "$HUB_TUN" dev tun0

check_output_matches "ip -d link shows the tunnel protected" 'protect' \
	ip -n "$(ns hub)" -d link show tun0
check_output_matches "DEV_GET: PROTECT=1" '"protect": 1' esp_ctl hub dev-get tun0

for role in hub spoke1 spoke2; do
	attach_socket "$role"
done
check_output_matches "DEV_GET: the socket is on port 4500" '"sock_port": 4500' \
	esp_ctl hub dev-get tun0
check_output_matches "show crypto sockets lists tun0's socket" '4500' \
	run hub "$DMVPNCTL" show crypto sockets

sa_pair spoke1 "$SPOKE1_NBMA" hub "$HUB_NBMA" "$ESP_ALG" "$SPI_HUB_FROM_S1" "$SPI_S1_FROM_HUB"
sa_pair spoke2 "$SPOKE2_NBMA" hub "$HUB_NBMA" "$ESP_ALG" "$SPI_HUB_FROM_S2" "$SPI_S2_FROM_HUB"
check_cmp "hub has 4 SAs" "$(sa_count hub)" -eq 4
check_cmp "spoke1 has 2 SAs" "$(sa_count spoke1)" -eq 2
check_output_matches "show crypto ipsec sa names the spoke1 SPIs" 'spi: 0x0*1001' \
	run hub "$DMVPNCTL" show crypto ipsec sa dev tun0
check_output_matches "show crypto session: UP-NO-IKE" 'UP-NO-IKE' \
	run hub "$DMVPNCTL" show crypto session

hub_before=$(estats_snapshot hub)
s1_before=$(estats_snapshot spoke1)

retry 15 run spoke1 ping -c1 -W1 "$HUB_TUN" || true
retry 15 run spoke2 ping -c1 -W1 "$HUB_TUN" || true
check "spoke1 -> hub" run spoke1 ping -c3 -i0.2 -W2 "$HUB_TUN"
check "spoke2 -> hub" run spoke2 ping -c3 -i0.2 -W2 "$HUB_TUN"
check "hub -> spoke1" run hub ping -c3 -i0.2 -W2 "$SPOKE1_TUN"
check "hub -> spoke2" run hub ping -c3 -i0.2 -W2 "$SPOKE2_TUN"
check "spoke1 -> spoke2 via the hub" run spoke1 ping -c3 -i0.2 -W2 "$SPOKE2_TUN"
check "spoke2 -> spoke1 via the hub" run spoke2 ping -c3 -i0.2 -W2 "$SPOKE1_TUN"
check "spoke1 -> hub, 1400-byte payload" run spoke1 ping -c2 -W2 -s 1400 "$HUB_TUN"
check "spoke1 -> hub, 3000-byte payload (fragmented)" run spoke1 ping -c2 -W3 -s 3000 "$HUB_TUN"

info "phase at ${SECONDS}s"
esp_data_make
replays() {
	info "replays so far: hub $(estat hub rx_replay), spoke1 $(estat spoke1 rx_replay), spoke2 $(estat spoke2 rx_replay)"
}
replays
check "1 MB TCP spoke1 -> hub, sha256 matches" tcp_copy spoke1 hub "$HUB_TUN" 5001
replays
check "1 MB TCP hub -> spoke1, sha256 matches" tcp_copy hub spoke1 "$SPOKE1_TUN" 5002
replays
check "1 MB TCP spoke1 -> spoke2 via the hub, sha256 matches" \
	tcp_copy spoke1 spoke2 "$SPOKE2_TUN" 5003
replays

info "phase at ${SECONDS}s"
# Cleartext never crossed the router.
check_cmp "router: no GRE (IP protocol 47) forwarded" "$(nft_packets inet gre)" -eq 0
check_cmp "router: no bare ESP (IP protocol 50) forwarded" "$(nft_packets inet esp)" -eq 0
check_cmp "router: ESP-in-UDP 4500 forwarded (> 1 MB worth)" "$(nft_packets inet udp4500)" -gt 700
check_cmp "router: nothing else forwarded" "$(nft_packets inet other)" -eq 0
check_estats_delta "hub: no drop counter moved" hub "$hub_before" ""
check_estats_delta "spoke1: no drop counter moved" spoke1 "$s1_before" ""
for role in hub spoke1 spoke2; do
	sa_json "$role" | jq -r --arg r "$role" '.[] | .sa
		| select([.stats | to_entries[] | select(.key != "packets" and .key != "bytes") | .value] | add > 0)
		| "INFO: \($r) SA \(.dir) \(.spi): \(.stats)"'
done

# Counter accuracy: N echo requests and N replies, one SA each way per hop.
N=7
s1_out=$(sa_packets spoke1 out "$SPI_HUB_FROM_S1")
hub_in=$(sa_packets hub in "$SPI_HUB_FROM_S1")
hub_out=$(sa_packets hub out "$SPI_S1_FROM_HUB")
s1_in=$(sa_packets spoke1 in "$SPI_S1_FROM_HUB")
nft_reset inet
check_cmp "$N pings spoke1 -> hub all answered" "$(ping_count spoke1 "$HUB_TUN" "$N" -i 0.2 -W 2)" -eq "$N"
check_cmp "spoke1 out SA: exactly $N packets more" "$(($(sa_packets spoke1 out "$SPI_HUB_FROM_S1") - s1_out))" -eq "$N"
check_cmp "hub in SA: exactly $N packets more" "$(($(sa_packets hub in "$SPI_HUB_FROM_S1") - hub_in))" -eq "$N"
check_cmp "hub out SA: exactly $N packets more" "$(($(sa_packets hub out "$SPI_S1_FROM_HUB") - hub_out))" -eq "$N"
check_cmp "spoke1 in SA: exactly $N packets more" "$(($(sa_packets spoke1 in "$SPI_S1_FROM_HUB") - s1_in))" -eq "$N"
check_cmp "router: exactly $((2 * N)) UDP 4500 packets for $N pings" \
	"$(nft_packets inet udp4500)" -eq $((2 * N))
check_cmp "spoke1 out SA sequence number = its packet count" \
	"$(sa_field spoke1 out "$SPI_HUB_FROM_S1" .seq)" -eq "$(sa_packets spoke1 out "$SPI_HUB_FROM_S1")"
check_output_matches "dmvpnctl -j show crypto ipsec sa agrees on spoke1's out SA" \
	"\"pkts_encaps\": ?$(sa_packets spoke1 out "$SPI_HUB_FROM_S1")[,}]" \
	run spoke1 "$DMVPNCTL" -j show crypto ipsec sa dev tun0

info "phase at ${SECONDS}s"
# Every suite: re-key the hub<->spoke1 pair with it and ping.
algs=("${ESP_ALGS[@]}" null)
# The debug kernel (KASAN, lockdep, kmemleak) runs about four times
# slower: there one suite of each construction (GCM, CBC+HMAC, 3DES,
# ChaCha20, NULL) covers the code paths, within CI's time; the stock
# kernels' lanes run every suite.
if [[ "$(uname -r)" == *debug* ]]; then
	algs=(aes256gcm16 aes128-sha256 3des-md5 chacha20poly1305 null)
fi
i=0
for alg in "${algs[@]}"; do
	i=$((i + 1))
	require crypto_ctl hub clear crypto sa dev tun0 peer "$SPOKE1_NBMA"
	require crypto_ctl spoke1 clear crypto sa dev tun0
	extra=()
	[[ "$alg" != null ]] || extra=(allow-insecure)
	sa_pair spoke1 "$SPOKE1_NBMA" hub "$HUB_NBMA" "$alg" \
		$((0x10000 + i)) $((0x20000 + i)) "${extra[@]}"
	got=$(ping_count spoke1 "$HUB_TUN" 3 -i 0.1 -W 2)
	check_cmp "$alg: 3 of 3 pings spoke1 -> hub" "${got:-0}" -eq 3
	# One dump: the new inbound SA saw exactly those 3 and has the suite.
	sa=$(sa_json hub | jq -c --argjson spi $((0x10000 + i)) '.[] | .sa | select(.spi == $spi and .dir == "in")')
	check_output_matches "$alg: hub's new in SA has the suite and counted exactly 3" \
		"\"alg\":\"$alg\".*\"stats\":\\{[^}]*\"packets\":3[,}]" echo "$sa"
done
check_cmp "spoke2 was not disturbed by the re-keying" \
	"$(ping_count spoke2 "$HUB_TUN" 2 -i 0.2 -W 2)" -eq 2

info "phase at ${SECONDS}s"
esp_keys null
count=$(sa_count hub)
check_fails "null without allow-insecure is refused" \
	sa_add hub in 0x30001 "$SPOKE1_NBMA" null
check_cmp "and no SA was added" "$(sa_count hub)" -eq "$count"
check_cmp "router: still no GRE after all suites" "$(nft_packets inet gre)" -eq 0

ksft_exit
