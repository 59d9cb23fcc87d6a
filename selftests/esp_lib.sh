#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Sourced after lib.sh by the tunnel-protection (ESP-in-UDP) selftests:
# protected tunnels, manual keying, SA counters, nftables counters in
# the "inet" router, and ethtool counter snapshots.
#
# Configuration goes through dmvpnctl's crypto commands when dmvpnctl has
# them, else through tools/esp_ctl.py, which takes the same grammar.
# Counters are read with esp_ctl.py (the raw genetlink dump as JSON), so a
# test does not depend on dmvpnctl's display format.

# Python starts slowly in the emulated guest, which reads every file over
# 9p and cannot write bytecode next to the sources: cache the bytecode in
# /tmp, and import the tools rather than run them as scripts (a script's
# own bytecode is never cached).  -S: they need nothing from site-packages.
export PYTHONPYCACHEPREFIX=${PYTHONPYCACHEPREFIX:-/tmp/dmvpn-selftests-pycache}
ESP_CTL=(python3 -S -c 'import sys; sys.dont_write_bytecode = False; sys.path.insert(0, sys.argv.pop(1)); import esp_ctl; sys.exit(esp_ctl.cli())'
	"$SELFTESTS_DIR/tools")
# shellcheck disable=SC2034 # used by the tests that source this
ESP_INJECT=(python3 -S -c 'import sys; sys.dont_write_bytecode = False; sys.path.insert(0, sys.argv.pop(1)); import esp_inject; sys.exit(esp_inject.main())'
	"$SELFTESTS_DIR/tools")
# The 13 real suites, and the default.
# shellcheck disable=SC2034 # used by the tests that source this
ESP_ALGS=(aes128gcm16 aes256gcm16 aes128-sha1 aes128-sha256 aes128-sha384
	aes128-sha512 aes256-sha1 aes256-sha256 aes256-sha384 aes256-sha512
	3des-sha1 3des-md5 chacha20poly1305)
ESP_ALG=${ESP_ALG:-aes256gcm16}

# nsrun ROLE CMD...: CMD in ROLE's network namespace, as "run" does but
# without the mount namespace and /sys remount of "ip netns exec" (half a
# second each in the emulated guest); for commands that need only the
# network namespace.
nsrun() {
	local role=$1 path
	shift
	path=/run/netns/$(ns "$role")
	if [[ -e "$path" ]] && command -v nsenter >/dev/null 2>&1; then
		nsenter --net="$path" "$@"
	else
		run "$role" "$@"
	fi
}

# esp_detect: ESP_USE_TOOL=1 unless dmvpnctl has the crypto commands.
esp_detect() {
	[[ -z "${ESP_USE_TOOL:-}" ]] || return 0
	if "$DMVPNCTL" help 2>&1 | grep -q 'crypto sa add'; then
		ESP_USE_TOOL=0
	else
		ESP_USE_TOOL=1
		info "dmvpnctl has no crypto commands; using tools/esp_ctl.py"
	fi
}

# crypto_ctl ROLE ARGS...: a dmvpnctl crypto command (crypto socket ...,
# crypto sa ..., clear crypto sa ...) in ROLE's namespace.
# ESP_USE_TOOL=1 forces esp_ctl.py.
crypto_ctl() {
	local role=$1
	shift
	esp_detect
	if [[ "$ESP_USE_TOOL" == 1 ]]; then
		nsrun "$role" "${ESP_CTL[@]}" "$@"
	else
		nsrun "$role" "$DMVPNCTL" "$@"
	fi
}

# esp_ctl ROLE ARGS...: tools/esp_ctl.py in ROLE's namespace.
esp_ctl() {
	local role=$1
	shift
	nsrun "$role" "${ESP_CTL[@]}" "$@"
}

# protected_tunnel_up ROLE LOCAL_NBMA TUNNEL_ADDR [ip link options...]:
# tun0 created with "protect", IPv6 off (so that nothing but the test's
# own traffic crosses it), TUNNEL_ADDR/24, up.
protected_tunnel_up() {
	local role=$1 local_nbma=$2 addr=$3 out
	shift 3
	if ! out=$(ip -n "$(ns "$role")" link add tun0 type dmvpn local "$local_nbma" "$@" protect 2>&1); then
		# A plugin without "protect": the raw attribute.
		[[ $# -eq 0 ]] || die "ip link add ... protect failed: $out"
		info "ip link add ... protect failed ($out); using rtnl_raw.py"
		require run "$role" python3 "$RTNL_RAW" newlink tun0 \
			--attr "LOCAL=ipv4:$local_nbma" --attr PROTECT=u8:1
	fi
	require run "$role" sysctl -qw net.ipv6.conf.tun0.disable_ipv6=1
	require ip -n "$(ns "$role")" addr add "$addr/$TUN_PREFIX" dev tun0
	require ip -n "$(ns "$role")" link set tun0 up
}

# protected_pair: topo_phase1 with protected tunnels on the hub and spoke1
# only, each mapping the other statically; deleted at exit.  The UDP
# sockets and SAs are left to the test.
protected_pair() {
	topo_phase1
	defer delete_tunnels hub spoke1
	protected_tunnel_up hub "$HUB_NBMA" "$HUB_TUN"
	protected_tunnel_up spoke1 "$SPOKE1_NBMA" "$SPOKE1_TUN"
	nhrp_map hub "$SPOKE1_TUN" "$SPOKE1_NBMA"
	nhrp_map spoke1 "$HUB_TUN" "$HUB_NBMA"
}

# attach_socket ROLE: the tunnel's UDP 4500 socket, bound to its local address.
attach_socket() {
	require crypto_ctl "$1" crypto socket attach dev tun0
}

# hexrand N: N random bytes in hex.
hexrand() {
	head -c "$1" /dev/urandom | od -An -tx1 -v | tr -d ' \n'
}

# esp_keys ALG: sets ENC_KEY and AUTH_KEY ("" for none) to fresh random
# keys of the suite's lengths (enum dmvpn_esp_alg; GCM and ChaCha20 take
# 4 bytes of salt after the key).
esp_keys() {
	local enc auth hex
	case $1 in
	aes128gcm16) enc=20 auth=0 ;;
	aes256gcm16 | chacha20poly1305) enc=36 auth=0 ;;
	aes128-sha1) enc=16 auth=20 ;;
	aes128-sha256) enc=16 auth=32 ;;
	aes128-sha384) enc=16 auth=48 ;;
	aes128-sha512) enc=16 auth=64 ;;
	aes256-sha1) enc=32 auth=20 ;;
	aes256-sha256) enc=32 auth=32 ;;
	aes256-sha384) enc=32 auth=48 ;;
	aes256-sha512) enc=32 auth=64 ;;
	3des-sha1) enc=24 auth=20 ;;
	3des-md5) enc=24 auth=16 ;;
	null) enc=0 auth=0 ;;
	*) die "esp_keys: unknown suite $1" ;;
	esac
	hex=$(hexrand $((enc + auth)))
	ENC_KEY=${hex:0:$((2 * enc))}
	AUTH_KEY=${hex:$((2 * enc))}
}

# sa_add ROLE DIR SPI PEER_NBMA ALG [more dmvpnctl words...]: one SA with
# the keys in ENC_KEY/AUTH_KEY.  Fails (status) rather than dies.
sa_add() {
	local role=$1 dir=$2 spi=$3 peer=$4 alg=$5
	local -a keys=()
	shift 5
	[[ -z "$ENC_KEY" ]] || keys+=(key "$ENC_KEY")
	[[ -z "$AUTH_KEY" ]] || keys+=(auth-key "$AUTH_KEY")
	crypto_ctl "$role" crypto sa add dev tun0 dir "$dir" spi "$spi" peer "$peer" \
		alg "$alg" "${keys[@]}" "$@"
}

# sa_pair ROLE_A NBMA_A ROLE_B NBMA_B ALG SPI_AB SPI_BA [words...]: the
# two SAs A->B (SPI_AB, chosen by B) and B->A (SPI_BA), each installed
# outbound on the sender and inbound on the receiver, inbound first; each
# direction has its own keys.  Dies if any is refused.
sa_pair() {
	local ra=$1 na=$2 rb=$3 nb=$4 alg=$5 sab=$6 sba=$7
	shift 7
	esp_keys "$alg"
	require sa_add "$rb" in "$sab" "$na" "$alg" "$@"
	require sa_add "$ra" out "$sab" "$nb" "$alg" "$@"
	esp_keys "$alg"
	require sa_add "$ra" in "$sba" "$nb" "$alg" "$@"
	require sa_add "$rb" out "$sba" "$na" "$alg" "$@"
}

# sa_json ROLE: every SA of ROLE's tun0, as esp_ctl.py sa-dump lists
# them: [{"sa": {"dir", "spi", "alg", "state" (DMVPN_SA_S_* bits), "seq",
# "reqid", "left_secs", "left_kb", "stats": {"packets", ...}}}].  From
# "dmvpnctl -j show crypto ipsec sa" when dmvpnctl has it (a C program
# starts in a fraction of Python's time in the guest), else esp_ctl.py.
sa_json() {
	esp_detect
	if [[ "$ESP_USE_TOOL" == 1 || -n "${ESP_RAW_READS:-}" ]]; then
		esp_ctl "$1" sa-dump tun0
		return
	fi
	nsrun "$1" "$DMVPNCTL" -j show crypto ipsec sa dev tun0 | jq -c '
		def bits: map({"current": 1, "soft-expired": 2}[.] // 0) | add // 0;
		[.[] | (.inbound_esp_sas[] | . + {dir: "in"}),
		       (.outbound_esp_sas[] | . + {dir: "out"})
		     | {sa: (. + {state: (.state | bits)})}]'
}

# sa_field ROLE DIR SPI JQ_PATH: one value of one SA ("" if no such SA),
# e.g. sa_field hub in 4097 .stats.packets
sa_field() {
	sa_json "$1" | jq -r --arg dir "$2" --argjson spi "$(($3))" \
		".[] | .sa | select(.dir == \$dir and .spi == \$spi) | $4 // empty"
}

# sa_packets ROLE DIR SPI: the SA's packet counter (0 if the SA is gone).
sa_packets() {
	local v
	v=$(sa_field "$1" "$2" "$3" .stats.packets)
	echo "${v:-0}"
}

# sa_count ROLE: SAs on tun0, from DEV_GET.
sa_count() {
	esp_ctl "$1" dev-get tun0 | jq -r '.dev.sa_count // 0'
}

# peer_field ROLE PEER_NBMA JQ_PATH: one value of PEER_GET for that peer.
peer_field() {
	esp_ctl "$1" peer-dump tun0 | jq -r --arg a "$2" \
		".[] | .peer | select(.addr == \$a) | $3 // empty"
}

# tun_stat ROLE rx|tx packets|bytes: tun0's interface counter (ip -n: no
# process started in the namespace).
tun_stat() {
	ip -n "$(ns "$1")" -j -s link show tun0 | jq -r ".[0].stats64.$2.$3"
}

# estat ROLE NAME: one "ethtool -S tun0" counter; dies if it is missing.
estat() {
	local v
	v=$(nsrun "$1" ethtool -S tun0 | awk -v name="$2" '
		{ key = $1; sub(/:$/, "", key) }
		key == name { print $2; found = 1 }
		END { exit !found }') || die "ethtool -S tun0 in $1 has no counter $2"
	echo "$v"
}

# estats_snapshot ROLE: every "ethtool -S tun0" counter, "name value" lines.
estats_snapshot() {
	nsrun "$1" ethtool -S tun0 | awk 'NR > 1 { sub(/:$/, "", $1); print $1, $2 }'
}

# estats_delta BEFORE AFTER: the counters that changed, "name +delta" lines.
estats_delta() {
	join <(sort <<<"$1") <(sort <<<"$2") | awk '$3 != $2 { printf "%s +%d\n", $1, $3 - $2 }'
}

# check_estats_delta DESC ROLE BEFORE EXPECTED: the ethtool counters of
# ROLE's tun0 moved exactly as EXPECTED ("name +N" lines, sorted, or "").
check_estats_delta() {
	local desc=$1 role=$2 before=$3 want=$4 got
	got=$(estats_delta "$before" "$(estats_snapshot "$role")" | sort)
	want=$(sort <<<"$want" | sed '/^$/d')
	if [[ "$got" == "$want" ]]; then
		printf 'PASS: %s (%s)\n' "$desc" "$(tr '\n' ' ' <<<"${got:-no change}")"
	else
		fail "$desc"
		printf '  wanted: %s\n  got:    %s\n' "$(tr '\n' ' ' <<<"${want:-no change}")" \
			"$(tr '\n' ' ' <<<"${got:-no change}")"
	fi
}

# ---- nftables counters in the router -------------------------------------

# nft_counters_up ROLE: counters over everything ROLE forwards: gre (IP
# protocol 47), esp (50), udp4500 (UDP to or from port 4500), other
# (anything else).  Anonymous counters told apart by their comments
# (named counter objects need nft_objref, which not every kernel has).
declare -A NFT_BASE=()
nft_counters_up() {
	command -v nft >/dev/null 2>&1 || skip "nft is not installed"
	run "$1" nft list ruleset >/dev/null 2>&1 || skip "nftables is not available in this kernel"
	run "$1" nft -f - <<-'EOF' || die "nft refused the counter rules"
		table inet esptest {
			chain c_fwd {
				type filter hook forward priority 0; policy accept;
				meta l4proto gre counter accept comment "gre"
				meta l4proto esp counter accept comment "esp"
				meta l4proto udp th dport 4500 counter accept comment "udp4500"
				meta l4proto udp th sport 4500 counter accept comment "udp4500"
				counter comment "other"
			}
		}
	EOF
	NFT_BASE=()
}

# nft_raw ROLE NAME: packets counted by the rules commented NAME.
nft_raw() {
	run "$1" nft -j list chain inet esptest c_fwd | jq -r --arg n "$2" '
		[.nftables[] | select(.rule and .rule.comment == $n)
		 | .rule.expr[] | select(.counter) | .counter.packets] | add // 0'
}

# nft_packets ROLE NAME: packets through NAME since nft_counters_up or
# the last nft_reset.
nft_packets() {
	echo $(($(nft_raw "$1" "$2") - ${NFT_BASE[$1/$2]:-0}))
}

# nft_reset ROLE: count from zero again.
nft_reset() {
	local n
	for n in gre esp udp4500 other; do
		NFT_BASE[$1/$n]=$(nft_raw "$1" "$n")
	done
}

# ---- pings and TCP ---------------------------------------------------------

# ping_count ROLE DEST COUNT [ping options]: pings; prints how many answers came.
ping_count() {
	local role=$1 dest=$2 count=$3 out
	shift 3
	out=$(nsrun "$role" ping -n -c "$count" "$@" "$dest" 2>&1 || true)
	sed -nE 's/.* ([0-9]+) (packets )?received.*/\1/p' <<<"$out" | sed -n 1p
}

# tcp_copy FROM TO TO_ADDR PORT: FILE ($ESP_DATA) from FROM to TO over TCP;
# fails if the received bytes differ (sha256).
tcp_copy() {
	local from=$1 to=$2 addr=$3 port=$4 got want pid rc=0
	want=$(sha256sum <"$ESP_DATA" | cut -d' ' -f1)
	rm -f "$ESP_DATA.recv"
	ip netns exec "$(ns "$to")" timeout 120 \
		socat -u "TCP-LISTEN:$port,bind=$addr,reuseaddr" "CREATE:$ESP_DATA.recv" &
	pid=$!
	retry 10 run "$to" sh -c "ss -Hltn 'sport = :$port' | grep -q ." ||
		{ echo "listener on $to:$port did not come up"; kill "$pid"; return 1; }
	run "$from" timeout 120 socat -u "OPEN:$ESP_DATA" "TCP:$addr:$port,connect-timeout=10" || rc=$?
	wait "$pid" || rc=$?
	((rc == 0)) || { echo "socat failed (exit $rc)"; return 1; }
	got=$(sha256sum <"$ESP_DATA.recv" | cut -d' ' -f1)
	if [[ "$got" != "$want" ]]; then
		echo "sha256 differs: sent $want, received $got ($(stat -c %s "$ESP_DATA.recv") bytes)"
		return 1
	fi
}

# esp_data_make: ESP_DATA, 1 MB of random bytes in a directory removed at exit.
esp_data_make() {
	local dir
	dir=$(mktemp -d)
	defer rm -rf "$dir"
	ESP_DATA=$dir/data
	head -c $((1024 * 1024)) /dev/urandom >"$ESP_DATA"
}

# delete_tunnels ROLE...: tun0 of each ROLE, before the namespaces go (an
# attached socket holds its namespace).
delete_tunnels() {
	local role
	for role in "$@"; do
		ip -n "$(ns "$role")" link del tun0 2>/dev/null || true
	done
}

# sa_count_is ROLE N: for retry (which re-runs a command, not a $(...))
sa_count_is() {
	[[ $(sa_count "$1") -eq $2 ]]
}

# dmvpnd_conf FILE NBMA KEY-LINE TRANSFORM [PROFILE-LINE]: a dmvpnd.conf
# for tun0 with seed 003's phase-1 policy (AES-256, SHA-256, PSK, group
# 14), the key line given, one transport-mode transform set and a profile
# (plus PROFILE-LINE, e.g. a lifetime).
dmvpnd_conf() {
	cat >"$1" <<EOC
crypto isakmp policy 10
 encr aes 256
 hash sha256
 authentication pre-share
 group 14
$3
crypto ipsec transform-set TS $4
 mode transport
crypto ipsec profile P
 set transform-set TS
${5:-}
interface tun0
 tunnel source $2
 tunnel protection ipsec profile P
EOC
}
