#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Hostile and odd datagrams to a protected tunnel's UDP 4500 socket
# (tools/esp_inject.py), each counted under its own cause and nothing
# else: unknown SPI (plus an SA_INVALID_SPI event naming SPI and sender),
# NAT keepalive, ESP shorter than its header, truncated ESP, bad padding
# and a non-GRE payload under a valid ICV, a flipped ICV byte, replays of
# a crafted and of a captured real packet; in tunnel mode, a packet
# delivered with and without TFC padding (tun0 counts the datagram alone)
# and an inner fragment refused; cleartext GRE to the protected tunnel's
# address is dropped (rx_not_protected).  IKE behind the non-ESP marker
# and datagrams too short for an SPI reach the socket's owner (a process
# that attached the socket itself).  Then 2000 random payloads: every one
# counted, and the tunnel still works.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/esp_lib.sh"

require_userland
require_module
require_cmd jq ethtool

SPI_HUB_FROM_S1=0x1001 SPI_S1_FROM_HUB=0x2001
SPI_INJ=0x5555   # an extra inbound SA on the hub whose key the injector knows
SPI_INJ_TUN=0x5556 # the same in tunnel mode
SPORT=40000
WORK=$(mktemp -d)
defer rm -rf "$WORK"

protected_pair

# The hub's socket belongs to a process that reads what it is left.
bg hub "${ESP_CTL[@]}" sock-serve tun0 --ready "$WORK/serve.ready" --out "$WORK/owner.log"
retry 10 test -e "$WORK/serve.ready" || die "sock-serve did not attach the hub's socket"
attach_socket spoke1
bg hub "${ESP_CTL[@]}" monitor --ready "$WORK/mon.ready" >"$WORK/events.log"
retry 10 test -e "$WORK/mon.ready" || die "the event monitor did not start"

sa_pair spoke1 "$SPOKE1_NBMA" hub "$HUB_NBMA" aes256gcm16 "$SPI_HUB_FROM_S1" "$SPI_S1_FROM_HUB"
esp_keys aes256gcm16
INJ_KEY=$ENC_KEY
require sa_add hub in "$SPI_INJ" "$SPOKE1_NBMA" aes256gcm16
require sa_add hub in "$SPI_INJ_TUN" "$SPOKE1_NBMA" aes256gcm16 mode tunnel

retry 15 run spoke1 ping -c1 -W1 "$HUB_TUN" || true
check "spoke1 -> hub over ESP" run spoke1 ping -c2 -i0.2 -W2 "$HUB_TUN"

inject() {
	nsrun spoke1 "${ESP_INJECT[@]}" "$@"
}

# Every crafted packet, built at once (the injector seals ESP with the
# kernel's AEAD over AF_ALG, else with python3-cryptography, whose import
# takes seconds in the guest).
out=$(inject esp-set "$WORK" --spi "$SPI_INJ" --key "$INJ_KEY" truncate=1:truncate \
	padding=2:padding icv=3:icv nexthdr=4:nexthdr valid=10 seq900=900 seq800=800 2>&1) ||
	{ grep -q SKIP <<<"$out" && skip "cannot build ESP packets: $out"; die "esp_inject.py: $out"; }
[[ -z "$out" ]] || info "$out"
out=$(inject esp-set "$WORK" --spi "$SPI_INJ_TUN" --key "$INJ_KEY" \
	--outer-src "$SPOKE1_NBMA" --outer-dst "$HUB_NBMA" \
	tun=1:tunnel tuntfc=2:tunnel-tfc tunfrag=3:tunnel-frag 2>&1) || die "esp_inject.py: $out"
[[ -z "$out" ]] || info "$out"

# wire_case DESC EXPECTED_DELTAS CMD...: run CMD (inject ... or esp ...),
# then exactly these ethtool counters moved on the hub, and its packet
# counter did not.
wire_case() {
	local desc=$1 want=$2 before rx
	shift 2
	before=$(estats_snapshot hub)
	rx=$(tun_stat hub rx packets)
	if ! "$@" >/dev/null; then
		fail "$desc: $* failed"
		return
	fi
	sleep 0.5
	check_estats_delta "$desc" hub "$before" "$want"
	check_cmp "$desc: hub tun0 rx_packets unchanged" "$(tun_stat hub rx packets)" -eq "$rx"
}

# esp NAME: send the crafted packet NAME.
esp() {
	inject replay "$HUB_NBMA" "$WORK/$1.hex" --sport "$SPORT"
}

# Unknown SPIs.
before=$(estats_snapshot hub)
for spi in 0xdead0001 0xdead0002 0xdead0003; do
	inject send "$HUB_NBMA" "${spi#0x}00000001$(printf '%064d' 0)" --sport "$SPORT"
done
sleep 0.5
check_estats_delta "3 unknown SPIs: rx_invalid_spi +3, nothing else" hub "$before" "rx_invalid_spi +3"
retry 5 grep -q '"sa_invalid_spi"' "$WORK/events.log" || true
check_output_matches "SA_INVALID_SPI event names the SPI, sender and port" \
	'"event": "sa_invalid_spi".*"peer_addr": "172\.16\.1\.1", "peer_port": 40000, "spi": 3735879681' \
	cat "$WORK/events.log"
check_cmp "one SA_INVALID_SPI event per packet (under the rate limit)" \
	"$(grep -c '"sa_invalid_spi"' "$WORK/events.log")" -eq 3

wire_case "NAT keepalive: rx_keepalive +1, nothing else" "rx_keepalive +1" \
	inject keepalive "$HUB_NBMA" --sport "$SPORT"
wire_case "6 bytes (no room for an ESP header): rx_invalid_len +1" "rx_invalid_len +1" \
	inject send "$HUB_NBMA" 123456780001 --sport "$SPORT"
wire_case "truncated ESP of a known SA: rx_invalid_len +1" "rx_invalid_len +1" \
	esp truncate
wire_case "bad padding under a valid ICV: rx_invalid_len +1" "rx_invalid_len +1" \
	esp padding
wire_case "flipped ICV byte: rx_auth_failed +1" "rx_auth_failed +1" \
	esp icv
wire_case "UDP, not GRE, under a valid ICV: rx_decaps_failed +1" "rx_decaps_failed +1" \
	esp nexthdr
# Cleartext GRE to a protected tunnel's address.  The GRE receive slot is
# the module's only while a plain-GRE tunnel exists (a protected one needs
# none), so one is made for the case; the packet must be dropped and
# counted on tun0, never delivered.
require ip -n "$(ns hub)" link add tunplain type dmvpn local 192.0.2.250 key 77
wire_case "cleartext GRE to the protected hub: rx_not_protected +1" "rx_not_protected +1" \
	nsrun spoke1 python3 "$SELFTESTS_DIR/tools/gre_inject.py" "$HUB_NBMA" no-key
ip -n "$(ns hub)" link del tunplain
check_cmp "SA $SPI_INJ: invalid_len 2" "$(sa_field hub in "$SPI_INJ" .stats.invalid_len)" -eq 2
check_cmp "SA $SPI_INJ: auth_failed 1" "$(sa_field hub in "$SPI_INJ" .stats.auth_failed)" -eq 1
check_cmp "SA $SPI_INJ: decaps_failed 1" "$(sa_field hub in "$SPI_INJ" .stats.decaps_failed)" -eq 1
check_cmp "SA $SPI_INJ: none of them counted as a packet" "$(sa_packets hub in "$SPI_INJ")" -eq 0

# A valid packet is delivered (and answered); the same packet again is a replay.
before=$(estats_snapshot hub)
rx=$(tun_stat hub rx packets)
hub_out=$(sa_packets hub out "$SPI_S1_FROM_HUB")
inj=$(sa_packets hub in "$SPI_INJ")
check "crafted valid ESP (seq 10) sent" esp valid
retry 5 test "$(sa_packets hub in "$SPI_INJ")" -gt "$inj" || true
check_cmp "crafted valid ESP: SA $SPI_INJ counted 1 packet" "$(($(sa_packets hub in "$SPI_INJ") - inj))" -eq 1
check_cmp "crafted valid ESP: hub tun0 rx_packets +1" "$(($(tun_stat hub rx packets) - rx))" -eq 1
retry 5 test "$(sa_packets hub out "$SPI_S1_FROM_HUB")" -gt "$hub_out" || true
check_cmp "the hub answered the echo request inside it" \
	"$(($(sa_packets hub out "$SPI_S1_FROM_HUB") - hub_out))" -eq 1
check_estats_delta "crafted valid ESP: no drop counter" hub "$before" ""
wire_case "the crafted packet replayed: rx_replay +1" "rx_replay +1" \
	inject replay "$HUB_NBMA" "$WORK/valid.hex" --sport "$SPORT"
before=$(estats_snapshot hub)
check "a jump ahead to seq 900 sent" esp seq900
retry 5 test "$(sa_packets hub in "$SPI_INJ")" -eq $((inj + 2)) || true
check_cmp "seq 900: accepted (SA $SPI_INJ counted 1 more)" "$(($(sa_packets hub in "$SPI_INJ") - inj))" -eq 2
check_estats_delta "seq 900: no drop counter" hub "$before" ""
wire_case "seq 900 again: rx_replay +1" "rx_replay +1" \
	inject replay "$HUB_NBMA" "$WORK/seq900.hex" --sport "$SPORT"
wire_case "seq 800 (behind a 64-packet window): rx_replay +1" "rx_replay +1" \
	esp seq800

# Tunnel mode: an IPv4 header (NBMA to NBMA, protocol GRE) before the GRE
# packet.  Its total length, not the ESP trailer, says where the datagram
# ends, as TFC padding may follow it; and a fragment is not a GRE packet.
# tunnel_delivered DESC NAME: packet NAME reaches tun0 as the 46-byte
# echo request it carries, and no drop counter moves.
tunnel_delivered() {
	local desc=$1 name=$2 before rx rxb inj
	before=$(estats_snapshot hub)
	rx=$(tun_stat hub rx packets)
	rxb=$(tun_stat hub rx bytes)
	inj=$(sa_packets hub in "$SPI_INJ_TUN")
	check "$desc sent" esp "$name"
	retry 5 test "$(tun_stat hub rx packets)" -gt "$rx" || true
	check_cmp "$desc: SA $SPI_INJ_TUN counted 1 packet" \
		"$(($(sa_packets hub in "$SPI_INJ_TUN") - inj))" -eq 1
	check_cmp "$desc: hub tun0 rx_packets +1" "$(($(tun_stat hub rx packets) - rx))" -eq 1
	check_cmp "$desc: hub tun0 rx_bytes +46, the datagram alone" \
		"$(($(tun_stat hub rx bytes) - rxb))" -eq 46
	check_estats_delta "$desc: no drop counter" hub "$before" ""
}
tunnel_delivered "tunnel-mode ESP" tun
tunnel_delivered "tunnel-mode ESP with 64 bytes of TFC padding" tuntfc
wire_case "tunnel mode, the inner header a fragment: rx_decaps_failed +1" "rx_decaps_failed +1" \
	esp tunfrag

# A real packet from spoke1, captured on the router, replayed.
bg inet "${ESP_INJECT[@]}" capture to-spoke1 "$WORK/cap.hex" --src "$SPOKE1_NBMA" --timeout 30
retry 10 test -e "$WORK/cap.hex.ready" || die "capture did not start"
check "one ping spoke1 -> hub to capture" run spoke1 ping -c1 -W2 "$HUB_TUN"
retry 10 test -s "$WORK/cap.hex" || true
check "a real ESP packet was captured" test -s "$WORK/cap.hex"
if [[ -s "$WORK/cap.hex" ]]; then
	wire_case "the captured real packet replayed: rx_replay +1" "rx_replay +1" \
		inject replay "$HUB_NBMA" "$WORK/cap.hex" --sport "$SPORT"
fi

# What is not ESP reaches the socket's owner, untouched.
before=$(estats_snapshot hub)
check "IKE with the non-ESP marker sent" inject ike "$HUB_NBMA" "IKE_SA_INIT from the selftest" --sport "$SPORT"
check "3 bytes (too short for an SPI) sent" inject send "$HUB_NBMA" abcdef --sport "$SPORT"
ike_hex=00000000$(printf '%s' "IKE_SA_INIT from the selftest" | od -An -tx1 | tr -d ' \n')
retry 5 grep -q "$ike_hex" "$WORK/owner.log" || true
check_output_matches "the owner read the IKE datagram, marker included" \
	"^$SPOKE1_NBMA:$SPORT $ike_hex\$" cat "$WORK/owner.log"
retry 5 grep -q " abcdef$" "$WORK/owner.log" || true
check_output_matches "the owner read the 3-byte datagram" " abcdef\$" cat "$WORK/owner.log"
check_cmp "the owner read nothing else (no keepalive, no ESP)" "$(wc -l <"$WORK/owner.log")" -eq 2
check_estats_delta "IKE and short datagrams: no counter moved" hub "$before" ""

# Unknown SPI from a known peer counts on that peer: spoke1's own port.
require crypto_ctl spoke1 crypto socket detach dev tun0
before=$(peer_field hub "$SPOKE1_NBMA" .invalid_spi)
check "unknown SPI from $SPOKE1_NBMA:4500 sent" \
	inject send "$HUB_NBMA" "dead00040000000100000000" --sport 4500
sleep 0.5
check_cmp "PEER_GET: spoke1's invalid_spi +1" "$(($(peer_field hub "$SPOKE1_NBMA" .invalid_spi) - ${before:-0}))" -eq 1
attach_socket spoke1
check "spoke1 -> hub after re-attaching spoke1's socket" run spoke1 ping -c2 -i0.2 -W2 "$HUB_TUN"

# 2000 random payloads: a third unknown SPIs, a third the injector's SA
# with random contents, a third 4..7 bytes.
before=$(estats_snapshot hub)
out=$(inject fuzz "$HUB_NBMA" --count 2000 --spi "$SPI_INJ" \
	--avoid "$SPI_HUB_FROM_S1,$SPI_INJ_TUN" --seed "$$" --sport "$SPORT") || fail "fuzz: esp_inject.py failed"
info "fuzz sent: $out"
sleep 1
after=$(estats_snapshot hub)
delta() { estats_delta "$before" "$after" | awk -v n="$1" '$1 == n { print $2 + 0; f = 1 } END { if (!f) print 0 }'; }
total=$(estats_delta "$before" "$after" | awk '{ s += $2 } END { print s + 0 }')
check_cmp "fuzz: every one of 2000 payloads counted exactly once" "$total" -eq 2000
check_cmp "fuzz: unknown SPIs all under rx_invalid_spi" "$(delta rx_invalid_spi)" -eq "$(jq .random_spi <<<"$out")"
check_cmp "fuzz: the rest under invalid_len/replay/auth_failed" \
	"$(($(delta rx_invalid_len) + $(delta rx_replay) + $(delta rx_auth_failed)))" -eq \
	"$(($(jq .short <<<"$out") + $(jq .target_spi <<<"$out")))"
estats_delta "$before" "$after" | sed 's/^/INFO: fuzz: /'
check_cmp "fuzz: nothing reached the owner" "$(wc -l <"$WORK/owner.log")" -eq 2
check "spoke1 -> hub still works after the fuzz" run spoke1 ping -c3 -i0.2 -W2 "$HUB_TUN"
check "hub -> spoke1 still works after the fuzz" run hub ping -c3 -i0.2 -W2 "$SPOKE1_TUN"

ksft_exit
