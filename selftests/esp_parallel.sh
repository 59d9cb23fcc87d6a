#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# parallel_crypto: with the module parameter set (at load, or at run time
# for the SAs added after), each SA's AEAD is wrapped in pcrypt, which
# spreads the crypto of one SA over every CPU and completes it outside
# the submitting context.  The tunnel must still carry every byte, in
# order, with nothing counted as a replay:
#  - the new SAs run on a pcrypt instance (/proc/crypto), the ones added
#    before the switch keep their transform;
#  - N pings move each SA's packet counter by exactly N;
#  - 1 MB over TCP each way, then four 1 MB streams at once in both
#    directions, SHA-256 compared;
#  - no drop counter moved on either side.
# At the end the parameter goes back to 0 and pcrypt is unloaded, so the
# tests after this one get the plain transforms again.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/esp_lib.sh"

require_userland
require_module
require_cmd socat jq sha256sum ethtool

PARAM=/sys/module/dmvpn/parameters/parallel_crypto
[[ -w "$PARAM" ]] || skip "this dmvpn.ko has no parallel_crypto parameter"
# pcrypt registers /sys/kernel/pcrypt, built in (the debug kernel) or
# loaded; a built-in one has no /sys/module entry.
modprobe pcrypt 2>/dev/null || true
[[ -d /sys/kernel/pcrypt ]] || skip "no pcrypt in this kernel"
defer rmmod pcrypt
defer sh -c "echo 0 >$PARAM"

ALG=aes128gcm16
protected_pair
attach_socket hub
attach_socket spoke1

# References on the suite's pcrypt instances beyond their registration:
# the transforms (and lookups) using them.
pcrypt_users() {
	awk '/^name/ { name = $3 } /^driver/ { drv = $3 } /^refcnt/ { ref = $3 }
	     /^$/ { if (drv ~ /^pcrypt\(/ && name == "rfc4106(gcm(aes))") n += ref - 1 }
	     END { print n + 0 }' /proc/crypto
}

# An SA pair before the switch: a plain transform.
users0=$(pcrypt_users)
sa_pair spoke1 "$SPOKE1_NBMA" hub "$HUB_NBMA" "$ALG" 0x1001 0x2001
check_cmp "SAs added before the switch: no pcrypt transform" "$(pcrypt_users)" -eq "$users0"
check "ping over the plain SAs" retry 15 run spoke1 ping -c1 -W1 "$HUB_TUN"

# The switch, then a second pair, which replaces the first as outbound.
echo 1 >"$PARAM"
check_output_matches "parallel_crypto reads back as set" '^(1|Y)$' cat "$PARAM"
sa_pair spoke1 "$SPOKE1_NBMA" hub "$HUB_NBMA" "$ALG" 0x1002 0x2002
check_cmp "the new SAs hold the pcrypt instance" "$(pcrypt_users)" -gt "$users0"
require crypto_ctl spoke1 crypto sa del dev tun0 dir out spi 0x1001 peer "$HUB_NBMA"
require crypto_ctl hub crypto sa del dev tun0 dir out spi 0x2001 peer "$SPOKE1_NBMA"

hub_before=$(estats_snapshot hub)
s1_before=$(estats_snapshot spoke1)
out0=$(sa_packets spoke1 out 0x1002)
in0=$(sa_packets hub in 0x1002)
check_cmp "20 pings spoke1 -> hub over pcrypt" \
	"$(ping_count spoke1 "$HUB_TUN" 20 -i 0.05 -W 2)" -eq 20
check_cmp "spoke1's outbound SA counted exactly 20" "$(($(sa_packets spoke1 out 0x1002) - out0))" -eq 20
check_cmp "hub's inbound SA counted exactly 20" "$(($(sa_packets hub in 0x1002) - in0))" -eq 20

esp_data_make
check "1 MB TCP spoke1 -> hub, sha256 matches" tcp_copy spoke1 hub "$HUB_TUN" 5001
check "1 MB TCP hub -> spoke1, sha256 matches" tcp_copy hub spoke1 "$SPOKE1_TUN" 5002

# Four streams at once, two each way: several CPUs submit to the same SAs.
# stream FROM TO ADDR PORT: one copy of $ESP_DATA into $ESP_DATA.PORT.
stream() {
	local from=$1 to=$2 addr=$3 port=$4 pid rc=0
	ip netns exec "$(ns "$to")" timeout 120 \
		socat -u "TCP-LISTEN:$port,bind=$addr,reuseaddr" "CREATE:$ESP_DATA.$port" &
	pid=$!
	# four listeners start at once: slow under TCG (and KASAN)
	retry 30 run "$to" sh -c "ss -Hltn 'sport = :$port' | grep -q ." || { kill "$pid"; return 1; }
	run "$from" timeout 120 socat -u "OPEN:$ESP_DATA" "TCP:$addr:$port,connect-timeout=10" || rc=$?
	wait "$pid" || rc=$?
	return "$rc"
}
pids=()
stream spoke1 hub "$HUB_TUN" 5101 & pids+=($!)
stream spoke1 hub "$HUB_TUN" 5102 & pids+=($!)
stream hub spoke1 "$SPOKE1_TUN" 5103 & pids+=($!)
stream hub spoke1 "$SPOKE1_TUN" 5104 & pids+=($!)
failed=0
for pid in "${pids[@]}"; do
	wait "$pid" || failed=$((failed + 1))
done
check_cmp "4 concurrent streams finished" "$failed" -eq 0
want=$(sha256sum <"$ESP_DATA" | cut -d' ' -f1)
for port in 5101 5102 5103 5104; do
	check_output_matches "stream $port: sha256 matches" "^$want\$" \
		sh -c "sha256sum <'$ESP_DATA.$port' | cut -d' ' -f1"
done

check_estats_delta "hub: no drop counter moved" hub "$hub_before" ""
check_estats_delta "spoke1: no drop counter moved" spoke1 "$s1_before" ""
check_cmp "hub: no replay on the pcrypt SA" "$(sa_field hub in 0x1002 '.stats.replay // 0')" -eq 0

ksft_exit
