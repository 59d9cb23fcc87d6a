#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Wire compatibility with Linux's own IPsec: the hub is a protected dmvpn
# tunnel; spoke1 is a plain ip_gre tunnel protected by xfrm (ESP-in-UDP
# states and policies for proto gre, and a UDP 4500 socket with
# UDP_ENCAP_ESPINUDP so that xfrm receives).  Both ends get the same keys.
#
# Every suite (ESP_ALGS in esp_lib.sh: AES-GCM-128/256, AES-CBC-128/256
# with HMAC-SHA1, SHA-256, SHA-384 and SHA-512, 3DES-CBC with HMAC-SHA1
# and HMAC-MD5, ChaCha20-Poly1305) in transport mode, or in each of
# ESP_XFRM_MODES (esp_xfrm_tunnel.sh runs this with "tunnel": the ESP
# payload is then an IPv4 header NBMA to NBMA, protocol GRE, then the GRE
# packet).  For each: 5 pings each way, counted exactly on both sides
# (xfrm's states, dmvpn's SAs, and the bytes tun0 received: 10 echo
# packets of 84 bytes).  xfrm's tunnel-mode states add TFC padding
# (RFC 4303 2.7, "tfcpad"), which only the inner header's length tells
# apart from the datagram.  1 MB over TCP both ways, SHA-256 compared, for
# ESP_XFRM_TCP ("mode/suite" words, or "all"; default one AEAD and one
# cipher+HMAC suite per mode).  No cleartext GRE crosses the router.
#
# A protected dmvpn tunnel does not use the GRE demultiplexer, so ip_gre
# may be loaded beside it.  XFRM_BOTH=1 makes the hub an xfrm+ip_gre end
# too (checks the xfrm half on its own).
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/esp_lib.sh"

require_userland
require_module
require_cmd socat jq sha256sum ethtool
modinfo ip_gre >/dev/null 2>&1 || skip "ip_gre is not available as a module in this kernel"
modinfo esp4 >/dev/null 2>&1 || [[ -d /sys/module/esp4 ]] ||
	grep -qs 'CONFIG_INET_ESP=y' "/boot/config-$(uname -r)" ||
	skip "esp4 (xfrm ESP) is not available in this kernel"

read -r -a MODES <<<"${ESP_XFRM_MODES:-transport}"
info "modes: ${MODES[*]}"
TCP_COMBOS=${ESP_XFRM_TCP:-transport/aes128gcm16 transport/3des-sha1 tunnel/chacha20poly1305 tunnel/aes256-sha256}
# xfrm pads each tunnel-mode payload shorter than this (a ping's is 128
# bytes); TCP's full-sized segments are left as they are.
TFC_PAD=256
PINGS=5
# An echo request or reply with ping's default 56 data bytes.
ECHO_BYTES=84
WORK=$(mktemp -d)
defer rm -rf "$WORK"

topo_phase1
nft_counters_up inet
# ip_gre may stay in use until the namespaces are gone; the runner
# unloads it after the test in any case.
defer rmmod ip_gre
load_ip_gre

# xfrm_alg ALG ENC AUTH: the "ip xfrm state" algorithm words.
xfrm_alg() {
	local bits
	case $1 in
	aes128gcm16 | aes256gcm16) echo "aead rfc4106(gcm(aes)) 0x$2 128" ;;
	chacha20poly1305) echo "aead rfc7539esp(chacha20,poly1305) 0x$2 128" ;;
	aes*-sha1) echo "enc cbc(aes) 0x$2 auth-trunc hmac(sha1) 0x$3 96" ;;
	aes*-sha256 | aes*-sha384 | aes*-sha512)
		bits=${1##*-sha}
		echo "enc cbc(aes) 0x$2 auth-trunc hmac(sha$bits) 0x$3 $((bits / 2))"
		;;
	3des-sha1) echo "enc cbc(des3_ede) 0x$2 auth-trunc hmac(sha1) 0x$3 96" ;;
	3des-md5) echo "enc cbc(des3_ede) 0x$2 auth-trunc hmac(md5) 0x$3 96" ;;
	*) die "no xfrm spelling for $1" ;;
	esac
}

# xfrm_gre_end ROLE LOCAL REMOTE ADDR: ip_gre tunnel gre1 to REMOTE with
# key 42, ADDR/24, plus the ESP-in-UDP receive socket.
xfrm_gre_end() {
	local role=$1 local_nbma=$2 remote=$3 addr=$4
	require ip -n "$(ns "$role")" link add gre1 type gre local "$local_nbma" remote "$remote" key 42
	defer ip -n "$(ns "$role")" link del gre1
	require run "$role" sysctl -qw net.ipv6.conf.gre1.disable_ipv6=1
	require ip -n "$(ns "$role")" addr add "$addr/$TUN_PREFIX" dev gre1
	require ip -n "$(ns "$role")" link set gre1 up
	# SO_TIMESTAMP: while one socket wants receive timestamps the
	# kernel's netstamp_needed_key stays on.  Otherwise each of the many
	# pings switches it on and off again, and every switch patches
	# kernel text live (int3, then the new instruction); the 6.12 guest
	# once died of that while a packet crossed the patched netif_rx
	# ("Oops: int3" in netif_rx_internal, ip_gre -> esp4 -> veth), in
	# the emulator rather than in any tunnel code.
	bg "$role" python3 -c '
import socket, sys, time
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
s.bind((sys.argv[1], 4500))
s.setsockopt(socket.IPPROTO_UDP, 100, 2)   # UDP_ENCAP, UDP_ENCAP_ESPINUDP
s.setsockopt(socket.SOL_SOCKET, 29, 1)          # SO_TIMESTAMP
open(sys.argv[2], "w").close()
time.sleep(1e6)' "$local_nbma" "$WORK/$role.encap"
	retry 10 test -e "$WORK/$role.encap" || die "the UDP_ENCAP socket in $role did not start"
}

# xfrm_keys ROLE LOCAL REMOTE MODE ALG SPI_OUT KEY_OUT AUTH_OUT SPI_IN
# KEY_IN AUTH_IN: replaces the states and policies of ROLE's end, in one
# "ip -batch" (one process: they are many, and the guest is slow).
xfrm_keys() {
	local role=$1 l=$2 r=$3 mode=$4 alg=$5 so=$6 ko=$7 ao=$8 si=$9 ki=${10} ai=${11}
	local encap="encap espinudp 4500 4500 0.0.0.0" pad=''
	[[ "$mode" != tunnel ]] || pad="tfcpad $TFC_PAD"
	require nsrun "$role" ip -batch - <<-EOF
		xfrm state flush
		xfrm policy flush
		xfrm state add src $l dst $r proto esp spi $so reqid 1 mode $mode $encap $pad $(xfrm_alg "$alg" "$ko" "$ao")
		xfrm state add src $r dst $l proto esp spi $si reqid 2 mode $mode $encap $(xfrm_alg "$alg" "$ki" "$ai")
		xfrm policy add src $l/32 dst $r/32 proto gre dir out tmpl src $l dst $r proto esp reqid 1 mode $mode
		xfrm policy add src $r/32 dst $l/32 proto gre dir in tmpl src $r dst $l proto esp reqid 2 mode $mode
	EOF
}

# xfrm_packets ROLE SPI...: packets through each of ROLE's xfrm states
# SPI (decimal), one a line, in that order; "none" for a missing state.
xfrm_packets() {
	local role=$1 spi want=()
	shift
	for spi in "$@"; do
		want+=("$(printf '0x%08x' "$spi")")
	done
	nsrun "$role" ip -s xfrm state list | awk -v want="${want[*]}" '
		$1 == "proto" && $2 == "esp" { spi = $4; sub(/\(.*/, "", spi) }
		/lifetime current:/ {
			getline; sub(/.*, */, ""); sub(/\(packets\).*/, ""); n[spi] = $0 }
		END {
			k = split(want, w, " ")
			for (j = 1; j <= k; j++) print (w[j] in n) ? n[w[j]] : "none"
		}'
}

# dmvpn_sa_packets ROLE IN_SPI OUT_SPI: the packet counters of ROLE's
# inbound SA IN_SPI and outbound SA OUT_SPI, one a line.
dmvpn_sa_packets() {
	nsrun "$1" "$DMVPNCTL" -j show crypto ipsec sa dev tun0 |
		jq -r --argjson in "$2" --argjson out "$3" '
			([.[] | .inbound_esp_sas[]? | select(.spi == $in) | .stats.packets] | add // "none"),
			([.[] | .outbound_esp_sas[]? | select(.spi == $out) | .stats.packets] | add // "none")'
}

# rx_bytes ROLE: bytes tun0 received (/proc/net/dev shows the reader's
# namespace; no jq to start).
rx_bytes() {
	# shellcheck disable=SC2016 # awk's own $2
	nsrun "$1" awk '$1 == "tun0:" { print $2 }' /proc/net/dev
}

# tcp_settled ROLE...: no TCP connection is still exchanging packets
# (TIME-WAIT sends nothing unless its peer retransmits, and LAST-ACK is
# the peer that would): the next suite's counters then see only its own.
tcp_settled() {
	local role
	for role in "$@"; do
		[[ -z "$(nsrun "$role" ss -Htn state established state syn-sent state syn-recv \
			state fin-wait-1 state fin-wait-2 state close-wait state last-ack state closing)" ]] ||
			return 1
	done
}

xfrm_gre_end spoke1 "$SPOKE1_NBMA" "$HUB_NBMA" "$SPOKE1_TUN"
if [[ -n "${XFRM_BOTH:-}" ]]; then
	xfrm_gre_end hub "$HUB_NBMA" "$SPOKE1_NBMA" "$HUB_TUN"
else
	defer delete_tunnels hub
	protected_tunnel_up hub "$HUB_NBMA" "$HUB_TUN" key 42
	nhrp_map hub "$SPOKE1_TUN" "$SPOKE1_NBMA"
	attach_socket hub
fi
check_output_matches "ip_gre is loaded beside a protected dmvpn tunnel" '^ip_gre ' \
	sh -c 'grep "^ip_gre " /proc/modules'

esp_data_make
# Once here rather than in every command substitution.
esp_detect
i=0
for mode in "${MODES[@]}"; do
	nft_reset inet
	for alg in "${ESP_ALGS[@]}"; do
		i=$((i + 1))
		what="$mode $alg"
		start=$SECONDS
		s1_to_hub=$((0x1000 + i)) hub_to_s1=$((0x2000 + i))
		esp_keys "$alg"
		k1=$ENC_KEY a1=$AUTH_KEY
		esp_keys "$alg"
		k2=$ENC_KEY a2=$AUTH_KEY
		# Fresh states and SAs count from zero: no warm-up ping, whose
		# late answer could land in the count; the first ping must
		# pass like the others.
		xfrm_keys spoke1 "$SPOKE1_NBMA" "$HUB_NBMA" "$mode" "$alg" \
			"$s1_to_hub" "$k1" "$a1" "$hub_to_s1" "$k2" "$a2"
		if [[ -n "${XFRM_BOTH:-}" ]]; then
			xfrm_keys hub "$HUB_NBMA" "$SPOKE1_NBMA" "$mode" "$alg" \
				"$hub_to_s1" "$k2" "$a2" "$s1_to_hub" "$k1" "$a1"
		else
			require crypto_ctl hub clear crypto sa dev tun0
			ENC_KEY=$k1 AUTH_KEY=$a1 require sa_add hub in "$s1_to_hub" "$SPOKE1_NBMA" "$alg" mode "$mode"
			ENC_KEY=$k2 AUTH_KEY=$a2 require sa_add hub out "$hub_to_s1" "$SPOKE1_NBMA" "$alg" mode "$mode"
			rx0=$(rx_bytes hub)
		fi
		check_cmp "$what: $PINGS pings xfrm spoke1 -> dmvpn hub" \
			"$(ping_count spoke1 "$HUB_TUN" "$PINGS" -i 0.1 -W 2)" -eq "$PINGS"
		check_cmp "$what: $PINGS pings dmvpn hub -> xfrm spoke1" \
			"$(ping_count hub "$SPOKE1_TUN" "$PINGS" -i 0.1 -W 2)" -eq "$PINGS"
		{ read -r xout && read -r xin; } < <(xfrm_packets spoke1 "$s1_to_hub" "$hub_to_s1")
		check_cmp "$what: xfrm out state: exactly $((2 * PINGS)) packets" "$xout" -eq $((2 * PINGS))
		check_cmp "$what: xfrm in state: exactly $((2 * PINGS)) packets" "$xin" -eq $((2 * PINGS))
		if [[ -z "${XFRM_BOTH:-}" ]]; then
			{ read -r din && read -r dout; } < <(dmvpn_sa_packets hub "$s1_to_hub" "$hub_to_s1")
			check_cmp "$what: dmvpn in SA: exactly $((2 * PINGS)) packets" "$din" -eq $((2 * PINGS))
			check_cmp "$what: dmvpn out SA: exactly $((2 * PINGS)) packets" "$dout" -eq $((2 * PINGS))
			check_cmp "$what: tun0 received exactly the echo packets' bytes" \
				"$(($(rx_bytes hub) - rx0))" -eq $((2 * PINGS * ECHO_BYTES))
		fi
		if [[ " $TCP_COMBOS " == *" $mode/$alg "* || "$TCP_COMBOS" == all ]]; then
			check "$what: 1 MB TCP xfrm spoke1 -> dmvpn hub, sha256 matches" \
				tcp_copy spoke1 hub "$HUB_TUN" $((5000 + 2 * i))
			check "$what: 1 MB TCP dmvpn hub -> xfrm spoke1, sha256 matches" \
				tcp_copy hub spoke1 "$SPOKE1_TUN" $((5001 + 2 * i))
			retry 10 tcp_settled hub spoke1 ||
				info "$what: TCP connections still open after 10 s"
		fi
		info "$what: $((SECONDS - start)) s"
	done
	check_cmp "$mode: router: no GRE in clear" "$(nft_packets inet gre)" -eq 0
	check_cmp "$mode: router: no bare ESP" "$(nft_packets inet esp)" -eq 0
	check_cmp "$mode: router: nothing but UDP 4500" "$(nft_packets inet other)" -eq 0
done
if [[ -z "${XFRM_BOTH:-}" ]]; then
	info "hub tun0 drop counters:"
	nsrun hub ethtool -S tun0 | awk 'NR > 1 && $2 != 0' || true
fi
nsrun spoke1 ip -s xfrm state | sed 's/^/INFO: /' | sed -n 1,40p

ksft_exit
