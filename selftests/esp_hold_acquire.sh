#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# A protected tunnel that knows the peer (NHRP map) but has no outbound
# SA for it holds the traffic instead of sending it, in clear or at all:
#  - a ping is held: nothing leaves on the underlay (nftables in the
#    router), PEER_GET shows HELD 1, and an SA_ACQUIRE event names the
#    tunnel and the peer (seen by esp_ctl.py monitor and dmvpnctl monitor);
#  - adding the outbound SA sends the held packet, and the ping that was
#    waiting (-W 60) gets its answer;
#  - 40 UDP packets without an SA: 32 held, the 8 beyond the queue
#    counted in tx_no_sa (ethtool) and in the peer's NO_SA, exactly; then
#    an SA releases exactly the 32.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/esp_lib.sh"

require_userland
require_module
require_cmd jq ethtool

SPI_HUB_FROM_S1=0x1001 SPI_S1_FROM_HUB=0x2001
HOLD=32
WORK=$(mktemp -d)
defer rm -rf "$WORK"

protected_pair
nft_counters_up inet
attach_socket hub
attach_socket spoke1

# The hub is fully keyed; spoke1 can receive from it but has no outbound SA.
esp_keys "$ESP_ALG"
S1_OUT_KEY=$ENC_KEY S1_OUT_AUTH=$AUTH_KEY
require sa_add hub in "$SPI_HUB_FROM_S1" "$SPOKE1_NBMA" "$ESP_ALG"
esp_keys "$ESP_ALG"
require sa_add spoke1 in "$SPI_S1_FROM_HUB" "$HUB_NBMA" "$ESP_ALG"
require sa_add hub out "$SPI_S1_FROM_HUB" "$SPOKE1_NBMA" "$ESP_ALG"

# spoke1_out SPI: spoke1's outbound SA to the hub, with the hub's key.
spoke1_out() {
	ENC_KEY=$S1_OUT_KEY AUTH_KEY=$S1_OUT_AUTH sa_add spoke1 out "$1" "$HUB_NBMA" "$ESP_ALG"
}

bg spoke1 "${ESP_CTL[@]}" monitor --ready "$WORK/mon.ready" >"$WORK/events.log"
retry 10 test -e "$WORK/mon.ready" || die "the event monitor did not start"
bg spoke1 "$DMVPNCTL" monitor >"$WORK/dmvpnctl-monitor.log" 2>&1
sleep 1 # dmvpnctl has no "ready" signal

nft_reset inet
no_sa_before=$(estat spoke1 tx_no_sa)
bg spoke1 ping -n -c1 -W 60 "$HUB_TUN" >"$WORK/ping.log" 2>&1
ping_pid=$BG_PID
retry 15 test "$(peer_field spoke1 "$HUB_NBMA" .held)" = 1 || true
check_cmp "PEER_GET: HELD 1 while there is no outbound SA" \
	"$(peer_field spoke1 "$HUB_NBMA" .held)" -eq 1
check_cmp "PEER_GET: no SPI_OUT" "$(peer_field spoke1 "$HUB_NBMA" .spi_out | wc -w)" -eq 0
sleep 1
check_cmp "router: nothing left spoke1 (UDP 4500)" "$(nft_packets inet udp4500)" -eq 0
check_cmp "router: nothing left spoke1 (GRE)" "$(nft_packets inet gre)" -eq 0
check_cmp "router: nothing left spoke1 (other)" "$(nft_packets inet other)" -eq 0
check_cmp "tx_no_sa unchanged (held, not dropped)" "$(estat spoke1 tx_no_sa)" -eq "$no_sa_before"
check "the ping is still waiting" kill -0 "$ping_pid"
retry 5 grep -q '"sa_acquire"' "$WORK/events.log" || true
check_output_matches "SA_ACQUIRE event names tun0 and the hub's NBMA address and port" \
	'"event": "sa_acquire".*"ifname": "tun0".*"peer": \{"addr": "172\.16\.10\.1", "port": 4500\}|"event": "sa_acquire".*"peer": \{"addr": "172\.16\.10\.1", "port": 4500\}.*"ifname": "tun0"' \
	cat "$WORK/events.log"
check_cmp "exactly one SA_ACQUIRE for one held packet" "$(grep -c '"sa_acquire"' "$WORK/events.log")" -eq 1
check_output_matches "dmvpnctl monitor shows the acquire" 'acquire.*tun0.*172\.16\.10\.1' \
	cat "$WORK/dmvpnctl-monitor.log"

hub_in=$(sa_packets hub in "$SPI_HUB_FROM_S1")
check "outbound SA added on spoke1" spoke1_out "$SPI_HUB_FROM_S1"
rc=0
wait "$ping_pid" || rc=$?
check_cmp "the held ping got its answer (ping exit status)" "$rc" -eq 0
check_output_matches "ping: 1 received" '1 received' cat "$WORK/ping.log"
check_cmp "PEER_GET: HELD 0 after the SA came" "$(peer_field spoke1 "$HUB_NBMA" .held)" -eq 0
check_cmp "PEER_GET: SPI_OUT is the new SA" "$(peer_field spoke1 "$HUB_NBMA" .spi_out)" -eq $((SPI_HUB_FROM_S1))
check_cmp "hub in SA: exactly the one held packet" "$(($(sa_packets hub in "$SPI_HUB_FROM_S1") - hub_in))" -eq 1
check_cmp "router: 2 UDP 4500 packets (request, reply)" "$(nft_packets inet udp4500)" -eq 2
check_cmp "router: still no GRE" "$(nft_packets inet gre)" -eq 0

# Overflow: without the SA again, 40 packets for a queue of 32.
require crypto_ctl spoke1 crypto sa del dev tun0 dir out spi "$SPI_HUB_FROM_S1" peer "$HUB_NBMA"
check_cmp "PEER_GET: no SPI_OUT after the delete" "$(peer_field spoke1 "$HUB_NBMA" .spi_out | wc -w)" -eq 0
nft_reset inet
no_sa_before=$(estat spoke1 tx_no_sa)
peer_no_sa_before=$(peer_field spoke1 "$HUB_NBMA" .no_sa)
sent=40
# UDP to a silent listener on the hub: one packet each, and no answers
# (ping paces itself when nothing comes back).
bg hub socat -u "UDP-RECV:9999,bind=$HUB_TUN" /dev/null
require run spoke1 python3 -S -c '
import socket, sys
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
for i in range(int(sys.argv[2])):
    s.sendto(b"held %d" % i, (sys.argv[1], 9999))' "$HUB_TUN" "$sent"
check_cmp "PEER_GET: HELD $HOLD (the queue is full)" "$(peer_field spoke1 "$HUB_NBMA" .held)" -eq "$HOLD"
check_cmp "tx_no_sa: exactly the $((sent - HOLD)) beyond the queue" \
	"$(($(estat spoke1 tx_no_sa) - no_sa_before))" -eq $((sent - HOLD))
check_cmp "PEER_GET: NO_SA exactly $((sent - HOLD)) more" \
	"$(($(peer_field spoke1 "$HUB_NBMA" .no_sa) - ${peer_no_sa_before:-0}))" -eq $((sent - HOLD))
check_cmp "router: nothing left spoke1 meanwhile" \
	"$(($(nft_packets inet udp4500) + $(nft_packets inet gre) + $(nft_packets inet other)))" -eq 0
check_output_matches "dmvpnctl show crypto ipsec sa: #send errors / no sa" \
	"no sa \(send\) $(peer_field spoke1 "$HUB_NBMA" .no_sa)|\"no_sa_send\": ?$(peer_field spoke1 "$HUB_NBMA" .no_sa)" \
	run spoke1 "$DMVPNCTL" -j show crypto ipsec sa dev tun0

# A new SA pair (fresh sequence numbers) for spoke1 -> hub.
esp_keys "$ESP_ALG"
S1_OUT_KEY=$ENC_KEY S1_OUT_AUTH=$AUTH_KEY
require sa_add hub in 0x1002 "$SPOKE1_NBMA" "$ESP_ALG"
check "a new outbound SA releases the queue" spoke1_out 0x1002
check_cmp "PEER_GET: HELD 0" "$(peer_field spoke1 "$HUB_NBMA" .held)" -eq 0
retry 10 test "$(sa_packets hub in 0x1002)" -ge "$HOLD" || true
check_cmp "hub's new in SA: exactly the $HOLD held packets arrived" \
	"$(sa_packets hub in 0x1002)" -eq "$HOLD"
retry 5 test "$(nft_packets inet udp4500)" -ge "$HOLD" || true
check_cmp "router: exactly the $HOLD released packets" "$(nft_packets inet udp4500)" -eq "$HOLD"
check_cmp "tx_no_sa did not move on release" \
	"$(($(estat spoke1 tx_no_sa) - no_sa_before))" -eq $((sent - HOLD))
check "spoke1 -> hub works normally" run spoke1 ping -c2 -i0.2 -W2 "$HUB_TUN"

ksft_exit
