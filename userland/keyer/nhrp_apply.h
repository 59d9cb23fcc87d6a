/* SPDX-License-Identifier: GPL-2.0-only */
/* Apply dmvpnd.conf's "ip nhrp" lines to the module (nhrp_config.h). */
#ifndef DMVPN_KEYER_NHRP_APPLY_H
#define DMVPN_KEYER_NHRP_APPLY_H

#include <stdint.h>

#include "../lib/dmvpn_nl.h"
#include "nhrp_config.h"

/*
 * Bring the NHRP state of tunnel ifindex from old (what the previous
 * configuration applied; NULL at start) to new.  A step the module
 * refuses is logged with cfg_name:line and the module's reason, and the
 * other steps still go.  Returns the number of refused steps.
 */
unsigned int nhrp_apply(struct dm_nl *nl, uint32_t ifindex, const char *cfg_name,
			const struct keyer_nhrp *old, const struct keyer_nhrp *new);

#endif
