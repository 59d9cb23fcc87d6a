#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Seed 003 phase 1 with "tunnel protection": a hub and two spokes whose
# GRE travels only inside ESP-in-UDP, keyed by hand with dmvpnctl.
#  - Before any SA exists a ping is held, not sent in clear, and the
#    keyer is asked for SAs (acquire event); installing the SAs releases
#    it and the ping is answered.
#  - Pings in every direction, 1 MB over TCP each way (SHA-256 compared).
#  - The "internet" router never forwards IP protocol 47, only UDP 4500.
#  - N pings move "show crypto ipsec sa" counters by exactly N.
#  - Bad SA requests are refused with the kernel's reason.
. "$(dirname "$0")/lib.sh"

require_userland
require_module
require_cmd socat jq sha256sum nft

KEY=42
TMPDIR=$(mktemp -d)
defer rm -rf "$TMPDIR"

# check_refused DESC REGEX CMD...: CMD fails and says why.
check_refused() {
	local desc=$1 regex=$2 out rc=0
	shift 2
	out=$("$@" 2>&1) || rc=$?
	if ((rc != 0)) && grep -qE -- "$regex" <<<"$out"; then
		printf 'PASS: %s\n' "$desc"
		return 0
	fi
	fail "$desc"
	printf '  command: %s\n  exit: %d\n  wanted (regex): %s\n' "$*" "$rc" "$regex"
	[[ -z "$out" ]] || printf '%s\n' "$out" | sed 's/^/  | /'
}

# aes256gcm16: 32 key bytes + 4 salt bytes, a different key per pair.
key_for() { printf '%s' "$1" | sha256sum | cut -c1-64 | sed 's/$/0a0b0c0d/'; }

topo_phase1
phase1_tunnels key "$KEY" protect

# Count what the "internet" forwards: GRE must never appear in clear.
require run inet nft add table inet wire
require run inet nft add chain inet wire relay '{ type filter hook forward priority 0; }'
require run inet nft add rule inet wire relay ip protocol gre counter
require run inet nft add rule inet wire relay udp dport 4500 counter
wire_count() {
	run inet nft -j list chain inet wire relay |
		jq -r --arg p "$1" '.nftables[] | select(.rule) | .rule |
			select(.expr[0].match.left.payload.field == $p or
			       .expr[0].match.left.meta.key == $p) |
			.expr[1].counter.packets'
}

for role in hub spoke1 spoke2; do
	require run "$role" "$DMVPNCTL" crypto socket attach dev tun0
done
check_output_matches "the socket is attached on port 4500" "4500" \
	run hub "$DMVPNCTL" show crypto sockets

# The first ping has no SA to use: it must be held, and nothing leaves.
run hub "$DMVPNCTL" monitor >"$TMPDIR/events" 2>&1 &
monitor_pid=$!
defer kill "$monitor_pid"
sleep 0.5
run spoke1 ping -c1 -W40 "$HUB_TUN" >"$TMPDIR/held-ping" 2>&1 &
held_pid=$!
run hub ping -c1 -W1 "$SPOKE1_TUN" >/dev/null 2>&1 || true
sleep 1
check_cmp "no GRE crossed the internet in clear" "$(wire_count protocol)" = 0
check_cmp "nothing at all left before the SAs existed" "$(wire_count dport)" = 0
check_output_matches "the hub asked for SAs for spoke1 (acquire event)" \
	"acquire.*$SPOKE1_NBMA" cat "$TMPDIR/events"

# sa_pair A B SPI_AB SPI_BA: SAs both ways between roles A and B.
sa_pair() {
	local a=$1 b=$2 spi_ab=$3 spi_ba=$4 a_nbma b_nbma k_ab k_ba
	a_nbma=$(nbma_of "$a")
	b_nbma=$(nbma_of "$b")
	k_ab=$(key_for "$a-$b")
	k_ba=$(key_for "$b-$a")
	require run "$b" "$DMVPNCTL" crypto sa add dev tun0 dir in spi "$spi_ab" \
		peer "$a_nbma" alg aes256gcm16 key "$k_ab"
	require run "$a" "$DMVPNCTL" crypto sa add dev tun0 dir in spi "$spi_ba" \
		peer "$b_nbma" alg aes256gcm16 key "$k_ba"
	require run "$a" "$DMVPNCTL" crypto sa add dev tun0 dir out spi "$spi_ab" \
		peer "$b_nbma" alg aes256gcm16 key "$k_ab"
	require run "$b" "$DMVPNCTL" crypto sa add dev tun0 dir out spi "$spi_ba" \
		peer "$a_nbma" alg aes256gcm16 key "$k_ba"
}
nbma_of() {
	case $1 in
	hub) echo "$HUB_NBMA" ;;
	spoke1) echo "$SPOKE1_NBMA" ;;
	spoke2) echo "$SPOKE2_NBMA" ;;
	esac
}
sa_pair hub spoke1 0x1001 0x2001
sa_pair hub spoke2 0x1002 0x3001
sa_pair spoke1 spoke2 0x2002 0x3002

# (wait must run in this shell, not in check's command substitution)
held_rc=0
wait "$held_pid" || held_rc=$?
check_cmp "the held ping was released by the SAs and answered" "$held_rc" = 0
((held_rc == 0)) || sed 's/^/  | /' "$TMPDIR/held-ping"
check_output_matches "the acquire event named the peer's port" "4500" \
	cat "$TMPDIR/events"

check "spoke1 -> hub" run spoke1 ping -c3 -i0.2 -W2 "$HUB_TUN"
check "spoke2 -> hub" run spoke2 ping -c3 -i0.2 -W2 "$HUB_TUN"
check "hub -> spoke2" run hub ping -c3 -i0.2 -W2 "$SPOKE2_TUN"
check "spoke1 -> spoke2 (direct)" run spoke1 ping -c3 -i0.2 -W2 "$SPOKE2_TUN"
check "spoke1 -> hub, 1400-byte payload" run spoke1 ping -c2 -W2 -s 1400 "$HUB_TUN"
check "spoke1 -> hub, 3000-byte payload" run spoke1 ping -c2 -W3 -s 3000 "$HUB_TUN"

# 1 MB each way over TCP, compared by SHA-256.
head -c 1048576 /dev/urandom >"$TMPDIR/blob"
want=$(sha256sum <"$TMPDIR/blob" | cut -d' ' -f1)
run hub socat -u TCP-LISTEN:5001,reuseaddr OPEN:"$TMPDIR/got-hub",creat,trunc &
sleep 0.5
check "1 MB spoke1 -> hub" run spoke1 socat -u OPEN:"$TMPDIR/blob" TCP:"$HUB_TUN":5001
sleep 0.5
check "hub received the same bytes" \
	test "$(sha256sum <"$TMPDIR/got-hub" | cut -d' ' -f1)" = "$want"
run spoke2 socat -u TCP-LISTEN:5002,reuseaddr OPEN:"$TMPDIR/got-s2",creat,trunc &
sleep 0.5
check "1 MB hub -> spoke2" run hub socat -u OPEN:"$TMPDIR/blob" TCP:"$SPOKE2_TUN":5002
sleep 0.5
check "spoke2 received the same bytes" \
	test "$(sha256sum <"$TMPDIR/got-s2" | cut -d' ' -f1)" = "$want"

check_cmp "still no GRE in clear after all that" "$(wire_count protocol)" = 0
check_cmp "UDP 4500 carried it" "$(wire_count dport)" -gt 1000

# Counter accuracy: N pings move the hub's counters for spoke1 by N.
ipsec() {
	run hub "$DMVPNCTL" -j show crypto ipsec sa peer "$SPOKE1_NBMA" |
		jq -r ".[] | select(.peer_addr == \"$SPOKE1_NBMA\") | .$1"
}
decaps0=$(ipsec pkts_decaps)
encaps0=$(ipsec pkts_encaps)
check "20 pings spoke1 -> hub" run spoke1 ping -c20 -i0.05 -W2 "$HUB_TUN"
check_cmp "hub decapsulated exactly 20 more packets from spoke1" \
	"$(ipsec pkts_decaps)" = $((decaps0 + 20))
check_cmp "hub encapsulated exactly 20 more packets to spoke1" \
	"$(ipsec pkts_encaps)" = $((encaps0 + 20))
errs=$(ipsec recv_errors)
check_cmp "no errors on the hub's SAs with spoke1" "$errs" = 0
((errs == 0)) || run hub "$DMVPNCTL" show crypto ipsec sa detail | sed 's/^/  | /'
check_output_matches "show crypto ipsec sa detail has Cisco's counters" \
	"#pkts no sa \(send\) 0, #pkts invalid sa \(rcv\) 0" run hub "$DMVPNCTL" show crypto ipsec sa detail
check_output_matches "show crypto session says UP-NO-IKE" "UP-NO-IKE" \
	run hub "$DMVPNCTL" show crypto session

# Wrong input is refused with the kernel's reason, and nothing changes.
sas_before=$(run hub "$DMVPNCTL" -j show crypto ipsec sa | jq '[.[].inbound_esp_sas[]] | length')
check_refused "a key of the wrong length is refused" "[Kk]ey" \
	run hub "$DMVPNCTL" crypto sa add dev tun0 dir in spi 0x9001 \
	peer "$SPOKE1_NBMA" alg aes256gcm16 key 0011223344
check_refused "an inbound SPI in use is refused" "exists" \
	run hub "$DMVPNCTL" crypto sa add dev tun0 dir in spi 0x2001 \
	peer "$SPOKE2_NBMA" alg aes256gcm16 key "$(key_for x)"
check_refused "null encryption needs allow-insecure" "allowed|insecure|INSECURE" \
	run hub "$DMVPNCTL" crypto sa add dev tun0 dir in spi 0x9002 \
	peer "$SPOKE1_NBMA" alg null
check_cmp "the failed requests left the SA count alone" \
	"$(run hub "$DMVPNCTL" -j show crypto ipsec sa | jq '[.[].inbound_esp_sas[]] | length')" \
	= "$sas_before"

# Deleting the SAs of one peer stops its traffic; nothing goes in clear.
check "clear crypto sa peer spoke1" run hub "$DMVPNCTL" clear crypto sa peer "$SPOKE1_NBMA"
check_fails "spoke1 gets no answer without the hub's SAs" \
	run spoke1 ping -c2 -W1 "$HUB_TUN"
check "spoke2 is untouched" run spoke2 ping -c2 -W2 "$HUB_TUN"
check_cmp "no GRE in clear at the end either" "$(wire_count protocol)" = 0

# An attached socket holds its netns: delete the tunnels first.
for role in hub spoke1 spoke2; do
	ip -n "$(ns "$role")" link del tun0
done
ksft_exit
