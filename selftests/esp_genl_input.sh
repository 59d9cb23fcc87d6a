#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Bad tunnel-protection requests over the generic-netlink family "dmvpn"
# (tools/esp_ctl.py raw): SA_ADD without DIR, SPI, peer, algorithm or
# keys, with an SPI below 256, an unknown algorithm, keys of the wrong
# length, a replay window over 4096, null without ALLOW_INSECURE, a
# duplicate SPI, on an unprotected tunnel, with reply-only attributes;
# SOCK_ATTACH with a TCP socket, an unbound or IPv6 socket, a bad fd,
# twice.  Each is refused with an extack message naming the problem, and
# the SA count is unchanged.  Key material never appears in replies.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/esp_lib.sh"

require_userland
require_module
require_cmd jq

LOCAL=172.16.10.1 PEER=172.16.1.1
ns_add t
defer delete_tunnels t
require ip -n "$(ns t)" addr add "$LOCAL/32" dev lo
require run t python3 "$RTNL_RAW" newlink tun0 --attr "LOCAL=ipv4:$LOCAL" --attr PROTECT=u8:1
require ip -n "$(ns t)" link add tun1 type dmvpn local "$LOCAL" key 7
defer ip -n "$(ns t)" link del tun1

# Suite numbers (enum dmvpn_esp_alg) and keys of the right lengths.
GCM256=2 SHA256=8 DES3SHA1=11 NULL=14
K36=$(head -c 36 /dev/urandom | od -An -tx1 | tr -d ' \n')
K32=$(head -c 32 /dev/urandom | od -An -tx1 | tr -d ' \n')
A32=$(head -c 32 /dev/urandom | od -An -tx1 | tr -d ' \n')

raw() {
	nsrun t "${ESP_CTL[@]}" raw "$@"
}

# Requests are queued and sent by one esp_ctl.py process (a Python start
# takes a second in the emulated guest), in order, at batch_run.
B_DESC=() B_WANT=() B_LINE=()
queue() {
	local desc=$1 want=$2 IFS=$'\x1f'
	shift 2
	B_DESC+=("$desc")
	B_WANT+=("$want")
	B_LINE+=("raw$IFS$*")
}

# accepted DESCRIPTION ARGS...: esp_ctl.py raw ARGS succeeds.
accepted() {
	queue "$1" ok "${@:2}"
}

# refused DESCRIPTION REGEX ARGS...: esp_ctl.py raw ARGS fails, its message matches.
refused() {
	queue "$1" "$2" "${@:3}"
}

# no_key DESCRIPTION ARGS...: the reply (--raw, in hex) holds no key bytes.
no_key() {
	queue "$1" nokey "${@:2}" --raw
}

has_key() {
	local k
	for k in "$K36" "$K32" "$A32" "${K36:0:16}" "${K32:0:16}" "${A32:0:16}"; do
		[[ "$1" != *"$k"* ]] || return 0
	done
	return 1
}

batch_run() {
	local -a res
	local i r out
	mapfile -t res < <(printf '%s\n' "${B_LINE[@]}" | nsrun t "${ESP_CTL[@]}" batch)
	for i in "${!B_DESC[@]}"; do
		r=${res[$i]:-rc=- (no answer)}
		out=${r#rc=* }
		case ${B_WANT[$i]} in
		ok)
			if [[ "$r" == rc=0* ]]; then
				printf 'PASS: %s\n' "${B_DESC[$i]}"
			else
				fail "${B_DESC[$i]}: refused: $out"
			fi
			;;
		nokey)
			if [[ "$r" != rc=0* ]]; then
				fail "${B_DESC[$i]}: request failed: $out"
			elif has_key "$out"; then
				fail "${B_DESC[$i]}: the reply contains key bytes: $out"
			elif ((${#out} < 100)); then
				fail "${B_DESC[$i]}: the reply is suspiciously short: $out"
			else
				printf 'PASS: %s\n' "${B_DESC[$i]}"
			fi
			;;
		*)
			if [[ "$r" == rc=0* ]]; then
				fail "${B_DESC[$i]}: accepted, but must be refused"
			elif ! grep -qiE -- "${B_WANT[$i]}" <<<"$out"; then
				fail "${B_DESC[$i]}: refused, but the message does not match /${B_WANT[$i]}/: $out"
			else
				printf 'PASS: %s (%s)\n' "${B_DESC[$i]}" "$out"
			fi
			;;
		esac
	done
	B_DESC=() B_WANT=() B_LINE=()
}

# A valid SA, then the same with one thing wrong.
IN=(--sa DIR=u8:1 --sa SPI=u32:0x1000 --sa "PEER_ADDR=ipv4:$PEER")
OUT=(--sa DIR=u8:2 --sa SPI=u32:0x1000 --sa "PEER_ADDR=ipv4:$PEER")
GCM=(--sa "ALG=u32:$GCM256" --sa "ENC_KEY=hex:$K36")
CBC=(--sa "ALG=u32:$SHA256" --sa "ENC_KEY=hex:$K32" --sa "AUTH_KEY=hex:$A32")
accepted "a valid inbound CBC SA is accepted" sa_add --dev tun0 "${IN[@]}" "${CBC[@]}"
accepted "a valid outbound GCM SA is accepted" sa_add --dev tun0 "${OUT[@]}" "${GCM[@]}"
accepted "a valid UDP socket is attached" sock_attach --dev tun0 --sock-fd "udp:$LOCAL:4500"
batch_run
count=$(sa_count t)
check_cmp "2 SAs installed" "$count" -eq 2

# Key material is write-only: not in SA_GET (do or dump) nor DEV_GET replies.
no_key "SA_GET (do) of the CBC SA: no key bytes in the reply" \
	sa_get --dev tun0 --sa DIR=u8:1 --sa SPI=u32:0x1000
no_key "SA_GET (do) of the GCM SA: no key bytes in the reply" sa_get --dev tun0 "${OUT[@]}"
no_key "SA_GET (dump): no key bytes in the replies" sa_get --dev tun0 --dump
no_key "DEV_GET: no key bytes in the reply" dev_get --dev tun0
batch_run
check_output_matches "SA_GET decodes without ENC_KEY/AUTH_KEY" '^\[\{' raw sa_get --dev tun0 --dump
check_fails "SA_GET replies carry no enc_key/auth_key attribute" \
	sh -c "$(printf '%q ' ip netns exec "$(ns t)" "${ESP_CTL[@]}" sa-dump tun0) | grep -E 'enc_key|auth_key'"

# ---- SA_ADD -----------------------------------------------------------------
refused "no SA nest" 'DMVPN_A_SA' sa_add --dev tun0
refused "no tunnel" 'IFINDEX' sa_add "${IN[@]}" "${GCM[@]}"
refused "no DIR" 'DIR' sa_add --dev tun0 --sa SPI=u32:0x1001 --sa "PEER_ADDR=ipv4:$PEER" "${GCM[@]}"
refused "no SPI" 'SPI' sa_add --dev tun0 --sa DIR=u8:1 --sa "PEER_ADDR=ipv4:$PEER" "${GCM[@]}"
refused "no peer address" 'PEER_ADDR' sa_add --dev tun0 --sa DIR=u8:1 --sa SPI=u32:0x1001 "${GCM[@]}"
refused "no algorithm" 'ALG' sa_add --dev tun0 --sa DIR=u8:1 --sa SPI=u32:0x1001 \
	--sa "PEER_ADDR=ipv4:$PEER" --sa "ENC_KEY=hex:$K36"
refused "no key" 'key' sa_add --dev tun0 --sa DIR=u8:1 --sa SPI=u32:0x1001 \
	--sa "PEER_ADDR=ipv4:$PEER" --sa "ALG=u32:$GCM256"
refused "CBC suite without its integrity key" 'integrity key' sa_add --dev tun0 \
	--sa DIR=u8:1 --sa SPI=u32:0x1001 --sa "PEER_ADDR=ipv4:$PEER" \
	--sa "ALG=u32:$SHA256" --sa "ENC_KEY=hex:$K32"
refused "SPI 255 (reserved)" 'range.*SA_A_SPI' sa_add --dev tun0 --sa DIR=u8:1 --sa SPI=u32:255 \
	--sa "PEER_ADDR=ipv4:$PEER" "${GCM[@]}"
refused "SPI 0" 'range.*SA_A_SPI' sa_add --dev tun0 --sa DIR=u8:1 --sa SPI=u32:0 \
	--sa "PEER_ADDR=ipv4:$PEER" "${GCM[@]}"
refused "algorithm 99" 'range.*SA_A_ALG' sa_add --dev tun0 --sa DIR=u8:1 --sa SPI=u32:0x1001 \
	--sa "PEER_ADDR=ipv4:$PEER" --sa ALG=u32:99 --sa "ENC_KEY=hex:$K36"
refused "algorithm 0" 'range.*SA_A_ALG' sa_add --dev tun0 --sa DIR=u8:1 --sa SPI=u32:0x1001 \
	--sa "PEER_ADDR=ipv4:$PEER" --sa ALG=u32:0 --sa "ENC_KEY=hex:$K36"
refused "aes256gcm16 with a 32-byte key (no salt)" 'salt|key length' sa_add --dev tun0 \
	--sa DIR=u8:1 --sa SPI=u32:0x1001 --sa "PEER_ADDR=ipv4:$PEER" --sa "ALG=u32:$GCM256" \
	--sa "ENC_KEY=hex:$K32"
refused "aes256-sha256 with a 36-byte key" 'encryption key length' sa_add --dev tun0 \
	--sa DIR=u8:1 --sa SPI=u32:0x1001 --sa "PEER_ADDR=ipv4:$PEER" --sa "ALG=u32:$SHA256" \
	--sa "ENC_KEY=hex:$K36" --sa "AUTH_KEY=hex:$A32"
refused "aes256-sha256 with a 20-byte integrity key" 'integrity key length' sa_add --dev tun0 \
	--sa DIR=u8:1 --sa SPI=u32:0x1001 --sa "PEER_ADDR=ipv4:$PEER" --sa "ALG=u32:$SHA256" \
	--sa "ENC_KEY=hex:$K32" --sa "AUTH_KEY=hex:${A32:0:40}"
refused "GCM with an integrity key" 'no integrity key|combined' sa_add --dev tun0 \
	--sa DIR=u8:1 --sa SPI=u32:0x1001 --sa "PEER_ADDR=ipv4:$PEER" "${GCM[@]}" --sa "AUTH_KEY=hex:$A32"
refused "a 65-byte key" 'SA_A_ENC_KEY' sa_add --dev tun0 \
	--sa DIR=u8:1 --sa SPI=u32:0x1001 --sa "PEER_ADDR=ipv4:$PEER" --sa "ALG=u32:$GCM256" \
	--sa "ENC_KEY=hex:$K32$K32${K32:0:2}"
refused "3DES with K1 = K2 (single DES)" 'weak' sa_add --dev tun0 \
	--sa DIR=u8:1 --sa SPI=u32:0x1001 --sa "PEER_ADDR=ipv4:$PEER" --sa "ALG=u32:$DES3SHA1" \
	--sa "ENC_KEY=hex:${K32:0:16}${K32:0:16}${K32:16:16}" --sa "AUTH_KEY=hex:${A32:0:40}"
refused "replay window 4097" 'range.*SA_A_REPLAY_WINDOW' sa_add --dev tun0 "${IN[@]/0x1000/0x1001}" \
	"${GCM[@]}" --sa REPLAY_WINDOW=u32:4097
refused "null without ALLOW_INSECURE" 'NULL|insecure|allowed' sa_add --dev tun0 \
	--sa DIR=u8:1 --sa SPI=u32:0x1001 --sa "PEER_ADDR=ipv4:$PEER" --sa "ALG=u32:$NULL"
refused "unknown flag bit" 'reserved bit.*SA_A_FLAGS' sa_add --dev tun0 "${IN[@]/0x1000/0x1001}" \
	"${GCM[@]}" --sa FLAGS=u32:0x4
refused "DIR 3" 'range.*SA_A_DIR' sa_add --dev tun0 --sa DIR=u8:3 --sa SPI=u32:0x1001 \
	--sa "PEER_ADDR=ipv4:$PEER" "${GCM[@]}"
refused "MODE 3" 'range.*SA_A_MODE' sa_add --dev tun0 "${IN[@]/0x1000/0x1001}" "${GCM[@]}" --sa MODE=u8:3
refused "IPv6 peer on an IPv4 tunnel" 'family' sa_add --dev tun0 --sa DIR=u8:1 \
	--sa SPI=u32:0x1001 --sa PEER_ADDR=ipv6:2001:db8::1 "${GCM[@]}"
refused "peer address of 5 bytes" '4 bytes.*SA_A_PEER_ADDR' sa_add --dev tun0 --sa DIR=u8:1 \
	--sa SPI=u32:0x1001 --sa PEER_ADDR=hex:ac10010100 "${GCM[@]}"
refused "soft lifetime not below the hard one" 'soft lifetime' sa_add --dev tun0 \
	"${IN[@]/0x1000/0x1001}" "${GCM[@]}" --sa SOFT_SECS=u32:10 --sa HARD_SECS=u32:10
refused "duplicate inbound SPI" 'exists' sa_add --dev tun0 "${IN[@]}" "${GCM[@]}"
refused "duplicate outbound SPI for the same peer" 'exists' sa_add --dev tun0 "${OUT[@]}" "${GCM[@]}"
refused "SA on an unprotected tunnel" 'not protected' sa_add --dev tun1 \
	--sa DIR=u8:1 --sa SPI=u32:0x1001 --sa "PEER_ADDR=ipv4:$PEER" "${GCM[@]}"
refused "SA on lo" 'not a dmvpn|EOPNOTSUPP|ENODEV' sa_add --dev lo \
	--sa DIR=u8:1 --sa SPI=u32:0x1001 --sa "PEER_ADDR=ipv4:$PEER" "${GCM[@]}"
for attr in STATE=u32:1 AGE=u64:5 LEFT_SECS=u32:5 LEFT_KB=u64:5 SEQ=u64:5 STATS=hex:0c000100010000000000000000; do
	refused "reply-only ${attr%%=*} in a request" "${attr%%=*}.*(kept by the module|reply-only)" \
		sa_add --dev tun0 "${IN[@]/0x1000/0x1001}" "${GCM[@]}" --sa "$attr"
done
refused "unknown SA attribute 60" 'EINVAL.*SA_A_60' sa_add --dev tun0 \
	"${IN[@]/0x1000/0x1001}" "${GCM[@]}" --sa 60=hex:00

# ---- SA_DEL / SA_GET / SA_FLUSH ------------------------------------------------
refused "SA_DEL of an absent SA" 'no such SA' sa_del --dev tun0 --sa DIR=u8:1 --sa SPI=u32:0x7777
refused "SA_DEL outbound without the peer" 'PEER_ADDR' sa_del --dev tun0 --sa DIR=u8:2 --sa SPI=u32:0x1000
refused "SA_GET of an absent SA" 'no such SA' sa_get --dev tun0 --sa DIR=u8:1 --sa SPI=u32:0x7777
refused "SA_FLUSH on an unprotected tunnel" 'not protected' sa_flush --dev tun1

# ---- SOCK_ATTACH -------------------------------------------------------------
refused "attach twice" 'already has a socket' sock_attach --dev tun0 --sock-fd "udp:$LOCAL:4501"
accepted "detach" sock_detach --dev tun0
refused "detach with nothing attached" 'no socket' sock_detach --dev tun0
refused "no SOCK_FD" 'SOCK_FD' sock_attach --dev tun0
refused "a TCP socket" 'UDP' sock_attach --dev tun0 --sock-fd tcp
refused "an IPv6 UDP socket" 'IPv4 UDP' sock_attach --dev tun0 --sock-fd udp6
refused "an unbound UDP socket" 'not bound' sock_attach --dev tun0 --sock-fd udp-unbound
refused "fd 999 (not open)" 'not an open socket|EBADF' sock_attach --dev tun0 --sock-fd 999
refused "fd 0 (not a socket)" 'not an open socket|ENOTSOCK' sock_attach --dev tun0 --sock-fd 0
refused "a socket with UDP_ENCAP already set" 'encapsulation' sock_attach --dev tun0 \
	--sock-fd "udp-encap:$LOCAL:4502"
refused "on an unprotected tunnel" 'not protected' sock_attach --dev tun1 --sock-fd "udp:$LOCAL:4503"
accepted "attach again after the refusals" sock_attach --dev tun0 --sock-fd "udp:$LOCAL:4500"
batch_run
check_output_matches "DEV_GET: socket on port 4500" '"sock_port": 4500' esp_ctl t dev-get tun0

check_cmp "the SA count is unchanged by the refused requests" "$(sa_count t)" -eq "$count"
check_output_matches "and they are the same two SAs" \
	'^4096 in 4096 out $' sh -c "$(printf '%q ' ip netns exec "$(ns t)" "${ESP_CTL[@]}" sa-dump tun0) | jq -j '.[] | .sa | \"\(.spi) \(.dir) \"'"

ksft_exit
