#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Wire compatibility with Linux's own IPsec in tunnel mode: every suite,
# dmvpn against ip_gre + xfrm "mode tunnel" states and policies, with TFC
# padding on xfrm's side.  The transport-mode half is esp_xfrm_interop.sh,
# which does the work; the two halves are separate tests so that each
# stays well inside the per-test time limit of the emulated guests.
ESP_XFRM_MODES=tunnel exec bash "$(dirname "$0")/esp_xfrm_interop.sh" "$@"
