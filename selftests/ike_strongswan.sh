#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# userland/tests/ike_netns.sh in the guest, where the kernel has ESP in
# xfrm: strongSwan's charon installs its SAs for real, so every case runs
# (charon as initiator too) and the keys are compared with "ip xfrm
# state".  dmvpnd uses its record backend here (no module involved).
. "$(dirname "$0")/lib.sh"

require_cmd python3
[[ -x $REPO/userland/dmvpnd ]] || die "userland/dmvpnd missing (make -C userland)"
[[ -x /usr/lib/ipsec/charon ]] || skip "strongSwan charon is not installed"
# its KTAP shows in the log whatever the outcome
"$REPO/userland/tests/ike_netns.sh" 2>&1 | sed 's/^/  /'
if ((PIPESTATUS[0] == 0)); then
	printf 'PASS: %s\n' "ike_netns.sh: dmvpnd <-> dmvpnd and strongSwan"
else
	fail "ike_netns.sh: dmvpnd <-> dmvpnd and strongSwan"
fi
ksft_exit
