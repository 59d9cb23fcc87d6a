// SPDX-License-Identifier: GPL-2.0-only
/*
 * The steps of keyer_nhrp_plan() as genetlink requests: the same ones
 * "dmvpnctl nhrp ..." sends, so the module checks them the same way.
 */
#include <errno.h>
#include <string.h>

#include <linux/dmvpn.h>

#include "log.h"
#include "nhrp_apply.h"

struct apply_ctx {
	struct dm_nl *nl;
	uint32_t ifindex;
	const char *cfg_name;
	unsigned int refused, done;
};

static const char *step_name(enum keyer_nhrp_step step)
{
	switch (step) {
	case NHRP_STEP_MAP_DEL: return "no ip nhrp map";
	case NHRP_STEP_NHS_DEL: return "no ip nhrp nhs";
	case NHRP_STEP_MCAST_DEL: return "no ip nhrp map multicast";
	case NHRP_STEP_MAP_ADD: return "ip nhrp map";
	case NHRP_STEP_MCAST_ADD: return "ip nhrp map multicast";
	case NHRP_STEP_SETTINGS: return "ip nhrp settings";
	case NHRP_STEP_NHS_ADD: return "ip nhrp nhs";
	}
	return "?";
}

static int put_step(struct nl_msg *msg, enum keyer_nhrp_step step, const void *item,
		    unsigned int *line, char *what, size_t whatlen)
{
	char a[DM_ADDR_STRLEN];

	switch (step) {
	case NHRP_STEP_MAP_DEL:
	case NHRP_STEP_MAP_ADD: {
		const struct keyer_nhrp_map *m = item;
		struct dm_nhrp_entry e = { .proto = m->proto, .nbma = m->nbma };

		*line = m->line;
		snprintf(what, whatlen, "%s %s", step_name(step), dm_addr_fmt(&m->proto, a, sizeof(a)));
		return dm_put_nhrp(msg, &e);
	}
	case NHRP_STEP_NHS_DEL:
	case NHRP_STEP_NHS_ADD: {
		const struct keyer_nhrp_nhs *s = item;
		struct dm_nhs nhs = { .proto = s->proto, .nbma = s->nbma,
				      .has_priority = s->has_priority, .priority = s->priority };

		*line = s->line;
		snprintf(what, whatlen, "%s %s", step_name(step), dm_addr_fmt(&s->proto, a, sizeof(a)));
		return dm_put_nhs(msg, &nhs);
	}
	case NHRP_STEP_MCAST_DEL:
	case NHRP_STEP_MCAST_ADD: {
		const struct keyer_nhrp_mcast *m = item;

		*line = m->line;
		snprintf(what, whatlen, "%s %s", step_name(step), dm_addr_fmt(&m->nbma, a, sizeof(a)));
		return dm_put_mcast(msg, &m->nbma);
	}
	case NHRP_STEP_SETTINGS: {
		const struct keyer_nhrp_settings *s = item;
		const struct keyer_nhrp *n = s->new;
		struct dm_nhrp_conf c = {
			.has_network_id = KEYER_NHRP_CHANGED(s, network_id),
			.network_id = n->network_id,
			.has_holdtime = KEYER_NHRP_CHANGED(s, holdtime), .holdtime = n->holdtime,
			.has_reg_interval = KEYER_NHRP_CHANGED(s, reg_timeout),
			.reg_interval = n->reg_timeout,
			.has_redirect = KEYER_NHRP_CHANGED(s, redirect), .redirect = n->redirect,
			.has_shortcut = KEYER_NHRP_CHANGED(s, shortcut), .shortcut = n->shortcut,
			.has_mcast_dynamic = KEYER_NHRP_CHANGED(s, mcast_dynamic),
			.mcast_dynamic = n->mcast_dynamic,
			.has_reg_no_unique = KEYER_NHRP_CHANGED(s, no_unique),
			.reg_no_unique = n->no_unique,
		};
		size_t len = strlen(n->auth);
		int err;

		*line = n->line ? n->line : s->old->line;
		snprintf(what, whatlen, "ip nhrp settings (network-id %u, holdtime %u)",
			 n->network_id, n->holdtime);
		if (KEYER_NHRP_CHANGED(s, auth) && len) {
			c.has_auth = true;
			memcpy(c.auth, n->auth, len);
			c.auth_len = len;
		} else if (KEYER_NHRP_CHANGED(s, auth)) {
			c.auth_clear = true;
		}
		err = dm_put_nhrp_conf(msg, &c);
		explicit_bzero(c.auth, sizeof(c.auth));
		return err;
	}
	}
	return -EINVAL;
}

static void send_step(void *arg, enum keyer_nhrp_step step, const void *item)
{
	static const uint8_t cmd[] = {
		[NHRP_STEP_MAP_DEL] = DMVPN_CMD_NHRP_DEL,
		[NHRP_STEP_NHS_DEL] = DMVPN_CMD_NHS_DEL,
		[NHRP_STEP_MCAST_DEL] = DMVPN_CMD_MCAST_DEL,
		[NHRP_STEP_MAP_ADD] = DMVPN_CMD_NHRP_ADD,
		[NHRP_STEP_MCAST_ADD] = DMVPN_CMD_MCAST_ADD,
		[NHRP_STEP_SETTINGS] = DMVPN_CMD_NHRP_CONF_SET,
		[NHRP_STEP_NHS_ADD] = DMVPN_CMD_NHS_ADD,
	};
	struct apply_ctx *ctx = arg;
	struct nl_msg *msg = dm_msg_alloc(ctx->nl->family, cmd[step], 0);
	char what[128] = "", why[256];
	unsigned int line = 0;
	bool deleting = step == NHRP_STEP_MAP_DEL || step == NHRP_STEP_NHS_DEL ||
			step == NHRP_STEP_MCAST_DEL;
	int err;

	if (!msg || dm_put_ifindex(msg, ctx->ifindex) ||
	    put_step(msg, step, item, &line, what, sizeof(what))) {
		if (msg)	/* the settings carry the authentication key */
			explicit_bzero(nlmsg_hdr(msg), nlmsg_hdr(msg)->nlmsg_len);
		nlmsg_free(msg);
		klog(KLOG_ERR, "NHRP: %s:%u: %s: out of memory", ctx->cfg_name, line, what);
		ctx->refused++;
		return;
	}
	err = dm_nl_talk(ctx->nl, msg, NULL, NULL);
	/* gone already (a hand-made change), or there already: the aim is met */
	if ((err == -ENOENT && deleting) || (err == -EEXIST && step == NHRP_STEP_MCAST_ADD))
		err = 0;
	if (err) {
		klog(KLOG_ERR, "NHRP: %s:%u: %s: the module refused it: %s", ctx->cfg_name, line,
		     what, dm_nl_strerror(ctx->nl, why, sizeof(why)));
		ctx->refused++;
		return;
	}
	klog(KLOG_DEBUG, "NHRP: %s:%u: %s", ctx->cfg_name, line, what);
	ctx->done++;
}

unsigned int nhrp_apply(struct dm_nl *nl, uint32_t ifindex, const char *cfg_name,
			const struct keyer_nhrp *old, const struct keyer_nhrp *new)
{
	struct apply_ctx ctx = { nl, ifindex, cfg_name, 0, 0 };
	size_t steps = keyer_nhrp_plan(old, new, send_step, &ctx);

	if (steps)
		klog(ctx.refused ? KLOG_WARN : KLOG_INFO,
		     "NHRP: %s: %u of %zu configuration changes applied%s", cfg_name,
		     ctx.done, steps, ctx.refused ? " (the others are logged above)" : "");
	return ctx.refused;
}
