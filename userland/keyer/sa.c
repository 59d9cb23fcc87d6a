// SPDX-License-Identifier: GPL-2.0-only
/* Child SAs and their backends (sa.h). */
#include <errno.h>
#include <fcntl.h>
#include <net/if.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <linux/dmvpn.h>
#include <netlink/msg.h>

#include "../lib/dmvpn_nl.h"
#include "../lib/names.h"
#include "ikecrypto.h"
#include "log.h"
#include "sa.h"

size_t child_keymat_len(uint32_t esp_alg)
{
	const struct dm_esp_alg *a = dm_esp_alg_by_id(esp_alg);

	return a ? a->enc_len + a->auth_len : 0;
}

void child_sa_wipe(struct child_sa *c)
{
	ike_wipe(c->key_in, sizeof(c->key_in));
	ike_wipe(c->key_out, sizeof(c->key_out));
}

uint32_t child_soft_secs(uint32_t hard, uint32_t jitter_seed, bool initiator)
{
	uint32_t soft, spread, jitter;

	if (!hard)
		return 0;
	soft = (uint32_t)((uint64_t)hard * (initiator ? 90 : 95) / 100);
	spread = hard / (initiator ? 50 : 100);
	jitter = spread ? jitter_seed % spread : 0;
	return soft > jitter ? soft - jitter : soft;
}

uint64_t child_soft_kb(uint64_t hard, bool initiator)
{
	return hard / 100 * (initiator ? 90 : 95);
}

static void hex(char *out, const uint8_t *p, size_t n)
{
	static const char d[] = "0123456789abcdef";

	for (size_t i = 0; i < n; i++) {
		out[2 * i] = d[p[i] >> 4];
		out[2 * i + 1] = d[p[i] & 15];
	}
	out[2 * n] = '\0';
}

int child_sa_record_line(const struct child_sa *c, bool in, char *buf,
			 size_t len, bool with_keys)
{
	const struct dm_esp_alg *a = dm_esp_alg_by_id(c->esp_alg);
	const uint8_t *k = in ? c->key_in : c->key_out;
	char enc[2 * 64 + 1], auth[2 * 64 + 1], peer[DM_ADDR_STRLEN];
	int n;

	if (!a)
		return -1;
	hex(enc, k, a->enc_len);
	hex(auth, k + a->enc_len, a->auth_len);
	n = snprintf(buf, len,
		     "dir=%s spi=0x%08x peer=%s port=%u alg=%s mode=%s encap=%s reqid=%u life_secs=%u life_kb=%llu%s%s%s%s",
		     in ? "in" : "out", in ? c->spi_in : c->spi_out,
		     dm_addr_fmt(&c->peer, peer, sizeof(peer)), c->peer_port,
		     a->name, c->mode == DMVPN_SA_MODE_TUNNEL ? "tunnel" : "transport",
		     c->encap ? "yes" : "no", c->reqid, c->life_secs,
		     (unsigned long long)c->life_kb,
		     with_keys ? " enc=" : "", with_keys ? enc : "",
		     with_keys && a->auth_len ? " auth=" : "",
		     with_keys && a->auth_len ? auth : "");
	ike_wipe(enc, sizeof(enc));
	ike_wipe(auth, sizeof(auth));
	return n > 0 && (size_t)n < len ? 0 : -1;
}

/* ---- record ---- */

static int rec_write(struct sa_backend *b, const struct child_sa *c,
		     const char *verb, unsigned int dirs)
{
	FILE *f = b->priv;
	char line[640];
	int err = 0;

	for (int in = 1; in >= 0 && !err; in--) {
		if (!(dirs & (in ? CHILD_IN : CHILD_OUT)))
			continue;
		err = child_sa_record_line(c, in, line, sizeof(line),
					   !strcmp(verb, "add"));
		if (!err && fprintf(f, "%s %s\n", verb, line) < 0)
			err = -1;
	}
	ike_wipe(line, sizeof(line));
	if (fflush(f))
		err = -1;
	if (err)
		snprintf(b->err, sizeof(b->err), "cannot write the record file");
	return err;
}

static int rec_add(struct sa_backend *b, const struct child_sa *c,
		   unsigned int dirs)
{
	return rec_write(b, c, "add", dirs);
}

static int rec_del(struct sa_backend *b, const struct child_sa *c)
{
	return rec_write(b, c, "del", CHILD_BOTH);
}

static void rec_close(struct sa_backend *b)
{
	fclose(b->priv);
}

struct sa_backend *sa_backend_record(const char *path)
{
	struct sa_backend *b = calloc(1, sizeof(*b));
	int fd = open(path, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0600);

	if (!b || fd < 0 || !(b->priv = fdopen(fd, "a"))) {
		if (fd >= 0)
			close(fd);
		free(b);
		return NULL;
	}
	b->name = "record";
	b->add = rec_add;
	b->del = rec_del;
	b->close = rec_close;
	return b;
}

/* ---- netlink (the dmvpn module) ---- */

struct nl_priv {
	struct dm_nl nl;
	uint32_t ifindex;
};

static void fill_dm_sa(const struct child_sa *c, bool in, struct dm_sa *s)
{
	const struct dm_esp_alg *a = dm_esp_alg_by_id(c->esp_alg);
	const uint8_t *k = in ? c->key_in : c->key_out;

	memset(s, 0, sizeof(*s));
	s->dir = in ? DMVPN_SA_DIR_IN : DMVPN_SA_DIR_OUT;
	s->has_spi = true;
	s->spi = in ? c->spi_in : c->spi_out;
	s->peer = c->peer;
	s->port = c->peer_port;
	s->alg = c->esp_alg;
	s->mode = c->mode;
	s->has_reqid = true;
	s->reqid = c->reqid;
	if (a && a->enc_len) {
		memcpy(s->enc_key, k, a->enc_len);
		s->enc_key_len = a->enc_len;
		s->has_enc_key = true;
	}
	if (a && a->auth_len) {
		memcpy(s->auth_key, k + a->enc_len, a->auth_len);
		s->auth_key_len = a->auth_len;
		s->has_auth_key = true;
	}
	if (c->life_secs) {
		s->has_hard_secs = s->has_soft_secs = true;
		s->hard_secs = c->life_secs;
		s->soft_secs = child_soft_secs(c->life_secs, s->spi,
						 c->initiator);
	}
	if (c->life_kb) {
		s->has_hard_kb = s->has_soft_kb = true;
		s->hard_kb = c->life_kb;
		s->soft_kb = child_soft_kb(c->life_kb, c->initiator);
	}
}

static int nlb_one(struct sa_backend *b, const struct child_sa *c, bool in,
		  uint8_t cmd)
{
	struct nl_priv *p = b->priv;
	struct dm_sa s;
	struct nl_msg *msg;
	int err;

	fill_dm_sa(c, in, &s);
	if (cmd == DMVPN_CMD_SA_DEL) {
		/* SA_DEL names the SA by dir, SPI (and peer for outbound) */
		s.has_enc_key = s.has_auth_key = false;
		s.alg = 0;
		s.mode = 0;
		s.has_reqid = s.has_hard_secs = s.has_soft_secs = false;
		s.has_hard_kb = s.has_soft_kb = false;
		if (in)
			s.peer.family = 0, s.port = 0;
	}
	msg = dm_msg_alloc(p->nl.family, cmd, 0);
	if (!msg || dm_put_ifindex(msg, p->ifindex) || dm_put_sa(msg, &s)) {
		if (msg)
			ike_wipe(nlmsg_hdr(msg), nlmsg_hdr(msg)->nlmsg_len);
		nlmsg_free(msg);
		ike_wipe(&s, sizeof(s));
		snprintf(b->err, sizeof(b->err), "out of memory");
		return -ENOMEM;
	}
	ike_wipe(&s, sizeof(s));
	err = dm_nl_talk(&p->nl, msg, NULL, NULL);
	if (err)
		dm_nl_strerror(&p->nl, b->err, sizeof(b->err));
	return err;
}

static int nlb_add(struct sa_backend *b, const struct child_sa *c,
		   unsigned int dirs)
{
	int err;

	if (dirs == CHILD_OUT)
		return nlb_one(b, c, false, DMVPN_CMD_SA_ADD);
	/* inbound first: the peer may send as soon as it has its SAs */
	err = nlb_one(b, c, true, DMVPN_CMD_SA_ADD);
	if (!err && (dirs & CHILD_OUT)) {
		err = nlb_one(b, c, false, DMVPN_CMD_SA_ADD);
		if (err) {
			char keep[sizeof(b->err)];

			memcpy(keep, b->err, sizeof(keep));
			nlb_one(b, c, true, DMVPN_CMD_SA_DEL);
			memcpy(b->err, keep, sizeof(keep));
		}
	}
	return err;
}

static int nlb_del(struct sa_backend *b, const struct child_sa *c)
{
	int e1 = nlb_one(b, c, false, DMVPN_CMD_SA_DEL);
	int e2 = nlb_one(b, c, true, DMVPN_CMD_SA_DEL);

	/* A half the module removed itself (its hard expiry, a flush) is
	 * already where a delete would put it. */
	if (e1 == -ENOENT)
		e1 = 0;
	if (e2 == -ENOENT)
		e2 = 0;
	return e1 ? e1 : e2;
}

/* One SA dump answers for every pair: a hub asks once per tick, not once
 * per spoke. */
static int nlb_traffic(struct sa_backend *b, const struct child_sa *c, size_t n,
		       struct child_traffic *out)
{
	struct nl_priv *p = b->priv;
	struct dm_sa *sas = NULL;
	size_t nsas = 0;
	int err;

	memset(out, 0, n * sizeof(*out));
	err = dm_sa_dump(&p->nl, p->ifindex, &sas, &nsas);
	if (err) {
		dm_nl_strerror(&p->nl, b->err, sizeof(b->err));
		free(sas);
		return err;
	}
	for (size_t i = 0; i < nsas; i++) {
		const struct dm_sa *s = &sas[i];
		uint64_t pkts;

		if (!s->has_stats || !s->stat_present[DMVPN_SA_STAT_PACKETS])
			continue;
		pkts = s->stats[DMVPN_SA_STAT_PACKETS];
		for (size_t k = 0; k < n; k++) {
			if (s->dir == DMVPN_SA_DIR_IN && s->spi == c[k].spi_in)
				out[k].in_pkts = pkts;
			else if (s->dir == DMVPN_SA_DIR_OUT && s->spi == c[k].spi_out)
				out[k].out_pkts = pkts;
		}
	}
	free(sas);
	return 0;
}

static bool same_endpoint(const struct dm_nhrp_entry *e, const struct dm_addr *peer,
			  uint16_t port)
{
	/* the module names the NAT-T port 0 */
	uint16_t a = e->port ? e->port : 4500, b = port ? port : 4500;

	return dm_addr_equal(&e->nbma, peer) && a == b;
}

static void nlb_peer_dead(struct sa_backend *b, const struct dm_addr *peer, uint16_t port)
{
	struct nl_priv *p = b->priv;
	struct dm_nhrp_entry *ents = NULL;
	size_t n = 0;
	unsigned int gone = 0;
	char a[DM_ADDR_STRLEN], e[256];

	dm_addr_fmt(peer, a, sizeof(a));
	if (dm_nhrp_dump(&p->nl, p->ifindex, &ents, &n)) {
		klog(KLOG_WARN, "NHRP: cannot read the cache to forget dead peer %s: %s", a,
		     dm_nl_strerror(&p->nl, e, sizeof(e)));
		free(ents);
		return;
	}
	for (size_t i = 0; i < n; i++) {
		struct nl_msg *msg;

		if (ents[i].type == DMVPN_NHRP_TYPE_STATIC || ents[i].type == DMVPN_NHRP_TYPE_LOCAL ||
		    !same_endpoint(&ents[i], peer, port))
			continue;
		msg = dm_msg_alloc(p->nl.family, DMVPN_CMD_NHRP_DEL, 0);
		ents[i].has_plen = true;
		if (!msg || dm_put_ifindex(msg, p->ifindex) || dm_put_nhrp(msg, &ents[i])) {
			nlmsg_free(msg);
			continue;
		}
		if (dm_nl_talk(&p->nl, msg, NULL, NULL) && p->nl.err != -ENOENT)
			klog(KLOG_WARN, "NHRP: cannot delete an entry of dead peer %s: %s", a,
			     dm_nl_strerror(&p->nl, e, sizeof(e)));
		else
			gone++;
	}
	free(ents);
	klog(KLOG_INFO, "NHRP: peer %s is dead (DPD): %u NHRP entr%s learnt from it deleted",
	     a, gone, gone == 1 ? "y" : "ies");
}

static void nlb_close(struct sa_backend *b)
{
	struct nl_priv *p = b->priv;

	dm_nl_close(&p->nl);
	free(p);
}

struct sa_backend *sa_backend_netlink(const char *ifname)
{
	struct sa_backend *b = calloc(1, sizeof(*b));
	struct nl_priv *p = calloc(1, sizeof(*p));

	if (!b || !p)
		goto fail;
	p->ifindex = if_nametoindex(ifname);
	if (!p->ifindex || dm_nl_open(&p->nl))
		goto fail;
	b->name = "netlink";
	b->add = nlb_add;
	b->del = nlb_del;
	b->traffic = nlb_traffic;
	b->peer_dead = nlb_peer_dead;
	b->close = nlb_close;
	b->priv = p;
	return b;
fail:
	free(p);
	free(b);
	return NULL;
}

void sa_backend_close(struct sa_backend *b)
{
	if (!b)
		return;
	b->close(b);
	free(b);
}
