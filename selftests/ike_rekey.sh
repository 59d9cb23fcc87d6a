#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# dmvpnd rekeys under traffic through the module: hub and spoke1 keyed by
# dmvpnd with a 120 s phase-2 lifetime (IOS's minimum).  The module's
# soft-expire (about 90 %) makes dmvpnd negotiate a new pair; the
# responder's new outbound SA goes in only at QM3, so each side switches
# only when the other can receive.  Checks, with a 5 pps ping running
# across the whole lifetime:
#  - a "soft-expired, rekeying" line and a second quick mode;
#  - new SPIs in use after the rekey, the old pair gone after its hard
#    expiry (hard-expire event, delete notification to the peer);
#  - not one ping lost.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/esp_lib.sh"

require_userland
require_module
DMVPND=$REPO/userland/dmvpnd
[[ -x $DMVPND ]] || die "$DMVPND missing (make -C userland)"
WORK=$(mktemp -d)
defer rm -rf "$WORK"



protected_pair
dmvpnd_conf "$WORK/hub.conf" "$HUB_NBMA" "crypto isakmp key cisco123 address 0.0.0.0 0.0.0.0" "esp-gcm 256" " set security-association lifetime seconds 120"
dmvpnd_conf "$WORK/spoke1.conf" "$SPOKE1_NBMA" "crypto isakmp key cisco123 address $HUB_NBMA" "esp-gcm 256" " set security-association lifetime seconds 120"

show_logs() {
	local f
	for f in hub spoke1; do
		[[ -e $WORK/$f.log ]] && sed "s/^/$f: /" "$WORK/$f.log"
	done
	return 0
}
bg hub "$DMVPND" -v -c "$WORK/hub.conf" 2>"$WORK/hub.log"
bg spoke1 "$DMVPND" -v -c "$WORK/spoke1.conf" -i "$HUB_NBMA" 2>"$WORK/spoke1.log"
retry 60 sa_count_is spoke1 2 || { show_logs; die "spoke1 was not keyed"; }
retry 30 sa_count_is hub 2 || { show_logs; die "the hub has no pair"; }
spi_before=$(sa_json spoke1 | jq -r '[.[].sa.spi] | sort | join(",")')
info "first pair: $spi_before"

# 140 s of traffic at 5 pps: past the soft (about 108 s) and hard (120 s)
# lifetimes of the first pair
run spoke1 ping -q -i 0.2 -c 700 -W 2 "$HUB_TUN" >"$WORK/ping.txt" 2>&1 || true
check_output_matches "spoke1 or the hub rekeyed on the module's soft-expire" \
	'soft-expired, rekeying' cat "$WORK/hub.log" "$WORK/spoke1.log"
spi_after=$(sa_json spoke1 | jq -r '[.[].sa.spi] | sort | join(",")')
info "now: $spi_after"
check "spoke1 uses new SAs" test "$spi_after" != "$spi_before"
for spi in ${spi_before//,/ }; do
	check "the first pair's SA $spi is gone" test "${spi_after/$spi/}" == "$spi_after"
done
check_cmp "the old pair is gone (2 SAs left on spoke1)" "$(sa_count spoke1)" -eq 2
check_cmp "the old pair is gone (2 SAs left on the hub)" "$(sa_count hub)" -eq 2
check_output_matches "not one ping lost across the rekey" \
	'700 packets transmitted, 700 received' cat "$WORK/ping.txt"
show_logs
ksft_exit
