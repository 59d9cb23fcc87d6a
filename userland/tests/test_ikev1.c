// SPDX-License-Identifier: GPL-2.0-only
/*
 * The IKEv1 state machine in process: two ikev1_ctx joined by an
 * in-memory "wire" whose packets the test can drop, repeat or corrupt,
 * a fake clock, and a backend that keeps the SAs it is given.  Fast and
 * deterministic: retransmission, duplicates and timeouts are checked here,
 * the real sockets and strongSwan in tests/ike_netns.sh.
 */
#include <stdlib.h>

#include <linux/dmvpn.h>

#include "../keyer/ikev1.h"
#include "../keyer/log.h"
#include "../ctl/show.h"
#include "../lib/ikestate.h"
#include "unit.h"

#define WIRE_MAX 64

struct pkt {
	uint8_t b[ISAKMP_MAX_MSG];
	size_t len;
	uint16_t from_port, to_port;
	int to;			/* 0 = a, 1 = b */
};

struct wire {
	struct pkt q[WIRE_MAX];
	size_t n;
	unsigned long sent;
	unsigned long ike_sent;		/* not counting 1-byte NAT keepalives */
};

struct side {
	struct ikev1_ctx ctx;
	struct keyer_config cfg;
	struct sa_backend be;
	struct child_sa sas[8];
	size_t nsas, ndel, out_late;
	struct child_traffic tr[8];	/* what the "module" counted, by sas[] */
	bool counts;			/* offer them (on-demand DPD) */
	unsigned int dead_calls;	/* peer_dead: NHRP told */
	uint16_t dead_port;
	struct wire *w;
	int id;
};

static int be_add(struct sa_backend *b, const struct child_sa *c,
		  unsigned int dirs)
{
	struct side *s = b->priv;

	if (dirs == CHILD_OUT) {
		/* completes the pair whose inbound half came first */
		for (size_t i = 0; i < s->nsas; i++)
			if (s->sas[i].spi_in == c->spi_in) {
				memcpy(s->sas[i].key_out, c->key_out, sizeof(c->key_out));
				s->out_late++;
				return 0;
			}
		return -1;
	}
	if (s->nsas == 8)
		return -1;
	s->sas[s->nsas++] = *c;	/* keys included: the test compares them */
	return 0;
}

static int be_del(struct sa_backend *b, const struct child_sa *c)
{
	struct side *s = b->priv;

	(void)c;
	s->ndel++;
	return 0;
}

static int be_traffic(struct sa_backend *b, const struct child_sa *c, size_t n,
		      struct child_traffic *out)
{
	struct side *s = b->priv;

	if (!s->counts) {
		snprintf(b->err, sizeof(b->err), "no counters in this test");
		return -95;
	}
	for (size_t k = 0; k < n; k++) {
		out[k] = (struct child_traffic){ 0 };
		for (size_t i = 0; i < s->nsas; i++)
			if (s->sas[i].spi_in == c[k].spi_in)
				out[k] = s->tr[i];
	}
	return 0;
}

static void be_peer_dead(struct sa_backend *b, const struct dm_addr *peer, uint16_t port)
{
	struct side *s = b->priv;

	(void)peer;
	s->dead_calls++;
	s->dead_port = port;
}

static void be_close(struct sa_backend *b)
{
	(void)b;
}

static struct side *sides[2];

static void wire_send(void *arg, const uint8_t *pkt, size_t len,
		      const struct dm_addr *to, uint16_t to_port, uint16_t from_port)
{
	struct side *s = arg;
	struct pkt *p;

	(void)to;
	s->w->sent++;
	s->w->ike_sent += len > 1;
	if (s->w->n == WIRE_MAX || len > ISAKMP_MAX_MSG)
		return;
	p = &s->w->q[s->w->n++];
	memcpy(p->b, pkt, len);
	p->len = len;
	p->from_port = from_port;
	p->to_port = to_port;
	p->to = !s->id;
}

static const char *extra_conf = "";

static const char conf_tmpl[] =
	"%s"
	"crypto isakmp policy 10\n encr %s\n hash %s\n group %s\n"
	"crypto isakmp key %s address 0.0.0.0 0.0.0.0\n"
	"crypto isakmp retransmit 1000 3\n"
	"crypto ipsec transform-set T %s\n mode transport\n"
	"crypto ipsec profile P\n set transform-set T\n%s"
	"interface tun0\n tunnel source %s\n tunnel protection ipsec profile P\n";

static void side_init(struct side *s, int id, struct wire *w, const char *enc,
		      const char *hash, const char *group, const char *key,
		      const char *ts, const char *pfs)
{
	char text[1024], err[256];
	int r;

	memset(s, 0, sizeof(*s));
	s->id = id;
	s->w = w;
	snprintf(text, sizeof(text), conf_tmpl, extra_conf, enc, hash, group, key, ts, pfs,
		 id ? "192.0.2.2" : "192.0.2.1");
	r = keyer_config_parse(text, "t.conf", &s->cfg, err, sizeof(err));
	if (r)
		dm_t_fail(__FILE__, __LINE__, "config: %s", err);
	s->be = (struct sa_backend){ .name = "test", .add = be_add, .del = be_del,
				     .traffic = be_traffic, .peer_dead = be_peer_dead,
				     .close = be_close, .priv = s };
	ikev1_init(&s->ctx, &s->cfg, &s->be, wire_send, s, &s->cfg.tun.source);
	sides[id] = s;
}

/* Deliver queued packets (drop_nth: the n-th delivery is lost, 1-based;
 * dup_nth: delivered twice). */
static void pump(struct wire *w, unsigned int drop_nth, unsigned int dup_nth,
		 unsigned int *count)
{
	for (int guard = 0; w->n && guard < 200; guard++) {
		struct pkt p = w->q[0];

		memmove(w->q, w->q + 1, (w->n - 1) * sizeof(w->q[0]));
		w->n--;
		++*count;
		if (*count == drop_nth)
			continue;
		for (int k = 0; k < (*count == dup_nth ? 2 : 1); k++) {
			struct side *to = sides[p.to], *from = sides[!p.to];

			ikev1_input(&to->ctx, p.b, p.len, &from->cfg.tun.source,
				    p.from_port, p.to_port);
		}
	}
}

static void pump_one(struct wire *w)
{
	struct pkt p = w->q[0];
	struct side *to = sides[p.to], *from = sides[!p.to];

	memmove(w->q, w->q + 1, (w->n - 1) * sizeof(w->q[0]));
	w->n--;
	ikev1_input(&to->ctx, p.b, p.len, &from->cfg.tun.source, p.from_port,
		    p.to_port);
}

static void tick(struct side *a, struct side *b, uint64_t ms)
{
	ikev1_tick(&a->ctx, ms);
	ikev1_tick(&b->ctx, ms);
}

static bool keys_mirror_at(const struct side *a, const struct side *b, size_t k)
{
	const struct child_sa *x = &a->sas[k], *y = &b->sas[k];

	return a->nsas > k && b->nsas > k && x->spi_in == y->spi_out &&
	       x->spi_out == y->spi_in && x->esp_alg == y->esp_alg &&
	       x->key_len && x->key_len == child_keymat_len(x->esp_alg) &&
	       !memcmp(x->key_in, y->key_out, x->key_len) &&
	       !memcmp(x->key_out, y->key_in, x->key_len) &&
	       memcmp(x->key_in, x->key_out, x->key_len);
}

static bool keys_mirror(const struct side *a, const struct side *b)
{
	return a->nsas == 1 && b->nsas == 1 && keys_mirror_at(a, b, 0);
}

static FILE *quiet(struct capture *c)
{
	klog_sink = cap_open(c);
	return klog_sink;
}

static void done(struct side *a, struct side *b, struct capture *c)
{
	int level = klog_level;

	/* the capture may be closed already (cap_str): log nothing more */
	klog_sink = NULL;
	klog_level = -1;
	ikev1_shutdown(&a->ctx);
	ikev1_shutdown(&b->ctx);
	klog_level = level;
	cap_free(c);
	keyer_config_wipe(&a->cfg);
	keyer_config_wipe(&b->cfg);
}

static void run_pair(const char *enc, const char *hash, const char *group,
		     const char *ts, const char *pfs, uint32_t want_alg)
{
	static struct side a, b;
	static struct wire w;
	struct capture c;
	unsigned int n = 0;

	memset(&w, 0, sizeof(w));
	quiet(&c);
	side_init(&a, 0, &w, enc, hash, group, "k3y", ts, pfs);
	side_init(&b, 1, &w, enc, hash, group, "k3y", ts, pfs);
	CHECK_INT(ikev1_initiate(&a.ctx, &b.cfg.tun.source), 0);
	pump(&w, 0, 0, &n);
	CHECK(keys_mirror(&a, &b));
	CHECK_INT(a.sas[0].esp_alg, want_alg);
	/* force-encap (the default): ESP in UDP, IKE floated to 4500 */
	CHECK(a.sas[0].encap && a.sas[0].peer_port == IKE_NATT_PORT);
	CHECK_INT(a.ctx.p1_up, 1);
	CHECK_INT(b.ctx.p2_up, 1);
	/* the responder's outbound went in only at QM3, the initiator's
	 * waits for IKE_QM3_GRACE_MS (no tick yet) */
	CHECK_INT(b.out_late, 1);
	CHECK_INT(a.out_late, 0);
	/* MM1-6, QM1-3 */
	CHECK_INT(w.sent, 9);
	/* shutdown deletes and tells the peer, which deletes too */
	ikev1_shutdown(&a.ctx);
	pump(&w, 0, 0, &n);
	CHECK_INT(a.ndel, 1);
	CHECK_INT(b.ndel, 1);
	CHECK_INT(b.ctx.nchildren, 0);
	CHECK(!b.ctx.sas);
	CHECK(!strstr(cap_str(&c), "k3y"));
	done(&a, &b, &c);
}

static void suites(void)
{
	run_pair("aes 256", "sha256", "14", "esp-aes 256 esp-sha256-hmac", "",
		 DMVPN_ESP_AES256_CBC_HMAC_SHA256_128);
	run_pair("3des", "sha", "14", "esp-3des esp-sha-hmac", " set pfs group14\n",
		 DMVPN_ESP_3DES_CBC_HMAC_SHA1_96);
	run_pair("aes 128", "sha512", "21", "esp-gcm 128", " set pfs group19\n",
		 DMVPN_ESP_AES128_GCM16);
	run_pair("aes 192", "md5", "19", "esp-3des esp-md5-hmac", "",
		 DMVPN_ESP_3DES_CBC_HMAC_MD5_96);
	run_pair("aes 128", "sha384", "15", "esp-aes esp-sha512-hmac", "",
		 DMVPN_ESP_AES128_CBC_HMAC_SHA512_256);
}

/* Each of the 9 messages lost once in turn: retransmission (or the answer
 * to a retransmission) recovers, and the keys still agree. */
static void every_loss_recovers(void)
{
	for (unsigned int lost = 1; lost <= 9; lost++) {
		static struct side a, b;
		static struct wire w;
		struct capture c;
		unsigned int n = 0;
		uint64_t t = 0;

		memset(&w, 0, sizeof(w));
		quiet(&c);
		side_init(&a, 0, &w, "aes 256", "sha256", "14", "k",
			  "esp-aes 256 esp-sha256-hmac", "");
		side_init(&b, 1, &w, "aes 256", "sha256", "14", "k",
			  "esp-aes 256 esp-sha256-hmac", "");
		ikev1_initiate(&a.ctx, &b.cfg.tun.source);
		pump(&w, lost, 0, &n);
		for (int i = 0; i < 6 && !(a.nsas && b.nsas); i++) {
			t += 2100;	/* past the (doubling) retransmit timers */
			tick(&a, &b, t);
			pump(&w, 0, 0, &n);
		}
		if (!keys_mirror(&a, &b))
			dm_t_fail(__FILE__, __LINE__, "message %u lost: no keyed pair", lost);
		done(&a, &b, &c);
	}
}

/* Every message delivered twice: duplicates are answered, not re-run. */
static void duplicates_ignored(void)
{
	for (unsigned int dup = 1; dup <= 9; dup++) {
		static struct side a, b;
		static struct wire w;
		struct capture c;
		unsigned int n = 0;

		memset(&w, 0, sizeof(w));
		quiet(&c);
		side_init(&a, 0, &w, "aes 128", "sha", "14", "k", "esp-aes esp-sha-hmac", "");
		side_init(&b, 1, &w, "aes 128", "sha", "14", "k", "esp-aes esp-sha-hmac", "");
		ikev1_initiate(&a.ctx, &b.cfg.tun.source);
		pump(&w, 0, dup, &n);
		if (!keys_mirror(&a, &b))
			dm_t_fail(__FILE__, __LINE__, "message %u repeated: pair not keyed once", dup);
		/* and the wire goes quiet: a repeat is answered by a resend,
		 * which is a repeat for the other side, down to the final
		 * message, which is never answered (else: ping-pong forever) */
		if (w.n || w.sent > 18)
			dm_t_fail(__FILE__, __LINE__, "message %u repeated: %lu sent, %zu still queued",
				  dup, w.sent, w.n);
		done(&a, &b, &c);
	}
}

/* The last failure side s published for peer ("" code: none). */
/* What side s publishes for dmvpnctl (malloc'ed). */
static char *state_text(const struct side *s)
{
	char *text = NULL;
	size_t len = 0;
	FILE *m = open_memstream(&text, &len);

	ikev1_state_write(&s->ctx, "tun0", m);
	fclose(m);
	return text;
}

static struct dm_ike_failure last_failure(const struct side *s, const char *peer)
{
	struct dm_ike_failure f = { 0 }, got;
	struct dm_addr want;
	char *text = state_text(s), *line, *save;

	dm_addr_parse(peer, &want);
	for (line = strtok_r(text, "\n", &save); line; line = strtok_r(NULL, "\n", &save))
		if (!dm_ikestate_parse_failure(line, &got) && dm_addr_equal(&got.peer, &want))
			f = got;
	free(text);
	return f;
}

static void psk_mismatch(void)
{
	static struct side a, b;
	static struct wire w;
	struct capture c;
	unsigned int n = 0;
	uint64_t t = 0;
	const char *log;

	memset(&w, 0, sizeof(w));
	quiet(&c);
	side_init(&a, 0, &w, "aes 256", "sha256", "14", "right", "esp-aes 256 esp-sha256-hmac", "");
	side_init(&b, 1, &w, "aes 256", "sha256", "14", "wrong", "esp-aes 256 esp-sha256-hmac", "");
	ikev1_initiate(&a.ctx, &b.cfg.tun.source);
	pump(&w, 0, 0, &n);
	for (int i = 0; i < 8; i++) {
		t += 20000;
		tick(&a, &b, t);
		pump(&w, 0, 0, &n);
	}
	log = cap_str(&c);
	CHECK_CONTAINS(log, "IKE message from 192.0.2.1 failed its sanity check or is malformed");
	CHECK_CONTAINS(log, "(MM_KEY_EXCH)");
	CHECK_CONTAINS(log, "peer 192.0.2.2 not responding! (phase 1, MM_KEY_EXCH)");
	CHECK(!strstr(log, "right") && !strstr(log, "wrong"));
	CHECK_INT(a.nsas + b.nsas, 0);
	CHECK(!a.ctx.sas);	/* given up */
	/* what "show crypto isakmp failures" reads */
	CHECK_STR(last_failure(&b, "192.0.2.1").code, DM_IKE_FAIL_PSK);
	CHECK_CONTAINS(last_failure(&b, "192.0.2.1").reason, "pre-shared key mismatch?");
	CHECK(last_failure(&b, "192.0.2.1").count >= 1);
	CHECK_STR(last_failure(&a, "192.0.2.2").code, DM_IKE_FAIL_NO_RESPONSE);
	CHECK_CONTAINS(last_failure(&a, "192.0.2.2").reason, "phase 1, MM_KEY_EXCH");
	done(&a, &b, &c);
}

static void policy_mismatch(void)
{
	static struct side a, b;
	static struct wire w;
	struct capture c;
	unsigned int n = 0;
	const char *log;

	memset(&w, 0, sizeof(w));
	quiet(&c);
	side_init(&a, 0, &w, "aes 256", "sha256", "14", "k", "esp-aes 256 esp-sha256-hmac", "");
	side_init(&b, 1, &w, "aes 256", "sha256", "19", "k", "esp-aes 256 esp-sha256-hmac", "");
	ikev1_initiate(&a.ctx, &b.cfg.tun.source);
	pump(&w, 0, 0, &n);
	log = cap_str(&c);
	CHECK_CONTAINS(log, "Checking ISAKMP transform 1 against priority 10 policy");
	CHECK_CONTAINS(log, "Diffie-Hellman group offered does not match policy!");
	CHECK_CONTAINS(log, "Checking ISAKMP transform 1 against priority 65535 policy");
	CHECK_CONTAINS(log, "Encryption algorithm offered does not match policy!");
	CHECK_CONTAINS(log, "no offers accepted!");
	/* the initiator is told and gives up at once */
	CHECK_CONTAINS(log, "the peer accepted none of our ISAKMP policies");
	CHECK(!a.ctx.sas && !b.ctx.sas);
	CHECK_STR(last_failure(&b, "192.0.2.1").code, DM_IKE_FAIL_P1_POLICY);
	CHECK_CONTAINS(last_failure(&b, "192.0.2.1").reason,
		       "Diffie-Hellman group offered does not match policy! (transform 1, policy 10)");
	CHECK_STR(last_failure(&a, "192.0.2.2").code, DM_IKE_FAIL_P1_POLICY);
	done(&a, &b, &c);
}

static void transform_set_mismatch(void)
{
	static struct side a, b;
	static struct wire w;
	struct capture c;
	unsigned int n = 0;
	const char *log;

	memset(&w, 0, sizeof(w));
	quiet(&c);
	side_init(&a, 0, &w, "aes 256", "sha256", "14", "k", "esp-3des esp-md5-hmac", "");
	side_init(&b, 1, &w, "aes 256", "sha256", "14", "k", "esp-gcm 256", "");
	ikev1_initiate(&a.ctx, &b.cfg.tun.source);
	pump(&w, 0, 0, &n);
	log = cap_str(&c);
	CHECK_CONTAINS(log, "all IPsec SA proposals found unacceptable!");
	CHECK_CONTAINS(log, "phase 2 SA policy not acceptable! (local 192.0.2.2 remote 192.0.2.1)");
	CHECK_CONTAINS(log, "the peer found all IPsec SA proposals unacceptable");
	CHECK_INT(a.nsas + b.nsas, 0);
	CHECK_INT(a.ctx.p1_up, 1);	/* phase 1 stands */
	CHECK_STR(last_failure(&b, "192.0.2.1").code, DM_IKE_FAIL_P2_PROPOSAL);
	CHECK_STR(last_failure(&a, "192.0.2.2").code, DM_IKE_FAIL_P2_PROPOSAL);
	done(&a, &b, &c);
}

/* a and b with the default suite plus a_conf / b_conf (global config
 * lines), an empty wire, nothing negotiated yet. */
static void fresh_pair(struct side *a, struct side *b, struct wire *w,
		       struct capture *c, const char *a_conf, const char *b_conf)
{
	memset(w, 0, sizeof(*w));
	quiet(c);
	extra_conf = a_conf;
	side_init(a, 0, w, "aes 256", "sha256", "14", "k", "esp-gcm 256", "");
	extra_conf = b_conf;
	side_init(b, 1, w, "aes 256", "sha256", "14", "k", "esp-gcm 256", "");
	extra_conf = "";
}

/* A PFS mismatch (one side requires it) is a proposal mismatch too. */
static void pfs_required(void)
{
	static struct side a, b;
	static struct wire w;
	struct capture c;
	unsigned int n = 0;

	memset(&w, 0, sizeof(w));
	quiet(&c);
	side_init(&a, 0, &w, "aes 256", "sha256", "14", "k", "esp-gcm 256", "");
	side_init(&b, 1, &w, "aes 256", "sha256", "14", "k", "esp-gcm 256", " set pfs group14\n");
	ikev1_initiate(&a.ctx, &b.cfg.tun.source);
	pump(&w, 0, 0, &n);
	CHECK_CONTAINS(cap_str(&c), "PFS group does not match");
	CHECK_INT(a.nsas + b.nsas, 0);
	done(&a, &b, &c);
}

/* Corrupt every byte of every message once: no crash, no keys from a
 * corrupted exchange that differ (ASan watches the parsers). */
static void corrupted_bytes(void)
{
	static struct side a, b;
	static struct wire w;
	struct capture c;
	unsigned int keyed = 0, runs = 0, corrupted = 0;

	for (unsigned int msg = 0; msg < 9; msg++) {
		for (size_t off = 0; off < 400; off += 7) {
			unsigned int seen = 0;

			memset(&w, 0, sizeof(w));
			quiet(&c);
			side_init(&a, 0, &w, "aes 128", "sha", "14", "k", "esp-aes esp-sha-hmac", "");
			side_init(&b, 1, &w, "aes 128", "sha", "14", "k", "esp-aes esp-sha-hmac", "");
			ikev1_initiate(&a.ctx, &b.cfg.tun.source);
			/* one message at a time, the msg-th one corrupted */
			while (w.n && seen < 40) {
				if (seen++ == msg) {
					w.q[0].b[off % w.q[0].len] ^= 0x5a;
					corrupted++;
				}
				pump_one(&w);
			}
			runs++;
			if (a.nsas && b.nsas) {
				keyed++;
				if (!keys_mirror(&a, &b))
					dm_t_fail(__FILE__, __LINE__, "msg %u off %zu: keys differ", msg, off);
			}
			done(&a, &b, &c);
		}
	}
	/* every run flipped a byte; only flips in bytes nobody checks (a
	 * vendor ID's content, ...) may still key */
	CHECK_INT(corrupted, runs);
	CHECK(keyed < runs);
}

/* DPD: an idle peer is asked R-U-THERE; one that answers stays, one that
 * is gone loses its SAs after five unanswered. */
static void dpd_dead_peer(void)
{
	static struct side a, b;
	static struct wire w;
	struct capture c;
	unsigned int n = 0;
	uint64_t t = 0;
	const char *log;

	memset(&w, 0, sizeof(w));
	quiet(&c);
	extra_conf = "crypto isakmp keepalive 10 2\n";
	side_init(&a, 0, &w, "aes 256", "sha256", "14", "k", "esp-gcm 256", "");
	side_init(&b, 1, &w, "aes 256", "sha256", "14", "k", "esp-gcm 256", "");
	extra_conf = "";
	ikev1_initiate(&a.ctx, &b.cfg.tun.source);
	pump(&w, 0, 0, &n);
	CHECK(keys_mirror(&a, &b));
	/* 30 s idle with b alive: asked and answered, nothing deleted */
	for (int i = 0; i < 30; i++) {
		t += 1000;
		tick(&a, &b, t);
		pump(&w, 0, 0, &n);
	}
	CHECK_INT(a.ndel, 0);
	CHECK_INT(a.ctx.nchildren, 1);
	/* b is gone: everything to it is lost */
	for (int i = 0; i < 40; i++) {
		t += 1000;
		ikev1_tick(&a.ctx, t);
		w.n = 0;
	}
	log = cap_str(&c);
	CHECK_CONTAINS(log, "peer 192.0.2.2 not responding! (DPD, 5 R-U-THERE unanswered)");
	CHECK_INT(a.ndel, 1);
	CHECK_INT(a.ctx.nchildren, 0);
	CHECK(!a.ctx.sas);
	/* NHRP is told, with the port b receives ESP on */
	CHECK_INT(a.dead_calls, 1);
	CHECK_INT(a.dead_port, IKE_NATT_PORT);
	done(&a, &b, &c);
}

/* Two spokes behind one PAT address differ in their port only: DPD,
 * counts and INITIAL-CONTACT must tell their pairs apart. */
static void child_of_endpoint(void)
{
	static struct ike_sa sa;
	struct child_sa c = { 0 };

	memset(&sa, 0, sizeof(sa));
	dm_addr_parse("198.51.100.1", &sa.peer);
	c.peer = sa.peer;
	sa.nat_peer = true;
	sa.peer_port = 26434;
	c.peer_port = 26434;
	CHECK(ikev1_child_of(&sa, &c));
	CHECK_INT(ikev1_esp_port(&sa), 26434);
	c.peer_port = IKE_NATT_PORT;		/* the other spoke */
	CHECK(!ikev1_child_of(&sa, &c));
	sa.nat_peer = false;			/* no NAT: ESP goes to 4500 */
	sa.peer_port = IKE_PORT;
	CHECK(ikev1_child_of(&sa, &c));
	dm_addr_parse("198.51.100.2", &c.peer);
	CHECK(!ikev1_child_of(&sa, &c));
}

/* a and b with the default suite plus a_conf / b_conf (global config
 * lines), keyed once (a initiated). */
static void keyed_pair_with(struct side *a, struct side *b, struct wire *w,
			    struct capture *c, unsigned int *n,
			    const char *a_conf, const char *b_conf)
{
	fresh_pair(a, b, w, c, a_conf, b_conf);
	ikev1_initiate(&a->ctx, &b->cfg.tun.source);
	pump(w, 0, 0, n);
}

/* Run a and b for secs seconds; a's pair counts a_out packets sent and
 * a_in received each second (b's the mirror); lose: b is gone.  Returns
 * the IKE messages sent meanwhile. */
static unsigned long dpd_run(struct side *a, struct side *b, struct wire *w,
			     uint64_t *t, int secs, unsigned int a_out,
			     unsigned int a_in, bool lose)
{
	unsigned long before = w->ike_sent;
	unsigned int n = 0;

	for (int i = 0; i < secs; i++) {
		a->tr[0].out_pkts += a_out;
		a->tr[0].in_pkts += a_in;
		b->tr[0].out_pkts += a_in;
		b->tr[0].in_pkts += a_out;
		*t += 1000;
		if (lose) {
			ikev1_tick(&a->ctx, *t);
			w->n = 0;
		} else {
			tick(a, b, *t);
			pump(w, 0, 0, &n);
		}
	}
	return w->ike_sent - before;
}

/* On-demand DPD (the default): an idle tunnel and one that hears back
 * are never probed; sending into silence is, and a peer gone while we
 * send is declared dead.  "periodic" probes the idle tunnel too. */
static void dpd_on_demand(void)
{
	static struct side a, b;
	static struct wire w;
	struct capture c;
	unsigned int n = 0;
	uint64_t t = 0;

	keyed_pair_with(&a, &b, &w, &c, &n, "crypto isakmp keepalive 10 2\n",
			"crypto isakmp keepalive 10 2\n");
	a.counts = b.counts = true;
	CHECK(keys_mirror(&a, &b));
	CHECK_INT(dpd_run(&a, &b, &w, &t, 35, 0, 0, false), 0);	/* idle */
	CHECK_INT(dpd_run(&a, &b, &w, &t, 35, 5, 5, false), 0);	/* both ways */
	/* a sends, nothing comes in: asked (and answered) */
	CHECK(dpd_run(&a, &b, &w, &t, 12, 5, 0, false) >= 2);
	CHECK_INT(a.ndel, 0);
	/* b is gone while a sends: dead after 5 R-U-THEREs */
	dpd_run(&a, &b, &w, &t, 40, 5, 0, true);
	CHECK_INT(a.ndel, 1);
	CHECK(!a.ctx.sas);
	done(&a, &b, &c);

	/* periodic: the idle tunnel is probed all the same */
	t = 0;
	keyed_pair_with(&a, &b, &w, &c, &n, "crypto isakmp keepalive 10 2 periodic\n",
			"crypto isakmp keepalive 10 2 periodic\n");
	a.counts = b.counts = true;
	CHECK(dpd_run(&a, &b, &w, &t, 35, 0, 0, false) >= 4);
	CHECK_INT(a.ndel, 0);
	done(&a, &b, &c);
}

/* a and b with the default suite, keyed once (a initiated): the start of
 * the rekey and restart tests. */
static void keyed_pair(struct side *a, struct side *b, struct wire *w,
		       struct capture *c, unsigned int *n)
{
	keyed_pair_with(a, b, w, c, n, "", "");
}

/* Behind a NAT (force-encap pretends so): a 0xff keepalive every 20 s. */
static void nat_keepalives(void)
{
	static struct side a, b;
	static struct wire w;
	struct capture c;
	unsigned int n = 0, ka = 0;
	uint64_t t = 0;

	keyed_pair(&a, &b, &w, &c, &n);
	for (int i = 0; i < 61; i++) {
		t += 1000;
		ikev1_tick(&a.ctx, t);
		for (size_t k = 0; k < w.n; k++)
			ka += w.q[k].len == 1 && w.q[k].b[0] == 0xff &&
			      w.q[k].from_port == IKE_NATT_PORT;
		w.n = 0;
	}
	CHECK_INT(ka, 3);
	done(&a, &b, &c);
}

/* The state dmvpnd publishes, read back and shown as IOS does. */
static void published_state(void)
{
	static struct side a, b;
	static struct wire w;
	struct capture c, out;
	struct dm_ike_sa_state st[2];
	struct dm_out o;
	unsigned int n = 0;
	char *text = NULL, *line, *save;
	size_t len = 0, ns = 0;
	FILE *m;

	keyed_pair(&a, &b, &w, &c, &n);
	m = open_memstream(&text, &len);
	ikev1_state_write(&a.ctx, "tun0", m);
	fclose(m);
	for (line = strtok_r(text, "\n", &save); line && ns < 2;
	     line = strtok_r(NULL, "\n", &save))
		if (!dm_ikestate_parse(line, &st[ns]))
			ns++;
	free(text);
	CHECK_INT(ns, 1);
	CHECK_STR(st[0].state, "QM_IDLE");
	CHECK_STR(st[0].encr, "aes:256");
	CHECK_STR(st[0].hash, "sha256");
	CHECK_INT(st[0].dh, 14);
	CHECK_INT(st[0].children, 1);
	CHECK(st[0].initiator && st[0].nat && st[0].life_left > 86000);
	CHECK_INT(st[0].rport, IKE_NATT_PORT);
	o = (struct dm_out){ cap_open(&out), false, false };
	dm_show_isakmp_sa(&o, st, ns, false);
	CHECK_CONTAINS(cap_str(&out), "192.0.2.2       192.0.2.1       QM_IDLE           1001 ACTIVE");
	cap_free(&out);
	o.fp = cap_open(&out);
	dm_show_isakmp_sa(&o, st, ns, true);
	CHECK_CONTAINS(cap_str(&out), "1001  192.0.2.1       192.0.2.2              ACTIVE aes:256  sha256 psk  14 24:00:00 N");
	cap_free(&out);
	o.fp = cap_open(&out);
	o.json = true;
	dm_show_isakmp_sa(&o, st, ns, false);
	CHECK(json_valid(cap_str(&out)));
	CHECK_CONTAINS(cap_str(&out), "\"state\":\"QM_IDLE\"");
	cap_free(&out);
	/* bad lines are refused, not half-read */
	CHECK_INT(dm_ikestate_parse("sa if=tun0 conn_id=x local=1.2.3.4 remote=1.2.3.5 state=QM_IDLE", &st[1]), -1);
	CHECK_INT(dm_ikestate_parse("sa if=tun0 conn_id=1 local=1.2.3.4 state=QM_IDLE", &st[1]), -1);
	CHECK_INT(dm_ikestate_parse("xx if=tun0", &st[1]), -1);
	done(&a, &b, &c);
}

/* The failure table: one entry per peer (the newest), counted in a row,
 * the oldest peer evicted when full; its lines parse back and show. */
static void failure_table(void)
{
	static struct peer_failures f;
	struct dm_ike_failure back[2];
	struct capture out;
	struct dm_out o;
	struct dm_addr p;
	char name[32], *text = NULL, *line, *save;
	size_t len = 0, n = 0;
	FILE *m;

	memset(&f, 0, sizeof(f));
	for (int i = 0; i < PEER_FAILURES_MAX + 3; i++) {
		snprintf(name, sizeof(name), "10.0.%d.%d", i / 250, i % 250 + 1);
		dm_addr_parse(name, &p);
		peer_failure_note(&f, &p, 4500, DM_IKE_FAIL_NO_KEY, "peer %d", i);
	}
	CHECK_INT(f.n, PEER_FAILURES_MAX);
	CHECK_STR(f.e[0].reason, "peer 3");		/* 0..2 evicted */
	dm_addr_parse("10.0.0.10", &p);
	peer_failure_note(&f, &p, 4500, DM_IKE_FAIL_NO_KEY, "again");
	peer_failure_note(&f, &p, 4500, DM_IKE_FAIL_NO_KEY, "and again\nwith a newline");
	CHECK_INT(f.n, PEER_FAILURES_MAX);
	CHECK_STR(f.e[f.n - 1].reason, "and again\nwith a newline");
	CHECK_INT(f.e[f.n - 1].count, 3);
	peer_failure_note(&f, &p, 0, DM_IKE_FAIL_DPD, "dead");
	CHECK_INT(f.e[f.n - 1].count, 1);		/* another code: a new run */
	m = open_memstream(&text, &len);
	peer_failures_write(&f, "tun0", m);
	fclose(m);
	for (line = strtok_r(text, "\n", &save); line; line = strtok_r(NULL, "\n", &save))
		if (!dm_ikestate_parse_failure(line, &back[n % 2]))
			n++;
	free(text);
	CHECK_INT(n, PEER_FAILURES_MAX);
	CHECK_STR(back[(n - 1) % 2].code, DM_IKE_FAIL_DPD);
	CHECK_INT(back[(n - 1) % 2].port, 0);
	back[(n - 1) % 2].when = 1000;
	o = (struct dm_out){ cap_open(&out), false, false };
	dm_show_isakmp_failures(&o, &back[(n - 1) % 2], 1, 1075);
	CHECK_CONTAINS(cap_str(&out), "tun0       10.0.0.10              00:01:15      1 dpd-dead\n    dead\n");
	cap_free(&out);
	o = (struct dm_out){ cap_open(&out), true, false };
	dm_show_isakmp_failures(&o, &back[(n - 1) % 2], 1, 1075);
	CHECK(json_valid(cap_str(&out)));
	CHECK_CONTAINS(cap_str(&out), "\"peer_port\":null");
	CHECK_CONTAINS(cap_str(&out), "\"ago\":75");
	CHECK_CONTAINS(cap_str(&out), "\"code\":\"dpd-dead\"");
	cap_free(&out);
	/* damaged lines are refused whole */
	CHECK_INT(dm_ikestate_parse_failure("fail if=tun0 peer=10.0.0.1 when=5 code=x", &back[0]), -1);
	CHECK_INT(dm_ikestate_parse_failure("fail if=tun0 peer=10.0.0.1 when=x code=x reason=r", &back[0]), -1);
	CHECK_INT(dm_ikestate_parse_failure("fail if=tun0 peer=300.0.0.1 when=5 code=x reason=r", &back[0]), -1);
	CHECK_INT(dm_ikestate_parse_failure("fail if=tun0 when=5 code=x reason=r", &back[0]), -1);
	CHECK_INT(dm_ikestate_parse_failure("fail if=tun0 peer=10.0.0.1 when=5 code=x reason=", &back[0]), -1);
	CHECK_INT(dm_ikestate_parse_failure("sa if=tun0", &back[0]), -1);
	CHECK_INT(dm_ikestate_parse_failure("fail if=tun0 peer=10.0.0.1 when=5 code=x reason=r r", &back[0]), 0);
	CHECK_STR(back[0].reason, "r r");
}

/* 300 MM1s with fresh cookies: the responder keeps at most 256
 * negotiations at once and says why it drops the rest. */
static void half_open_limit(void)
{
	static struct side a, b;
	static struct wire w;
	struct capture c;
	unsigned int n = 0, count = 0;
	uint64_t t = 0;

	memset(&w, 0, sizeof(w));
	quiet(&c);
	side_init(&a, 0, &w, "aes 128", "sha", "19", "k", "esp-aes esp-sha-hmac", "");
	side_init(&b, 1, &w, "aes 128", "sha", "19", "k", "esp-aes esp-sha-hmac", "");
	ikev1_initiate(&a.ctx, &b.cfg.tun.source);
	{
		struct pkt mm1 = w.q[0];

		w.n = 0;
		for (int i = 0; i < 300; i++) {
			mm1.b[0] = (uint8_t)(i >> 8);
			mm1.b[1] = (uint8_t)i;
			mm1.b[2] = 0xa5;
			ikev1_input(&b.ctx, mm1.b, mm1.len, &a.cfg.tun.source, 500, 500);
		}
	}
	for (struct ike_sa *s = b.ctx.sas; s; s = s->next)
		count++;
	CHECK_INT(count, IKE_MAX_HALF_OPEN);
	CHECK_CONTAINS(cap_str(&c), "too many phase 1 negotiations in progress");
	done(&a, &b, &c);
	(void)n;
	(void)t;
}

/* A spoke restarts (new state, same address): its INITIAL-CONTACT makes
 * the hub drop what it still held with it. */
static void initial_contact_clears(void)
{
	static struct side a, a2, b;
	static struct wire w;
	struct capture c;
	unsigned int n = 0;

	keyed_pair(&a, &b, &w, &c, &n);
	CHECK_INT(b.ctx.nchildren, 1);
	tick(&a, &b, 5000);			/* the pair has been up a while */
	/* a "crashes": nothing is sent; a2 takes its place */
	side_init(&a2, 0, &w, "aes 256", "sha256", "14", "k", "esp-gcm 256", "");
	ikev1_initiate(&a2.ctx, &b.cfg.tun.source);
	pump(&w, 0, 0, &n);
	CHECK_CONTAINS(cap_str(&c), "INITIAL-CONTACT: deleting stale SA");
	CHECK_INT(b.ndel, 1);
	CHECK_INT(b.ctx.nchildren, 1);
	CHECK(b.ctx.sas && !b.ctx.sas->next);	/* one ISAKMP SA left */
	CHECK_INT(b.ctx.children[0].spi_out, a2.sas[0].spi_in);
	done(&a2, &b, &c);
	{
		int level = klog_level;

		klog_level = -1;
		ikev1_shutdown(&a.ctx);
		klog_level = level;
		keyer_config_wipe(&a.cfg);
	}
}

/*
 * Two spokes want each other at the same moment (phase 2: each resolved
 * the other): a main mode each way, both with INITIAL-CONTACT.  Neither
 * may delete its own unfinished one on the other's INITIAL-CONTACT: each
 * would keep the half of an ISAKMP SA whose other half the peer just
 * deleted, and every quick mode after that went unanswered
 * (ike_nat_cloud.sh saw it under load).
 */
static void simultaneous_main_modes(void)
{
	static struct side a, b;
	static struct wire w;
	struct capture c;
	unsigned int n = 0;

	fresh_pair(&a, &b, &w, &c, "", "");
	tick(&a, &b, 1000);
	ikev1_acquire(&a.ctx, &b.cfg.tun.source);
	ikev1_acquire(&b.ctx, &a.cfg.tun.source);
	pump(&w, 0, 0, &n);
	tick(&a, &b, 1000 + IKE_QM3_GRACE_MS);
	pump(&w, 0, 0, &n);
	/* every ISAKMP SA has its other half, every pair its mirror */
	for (const struct ike_sa *x = a.ctx.sas; x; x = x->next) {
		bool twin = false;

		for (const struct ike_sa *y = b.ctx.sas; y; y = y->next)
			twin |= !memcmp(x->icky, y->icky, 8) && !memcmp(x->rcky, y->rcky, 8);
		CHECK(twin);
	}
	CHECK(a.nsas >= 1 && b.nsas >= 1);
	CHECK_INT(a.ctx.nchildren, b.ctx.nchildren);
	for (size_t i = 0; i < a.ctx.nchildren; i++) {
		bool mirror = false;

		for (size_t k = 0; k < b.ctx.nchildren; k++)
			mirror |= a.ctx.children[i].spi_in == b.ctx.children[k].spi_out &&
				  a.ctx.children[i].spi_out == b.ctx.children[k].spi_in;
		CHECK(mirror);
	}
	CHECK(!strstr(cap_str(&c), "no SA for these cookies"));
	done(&a, &b, &c);
}

/* clear crypto isakmp: the ISAKMP SAs go on both ends (delete notify),
 * the IPsec pair stays, and its rekey keys a new phase 1 first. */
static void clear_isakmp_keeps_ipsec(void)
{
	static struct side a, b;
	static struct wire w;
	struct capture c;
	unsigned int n = 0;
	size_t count = 0;

	keyed_pair(&a, &b, &w, &c, &n);
	CHECK(a.ctx.sas && b.ctx.sas);
	CHECK_INT(ikev1_clear_isakmp(&a.ctx, a.ctx.sas->conn_id + 1000), 0);
	CHECK_INT(ikev1_clear_isakmp(&a.ctx, 0), 1);
	pump(&w, 0, 0, &n);
	CHECK(!a.ctx.sas);
	CHECK(!b.ctx.sas);		/* told by the delete notification */
	CHECK_INT(a.ctx.nchildren, 1);
	CHECK_INT(b.ctx.nchildren, 1);
	CHECK_INT(a.ndel, 0);		/* no ESP SA was deleted */
	CHECK_INT(b.ndel, 0);
	ikev1_rekey_child(&a.ctx, a.sas[0].spi_in);
	pump(&w, 0, 0, &n);
	for (struct ike_sa *s = a.ctx.sas; s; s = s->next)
		count += s->state == QM_IDLE;
	CHECK_INT(count, 1);
	CHECK_INT(a.nsas, 2);
	CHECK(keys_mirror_at(&a, &b, 1));
	done(&a, &b, &c);
}

/* Soft-expire on both ends of a pair: one rekey, not two. */
static void one_rekey_per_pair(void)
{
	static struct side a, b;
	static struct wire w;
	struct capture c;
	unsigned int n = 0;
	uint32_t a_in, b_in;

	keyed_pair(&a, &b, &w, &c, &n);
	a_in = a.sas[0].spi_in;
	b_in = b.sas[0].spi_in;
	/* a's module reports its inbound SA soft-expired, then its outbound */
	ikev1_rekey_child(&a.ctx, a_in);
	ikev1_rekey_child(&a.ctx, a.sas[0].spi_out);
	pump(&w, 0, 0, &n);
	CHECK_INT(a.nsas, 2);
	CHECK_INT(b.nsas, 2);
	CHECK(keys_mirror_at(&a, &b, 1));
	/* then b's: its pair was replaced already, nothing more */
	ikev1_rekey_child(&b.ctx, b_in);
	pump(&w, 0, 0, &n);
	CHECK_INT(a.nsas, 2);
	CHECK_INT(b.nsas, 2);
	done(&a, &b, &c);
}

/*
 * The two ends of a pair must not soft-expire together (both would rekey
 * and leave two new pairs): the pair's initiator announces first, for
 * every jitter, and the responder still keeps a margin before the hard
 * lifetime.
 */
static void initiator_rekeys_first(void)
{
	static struct side a, b;
	static struct wire w;
	static const uint32_t lifes[] = { 120, 3600, 86400 };
	struct capture c;
	unsigned int n = 0;

	keyed_pair(&a, &b, &w, &c, &n);
	CHECK_INT(a.nsas, 1);
	CHECK_INT(b.nsas, 1);
	CHECK(a.sas[0].initiator);
	CHECK(!b.sas[0].initiator);
	for (size_t i = 0; i < sizeof(lifes) / sizeof(lifes[0]); i++) {
		uint32_t hard = lifes[i], latest_i = 0, earliest_r = hard;

		for (uint32_t seed = 0; seed < 1000; seed++) {
			uint32_t si = child_soft_secs(hard, seed * 2654435761u, true);
			uint32_t sr = child_soft_secs(hard, seed * 2246822519u, false);

			if (si > latest_i)
				latest_i = si;
			if (sr < earliest_r)
				earliest_r = sr;
		}
		CHECK(latest_i < earliest_r);
		/* the responder's fallback rekey still has 4 % of the life */
		CHECK(earliest_r <= hard - hard / 25);
		CHECK(earliest_r >= hard * 9 / 10);
	}
	CHECK(child_soft_kb(4608000, true) < child_soft_kb(4608000, false));
	CHECK(child_soft_kb(4608000, false) < 4608000);
	done(&a, &b, &c);
}

/*
 * The quick-mode initiator puts its inbound SA in at QM2 and its outbound
 * IKE_QM3_GRACE_MS after QM3: a responder that installs only on QM3
 * (strongSwan) must not see ESP before it can have its SAs.  Found with
 * charon in selftests/ike_strongswan_module.sh: the packet the module
 * held for the acquire went out before QM3 and charon dropped it.
 */
static void initiator_outbound_after_grace(void)
{
	static struct side a, b;
	static struct wire w;
	struct capture c;
	unsigned int n = 0;
	uint64_t next;

	keyed_pair(&a, &b, &w, &c, &n);
	CHECK_INT(a.nsas, 1);
	CHECK_INT(b.out_late, 1);
	CHECK_INT(a.out_late, 0);
	CHECK_INT(a.ctx.p2_up, 0);
	CHECK(keys_mirror(&a, &b));	/* a's inbound keys are b's outbound */
	next = ikev1_tick(&a.ctx, IKE_QM3_GRACE_MS - 1);
	CHECK_INT(a.out_late, 0);
	CHECK_INT(next, 1);		/* the timer asks to be back in time */
	ikev1_tick(&a.ctx, IKE_QM3_GRACE_MS);
	CHECK_INT(a.out_late, 1);
	CHECK_INT(a.ctx.p2_up, 1);
	CHECK(keys_mirror(&a, &b));
	ikev1_tick(&a.ctx, 2 * IKE_QM3_GRACE_MS);
	CHECK_INT(a.out_late, 1);	/* once */
	done(&a, &b, &c);

	/* the ISAKMP SA goes within the grace: the pair stays, and gets
	 * its outbound half at once */
	keyed_pair(&a, &b, &w, &c, &n);
	ike_sa_delete(&a.ctx, a.ctx.sas, "test");
	CHECK_INT(a.out_late, 1);
	CHECK_INT(a.ctx.nchildren, 1);
	done(&a, &b, &c);

	/* the pair goes within the grace (shutdown, DPD, a delete): its
	 * outbound half never goes in */
	keyed_pair(&a, &b, &w, &c, &n);
	ikev1_shutdown(&a.ctx);
	CHECK_INT(a.out_late, 0);
	CHECK_INT(a.ndel, 1);
	ikev1_tick(&a.ctx, IKE_QM3_GRACE_MS);
	CHECK_INT(a.out_late, 0);
	done(&a, &b, &c);
}

/*
 * An acquire while a pair is tracked: ignored while the pair is being
 * keyed (or its outbound SA just went in); later it means the module lost
 * the pair ("clear crypto sa"): forgotten and keyed again.
 */
static void acquire_after_clear_rekeys(void)
{
	static struct side a, b;
	static struct wire w;
	struct capture c;
	unsigned int n = 0;
	unsigned long sent;
	const struct dm_addr *peer;

	keyed_pair(&a, &b, &w, &c, &n);
	peer = &b.cfg.tun.source;
	ikev1_acquire(&a.ctx, peer);		/* outbound still pending */
	CHECK_INT(w.n, 0);
	tick(&a, &b, IKE_QM3_GRACE_MS);
	CHECK_INT(a.ctx.p2_up, 1);
	ikev1_tick(&a.ctx, IKE_QM3_GRACE_MS + 1000);
	ikev1_acquire(&a.ctx, peer);		/* a late acquire: still fresh */
	CHECK_INT(w.n, 0);
	CHECK_INT(a.ctx.nchildren, 1);
	CHECK_INT(a.ndel, 0);

	ikev1_tick(&a.ctx, 60000);
	ikev1_acquire(&a.ctx, peer);		/* the module lost it */
	CHECK_INT(a.ndel, 1);
	CHECK(w.n > 0);				/* a new quick mode */
	/* the module repeats its acquire before QM2: no second quick mode
	 * (ike_nat_cloud.sh found two pairs keyed for one registration) */
	sent = w.sent;
	ikev1_acquire(&a.ctx, peer);
	CHECK_INT(w.sent, sent);
	pump(&w, 0, 0, &n);
	tick(&a, &b, 60000 + IKE_QM3_GRACE_MS);
	CHECK_INT(a.ctx.nchildren, 1);
	CHECK_INT(a.ctx.p2_up, 2);
	CHECK(keys_mirror_at(&a, &b, 1));
	CHECK_CONTAINS(cap_str(&c), "although 0x");
	done(&a, &b, &c);
}

/* Forward: defined after conf_for. */
static void isakmp_profiles_reload(void);

/*
 * ISAKMP profiles (seed 004): the responder accepts a peer whose
 * authenticated identity matches a profile and whose key is one that
 * profile may use, and refuses the others, naming why; an initiator whose
 * ipsec profile names an ISAKMP profile refuses a responder outside it.
 */
static void isakmp_profiles(void)
{
	static const char ring[] =
		"crypto keyring R\n pre-shared-key address 192.0.2.1 key k\n"
		"crypto keyring S\n pre-shared-key address 203.0.113.1 key z\n";
	static struct side a, b;
	static struct wire w;
	static char conf[512];
	struct capture c;
	unsigned int n = 0;
	const char *log;

	/* accepted: identity 192.0.2.1 in P, its key from keyring R, which P uses */
	snprintf(conf, sizeof(conf), "%scrypto isakmp profile P\n keyring R\n"
		 " match identity address 192.0.2.0 255.255.255.0\n", ring);
	keyed_pair_with(&a, &b, &w, &c, &n, "", conf);
	CHECK(keys_mirror(&a, &b));
	log = cap_str(&c);
	CHECK_CONTAINS(log, "peer matches P profile");
	CHECK_CONTAINS(log, "Found ADDRESS key in keyring R");
	done(&a, &b, &c);

	/* refused: no profile matches 192.0.2.1 */
	snprintf(conf, sizeof(conf), "%scrypto isakmp profile P\n keyring R\n"
		 " match identity address 198.51.100.0/24\n", ring);
	keyed_pair_with(&a, &b, &w, &c, &n, "", conf);
	CHECK_INT(a.nsas + b.nsas, 0);
	CHECK(!b.ctx.sas);
	CHECK_STR(last_failure(&b, "192.0.2.1").code, DM_IKE_FAIL_PROFILE);
	CHECK_CONTAINS(last_failure(&b, "192.0.2.1").reason, "matches no isakmp profile");
	CHECK_CONTAINS(cap_str(&c), "peer 192.0.2.1 (identity 192.0.2.1, type 1) does not match any isakmp profile");
	done(&a, &b, &c);

	/* refused: P matches, but the key came from keyring R and P uses S */
	snprintf(conf, sizeof(conf), "%scrypto isakmp profile P\n keyring S\n"
		 " match identity address 192.0.2.0/24\n", ring);
	keyed_pair_with(&a, &b, &w, &c, &n, "", conf);
	CHECK_INT(a.nsas + b.nsas, 0);
	CHECK_STR(last_failure(&b, "192.0.2.1").code, DM_IKE_FAIL_PROFILE);
	CHECK_CONTAINS(cap_str(&c), "the key for 192.0.2.1 is in keyring R, which isakmp profile P does not use");
	done(&a, &b, &c);

	/* the initiator's ipsec profile names Q, which 192.0.2.2 is not in:
	 * a refuses at MM6 and tells b */
	memset(&w, 0, sizeof(w));
	quiet(&c);
	extra_conf = "crypto isakmp profile Q\n match identity address 198.51.100.0/24\n";
	side_init(&a, 0, &w, "aes 256", "sha256", "14", "k", "esp-gcm 256", " set isakmp-profile Q\n");
	extra_conf = "";
	side_init(&b, 1, &w, "aes 256", "sha256", "14", "k", "esp-gcm 256", "");
	ikev1_initiate(&a.ctx, &b.cfg.tun.source);
	pump(&w, 0, 0, &n);
	CHECK(!a.ctx.sas);
	CHECK(!b.ctx.sas);		/* the delete reached b */
	CHECK_INT(a.nsas + b.nsas, 0);
	CHECK_STR(last_failure(&a, "192.0.2.2").code, DM_IKE_FAIL_PROFILE);
	CHECK_CONTAINS(cap_str(&c), "does not match isakmp profile Q");
	done(&a, &b, &c);

	/* reload: a profile that no longer matches the keyed peer takes its
	 * ISAKMP SA with it; one that still does keeps it */
	isakmp_profiles_reload();
}

/*
 * Phase 1 is replaced before it ends (at 90 % of its life), its IPsec SAs
 * stay where they are, the old ISAKMP SA goes at its expiry, and the next
 * quick mode runs over the successor.
 */
static void phase1_rekey(void)
{
	static const char p120[] =
		"crypto isakmp policy 5\n encr aes 256\n hash sha256\n group 14\n lifetime 120\n";
	static struct side a, b;
	static struct wire w;
	struct capture c;
	unsigned int n = 0, first_a, first_b;
	uint64_t t = 0;
	const char *log;

	keyed_pair_with(&a, &b, &w, &c, &n, p120, p120);
	tick(&a, &b, IKE_QM3_GRACE_MS);
	CHECK_INT(a.ctx.p1_up, 1);
	CHECK_INT(a.ctx.nchildren, 1);
	CHECK(a.ctx.sas && a.ctx.sas->chosen.life_secs == 120);
	first_a = a.ctx.sas->conn_id;
	first_b = b.ctx.sas->conn_id;

	/* up to just before 90 %: nothing new */
	dpd_run(&a, &b, &w, &t, 106, 0, 0, false);
	CHECK_INT(a.ctx.p1_up + b.ctx.p1_up, 2);
	/* past 90 %: a successor on each side that rekeys, keys unchanged */
	dpd_run(&a, &b, &w, &t, 4, 0, 0, false);
	CHECK(a.ctx.p1_up + b.ctx.p1_up >= 3);
	CHECK_INT(a.ndel + b.ndel, 0);
	CHECK(keys_mirror(&a, &b));
	/* past the old one's expiry: it is gone, the successor stays */
	dpd_run(&a, &b, &w, &t, 15, 0, 0, false);
	for (const struct ike_sa *sa = a.ctx.sas; sa; sa = sa->next)
		CHECK(sa->conn_id != first_a && sa->state == QM_IDLE);
	for (const struct ike_sa *sa = b.ctx.sas; sa; sa = sa->next)
		CHECK(sa->conn_id != first_b && sa->state == QM_IDLE);
	CHECK(a.ctx.sas && b.ctx.sas);
	CHECK_INT(a.ndel + b.ndel, 0);
	CHECK_INT(a.ctx.nchildren, 1);

	/* the IPsec pair's rekey goes over the new ISAKMP SA */
	ikev1_rekey_child(&a.ctx, a.sas[0].spi_in);
	pump(&w, 0, 0, &n);
	t += IKE_QM3_GRACE_MS;
	tick(&a, &b, t);
	CHECK_INT(a.nsas, 2);
	CHECK(keys_mirror_at(&a, &b, 1));
	log = cap_str(&c);
	CHECK_CONTAINS(log, "phase 1 rekey (successor of");
	CHECK_CONTAINS(log, "reason \"phase 1 lifetime expired\"");
	done(&a, &b, &c);
}

/*
 * Spokes that cannot key (here: no common ISAKMP policy) must not start a
 * main mode for every acquire the module repeats while traffic flows
 * through the hub: each failure doubles the wait, up to
 * IKE_HOLDDOWN_MAX_MS; a clear, or a phase 1 that completes, ends it.
 */
static bool acquire_sends(struct side *a, struct side *b, struct wire *w,
			  unsigned int *n, uint64_t t)
{
	unsigned long sent = w->sent;

	tick(a, b, t);
	ikev1_acquire(&a->ctx, &b->cfg.tun.source);
	pump(w, 0, 0, n);
	return w->sent != sent;
}

static void acquire_holddown(void)
{
	static struct side a, b;
	static struct wire w;
	struct capture c;
	unsigned int n = 0;
	uint64_t t = 1000, wait = IKE_HOLDDOWN_FIRST_MS;
	const char *log;

	memset(&w, 0, sizeof(w));
	quiet(&c);
	side_init(&a, 0, &w, "aes 256", "sha256", "14", "k", "esp-aes 256 esp-sha256-hmac", "");
	side_init(&b, 1, &w, "aes 256", "sha256", "19", "k", "esp-aes 256 esp-sha256-hmac", "");
	CHECK(acquire_sends(&a, &b, &w, &n, t));
	CHECK(!a.ctx.sas);			/* refused at once */
	for (int round = 0; round < 6; round++) {
		CHECK(!acquire_sends(&a, &b, &w, &n, t + 1));
		CHECK(!acquire_sends(&a, &b, &w, &n, t + wait - 1));
		CHECK(acquire_sends(&a, &b, &w, &n, t + wait));
		t += wait;
		wait = wait * 2 > IKE_HOLDDOWN_MAX_MS ? IKE_HOLDDOWN_MAX_MS : wait * 2;
	}
	CHECK_INT(wait, IKE_HOLDDOWN_MAX_MS);

	/* "clear crypto isakmp" starts afresh */
	CHECK(!acquire_sends(&a, &b, &w, &n, t + 1));
	ikev1_clear_isakmp(&a.ctx, 0);
	CHECK(acquire_sends(&a, &b, &w, &n, t + 2));

	/* the policies agree now: phase 1 completes and the wait is gone */
	ikev1_shutdown(&b.ctx);
	keyer_config_wipe(&b.cfg);
	side_init(&b, 1, &w, "aes 256", "sha256", "14", "k", "esp-aes 256 esp-sha256-hmac", "");
	t += IKE_HOLDDOWN_FIRST_MS + 2;
	CHECK(acquire_sends(&a, &b, &w, &n, t));
	CHECK_INT(a.ctx.p1_up, 1);
	for (size_t i = 0; i < IKE_HOLDDOWN_PEERS; i++)
		CHECK_INT(a.ctx.holddown[i].streak, 0);
	log = cap_str(&c);
	CHECK_CONTAINS(log, "IPSEC: acquire for 192.0.2.2: phase 1 failed 1 time in a row; next attempt in 2 s");
	CHECK_CONTAINS(log, "phase 1 failed 5 times in a row; next attempt in 30 s");
	CHECK_CONTAINS(log, "phase 1 failed 7 times in a row; next attempt in 30 s");
	done(&a, &b, &c);
}

/* Parse the test config for side id with these settings into cfg. */
static void conf_for(struct keyer_config *cfg, int id, const char *key, const char *ts,
		     const char *source)
{
	char text[1024], err[256];

	snprintf(text, sizeof(text), conf_tmpl, extra_conf, "aes 256", "sha256", "14", key,
		 ts, "", source ? source : id ? "192.0.2.2" : "192.0.2.1");
	if (keyer_config_parse(text, "t.conf", cfg, err, sizeof(err)))
		dm_t_fail(__FILE__, __LINE__, "config: %s", err);
}

static void isakmp_profiles_reload(void)
{
	static struct side a, b;
	static struct wire w;
	static struct keyer_config still, gone;
	struct capture c;
	unsigned int n = 0;

	fresh_pair(&a, &b, &w, &c, "",
		   "crypto isakmp profile P\n match identity address 192.0.2.0/24\n");
	ikev1_initiate(&a.ctx, &b.cfg.tun.source);
	pump(&w, 0, 0, &n);
	CHECK(b.ctx.sas && b.ctx.sas->state == QM_IDLE);
	extra_conf = "crypto isakmp profile P\n match identity address 192.0.2.1\n";
	conf_for(&still, 1, "k", "esp-gcm 256", NULL);
	extra_conf = "crypto isakmp profile P\n match identity address 198.51.100.0/24\n";
	conf_for(&gone, 1, "k", "esp-gcm 256", NULL);
	extra_conf = "";
	CHECK_INT(ikev1_reload(&b.ctx, &b.cfg, &still), 0);
	CHECK(b.ctx.sas && b.ctx.sas->state == QM_IDLE);
	CHECK_INT(ikev1_reload(&b.ctx, &still, &gone), 1);
	pump(&w, 0, 0, &n);
	CHECK(!b.ctx.sas);
	CHECK(!a.ctx.sas);			/* told */
	CHECK_CONTAINS(cap_str(&c), "its identity matches no isakmp profile any more");
	b.ctx.cfg = &b.cfg;
	done(&a, &b, &c);
	keyer_config_wipe(&still);
	keyer_config_wipe(&gone);
}

/* SIGHUP: what the new file still covers stays, the rest is deleted and
 * the peer told; a file that moves the tunnel is refused. */
static void reload_keeps_what_is_covered(void)
{
	static struct side a, b;
	static struct wire w;
	static struct keyer_config same, other_ts, other_key, moved;
	struct capture c;
	unsigned int n = 0;
	char why[160];

	keyed_pair(&a, &b, &w, &c, &n);
	tick(&a, &b, IKE_QM3_GRACE_MS);
	CHECK_INT(b.ctx.nchildren, 1);

	/* the same policy, key and transform: nothing goes */
	conf_for(&same, 1, "k", "esp-gcm 256", NULL);
	CHECK(!policy_reload_refusal(&b.cfg, &same, why, sizeof(why)));
	CHECK_INT(ikev1_reload(&b.ctx, &b.cfg, &same), 0);
	pump(&w, 0, 0, &n);
	CHECK_INT(b.ctx.nchildren, 1);
	CHECK(b.ctx.sas && b.ctx.sas->state == QM_IDLE);
	CHECK_INT(a.ndel + b.ndel, 0);

	/* another transform set: the pair goes on both ends, the ISAKMP SA
	 * (same key, same policy) stays */
	conf_for(&other_ts, 1, "k", "esp-aes 256 esp-sha256-hmac", NULL);
	CHECK_INT(ikev1_reload(&b.ctx, &same, &other_ts), 1);
	pump(&w, 0, 0, &n);
	CHECK_INT(b.ndel, 1);
	CHECK_INT(b.ctx.nchildren, 0);
	CHECK_INT(a.ndel, 1);			/* told by the delete */
	CHECK_INT(a.ctx.nchildren, 0);
	CHECK(b.ctx.sas && b.ctx.sas->state == QM_IDLE);

	/* a new key: the ISAKMP SA it authenticated goes, on both ends */
	conf_for(&other_key, 1, "k2", "esp-aes 256 esp-sha256-hmac", NULL);
	CHECK_INT(ikev1_reload(&b.ctx, &other_ts, &other_key), 1);
	pump(&w, 0, 0, &n);
	CHECK(!b.ctx.sas);
	CHECK(!a.ctx.sas);

	/* moving the tunnel needs new sockets: refused */
	conf_for(&moved, 1, "k2", "esp-aes 256 esp-sha256-hmac", "192.0.2.9");
	CHECK(policy_reload_refusal(&other_key, &moved, why, sizeof(why)) != NULL);
	CHECK_CONTAINS(why, "tunnel source changed (192.0.2.2 -> 192.0.2.9)");
	/* the log says what went and why (read last: cap_str closes it) */
	klog_sink = NULL;
	CHECK_CONTAINS(cap_str(&c), "no transform set of profile P has esp-gcm 256");
	CHECK_CONTAINS(cap_str(&c), "pre-shared key changed");

	b.ctx.cfg = &b.cfg;	/* done() wipes b.cfg */
	done(&a, &b, &c);
	keyer_config_wipe(&same);
	keyer_config_wipe(&other_ts);
	keyer_config_wipe(&other_key);
	keyer_config_wipe(&moved);
}

/* The responder's shorter lifetimes reach the initiator (RESPONDER-
 * LIFETIME in QM2): both ends expire the pair at the same time. */
static void responder_lifetime_sent(void)
{
	static struct side a, b;
	static struct wire w;
	struct capture c;
	unsigned int n = 0;

	keyed_pair_with(&a, &b, &w, &c, &n, "",
			"crypto ipsec security-association lifetime seconds 1800\n"
			"crypto ipsec security-association lifetime kilobytes 100000\n");
	CHECK(keys_mirror(&a, &b));
	CHECK_INT(b.sas[0].life_secs, 1800);
	CHECK_INT(a.sas[0].life_secs, 1800);
	CHECK_INT(b.sas[0].life_kb, 100000);
	CHECK_INT(a.sas[0].life_kb, 100000);
	klog_sink = NULL;
	CHECK_CONTAINS(cap_str(&c), "responder lifetime: 1800 s, 100000 kB");
	done(&a, &b, &c);

	/* equal lifetimes: no notify */
	keyed_pair(&a, &b, &w, &c, &n);
	CHECK_INT(a.sas[0].life_secs, 3600);
	klog_sink = NULL;
	CHECK(!strstr(cap_str(&c), "responder lifetime"));
	done(&a, &b, &c);
}

/* ---- aggressive mode ---- */

#define AM_I "crypto isakmp peer address 192.0.2.2\n set aggressive-mode\n"
#define AM_R "crypto isakmp aggressive-mode\n"

/* AM1-3, then quick mode as after main mode: the exchange type, the
 * encrypted AM3 to 4500 (force-encap's NAT), the same keys both ends. */
static void am_handshake(void)
{
	static struct side a, b;
	static struct wire w;
	struct capture c;
	uint8_t exch[12] = { 0 }, flags[12] = { 0 };
	uint16_t to_port[12] = { 0 };
	unsigned int k = 0;
	struct dm_ike_sa_state st;
	char line[512], *text = NULL;
	const char *log;
	size_t len = 0;
	FILE *m;

	fresh_pair(&a, &b, &w, &c, AM_I, AM_R);
	CHECK_INT(ikev1_initiate(&a.ctx, &b.cfg.tun.source), 0);
	CHECK_STR(ike_sa_state_name(a.ctx.sas), "AG_INIT_EXCH");
	while (w.n && k < 12) {
		exch[k] = w.q[0].b[18];
		flags[k] = w.q[0].b[19];
		to_port[k++] = w.q[0].to_port;
		pump_one(&w);
	}
	CHECK_INT(k, 6);		/* AM1-3, QM1-3 */
	for (unsigned int i = 0; i < 3; i++)
		CHECK_INT(exch[i], ISAKMP_XCHG_AGGR);
	CHECK_INT(exch[3], ISAKMP_XCHG_QUICK);
	CHECK_INT(flags[0] & ISAKMP_FLAG_ENC, 0);
	CHECK_INT(flags[1] & ISAKMP_FLAG_ENC, 0);
	CHECK_INT(flags[2] & ISAKMP_FLAG_ENC, ISAKMP_FLAG_ENC);
	CHECK_INT(to_port[0], IKE_PORT);
	CHECK_INT(to_port[1], IKE_PORT);
	CHECK_INT(to_port[2], IKE_NATT_PORT);	/* RFC 3947: AM3 floats */
	CHECK_INT(to_port[3], IKE_NATT_PORT);
	CHECK(keys_mirror(&a, &b));
	CHECK_INT(a.ctx.p1_up, 1);
	CHECK_INT(b.ctx.p1_up, 1);
	CHECK(a.sas[0].encap && a.sas[0].peer_port == IKE_NATT_PORT);
	/* what dmvpnctl reads: an ISAKMP SA like main mode's */
	m = open_memstream(&text, &len);
	ikev1_state_write(&b.ctx, "tun0", m);
	fclose(m);
	CHECK(sscanf(text, "%511[^\n]", line) == 1 && !dm_ikestate_parse(line, &st));
	CHECK_STR(st.state, "QM_IDLE");
	CHECK_INT(st.children, 1);
	free(text);
	/* the SA is used as main mode's: deletes reach the peer */
	ikev1_shutdown(&a.ctx);
	pump(&w, 0, 0, &k);
	CHECK_INT(b.ndel, 1);
	log = cap_str(&c);
	CHECK_CONTAINS(log, "beginning Aggressive Mode exchange with 192.0.2.2 (DH group 14)");
	CHECK_CONTAINS(log, "phase 1 complete with 192.0.2.1 (aggressive mode): AES-CBC-256 SHA256 pre-share group 14");
	done(&a, &b, &c);
}

/* Off by default: the offer is refused (no SA, no answer), counted,
 * logged and kept for "show crypto isakmp failures"; the initiator gives
 * up as with a peer that does not answer. */
static void am_refused_by_default(void)
{
	static struct side a, b;
	static struct wire w;
	struct capture c;
	unsigned int n = 0;
	uint64_t t = 1000;
	const char *log;

	fresh_pair(&a, &b, &w, &c, AM_I, "");
	a.ctx.now_ms = b.ctx.now_ms = t;
	ikev1_initiate(&a.ctx, &b.cfg.tun.source);
	pump(&w, 0, 0, &n);
	CHECK(!b.ctx.sas);
	CHECK_INT(w.sent, 1);		/* AM1, unanswered */
	CHECK_INT(b.ctx.aggr_refused, 1);
	CHECK(b.ctx.rx_dropped >= 1);
	for (int i = 0; i < 8; i++) {
		t += 20000;
		tick(&a, &b, t);
		pump(&w, 0, 0, &n);
	}
	log = cap_str(&c);
	CHECK_CONTAINS(log, "%CRYPTO-4-IKMP_AGGR_REFUSED: aggressive mode offered by 192.0.2.1, refused");
	CHECK_CONTAINS(log, "retransmitting phase 1 AG_INIT_EXCH");
	CHECK_CONTAINS(log, "peer 192.0.2.2 not responding! (phase 1, AG_INIT_EXCH)");
	CHECK_INT(b.ctx.aggr_refused, 4);	/* AM1 and its 3 retransmissions */
	CHECK_STR(last_failure(&b, "192.0.2.1").code, DM_IKE_FAIL_AGGR);
	CHECK_INT(last_failure(&b, "192.0.2.1").count, 4);
	CHECK_STR(last_failure(&a, "192.0.2.2").code, DM_IKE_FAIL_NO_RESPONSE);
	CHECK(!a.ctx.sas && !b.ctx.sas);
	CHECK_INT(a.nsas + b.nsas, 0);
	done(&a, &b, &c);
}

/* Each message lost once, then each delivered twice: retransmission and
 * the answer to a repeat recover; repeats are not re-run. */
static void am_loss_and_duplicates(void)
{
	for (unsigned int i = 1; i <= 12; i++) {
		static struct side a, b;
		static struct wire w;
		struct capture c;
		unsigned int n = 0, lost = i <= 6 ? i : 0, dup = i > 6 ? i - 6 : 0;
		uint64_t t = 0;

		fresh_pair(&a, &b, &w, &c, AM_I, AM_R);
		ikev1_initiate(&a.ctx, &b.cfg.tun.source);
		pump(&w, lost, dup, &n);
		for (int k = 0; k < 6 && !(a.nsas && b.nsas && a.out_late + b.out_late); k++) {
			t += 2100;
			tick(&a, &b, t);
			pump(&w, 0, 0, &n);
		}
		if (!keys_mirror(&a, &b))
			dm_t_fail(__FILE__, __LINE__, "message %u %s: no keyed pair", lost ? lost : dup,
				  lost ? "lost" : "repeated");
		if (a.ctx.p1_up != 1 || b.ctx.p1_up != 1)
			dm_t_fail(__FILE__, __LINE__, "case %u: phase 1 up %lu/%lu times", i,
				  a.ctx.p1_up, b.ctx.p1_up);
		done(&a, &b, &c);
	}
}

/* A wrong key shows at the initiator: HASH_R does not verify. */
static void am_psk_mismatch(void)
{
	static struct side a, b;
	static struct wire w;
	struct capture c;
	unsigned int n = 0;
	uint64_t t = 0;
	const char *log;

	memset(&w, 0, sizeof(w));
	quiet(&c);
	extra_conf = AM_I;
	side_init(&a, 0, &w, "aes 256", "sha256", "14", "right", "esp-gcm 256", "");
	extra_conf = AM_R;
	side_init(&b, 1, &w, "aes 256", "sha256", "14", "wrong", "esp-gcm 256", "");
	extra_conf = "";
	ikev1_initiate(&a.ctx, &b.cfg.tun.source);
	pump(&w, 0, 0, &n);
	for (int i = 0; i < 8; i++) {
		t += 20000;
		tick(&a, &b, t);
		pump(&w, 0, 0, &n);
	}
	log = cap_str(&c);
	CHECK_CONTAINS(log, "HASH_R does not verify (AG_INIT_EXCH); pre-shared key mismatch?");
	CHECK(!strstr(log, "right") && !strstr(log, "wrong"));
	CHECK_INT(a.ctx.p1_up + b.ctx.p1_up, 0);
	CHECK_STR(last_failure(&a, "192.0.2.2").code, DM_IKE_FAIL_PSK);
	CHECK_STR(last_failure(&b, "192.0.2.1").code, DM_IKE_FAIL_NO_RESPONSE);
	CHECK_CONTAINS(last_failure(&b, "192.0.2.1").reason, "no AM3");
	CHECK(!a.ctx.sas && !b.ctx.sas);
	done(&a, &b, &c);
}

/* The KE goes first: the initiator offers its best policy's group only,
 * the responder must have a policy of that group. */
static void am_one_group(void)
{
	static struct side a, b;
	static struct wire w;
	struct capture c;
	unsigned int n = 0;
	const char *log;
	const char *p19 = "crypto isakmp policy 5\n encr aes 256\n hash sha256\n group 19\n";
	char a_conf[256], b_conf[256];

	snprintf(a_conf, sizeof(a_conf), "%s%s", p19, AM_I);
	fresh_pair(&a, &b, &w, &c, a_conf, AM_R);	/* b: group 14 only */
	ikev1_initiate(&a.ctx, &b.cfg.tun.source);
	pump(&w, 0, 0, &n);
	log = cap_str(&c);
	CHECK_CONTAINS(log, "aggressive mode offers one DH group: 1 policy with another left out");
	CHECK_CONTAINS(log, "Diffie-Hellman group offered does not match policy!");
	CHECK_CONTAINS(log, "the peer accepted none of our ISAKMP policies");
	CHECK_STR(last_failure(&b, "192.0.2.1").code, DM_IKE_FAIL_P1_POLICY);
	CHECK(!a.ctx.sas && !b.ctx.sas);
	done(&a, &b, &c);

	/* b with both: the group of the KE is chosen, not b's best */
	snprintf(b_conf, sizeof(b_conf), "%s%s", AM_R,
		 "crypto isakmp policy 20\n encr aes 256\n hash sha256\n group 19\n");
	fresh_pair(&a, &b, &w, &c, a_conf, b_conf);
	ikev1_initiate(&a.ctx, &b.cfg.tun.source);
	pump(&w, 0, 0, &n);
	CHECK(keys_mirror(&a, &b));
	CHECK(b.ctx.sas && b.ctx.sas->chosen.group == 19);
	done(&a, &b, &c);
}

/* An AM1 whose offer mixes groups (not ours: we offer one): the KE's
 * group decides, over the responder's own preference. */
static void am_mixed_offer(void)
{
	static struct side a, b;
	static struct wire w;
	static struct ike_buf buf;
	struct capture c;
	struct isakmp_hdr h = { .exch = ISAKMP_XCHG_AGGR };
	struct ike_dh dh = { 0 };
	uint8_t nonce[16] = { 1 };
	const char *p19 = "crypto isakmp policy 5\n encr aes 256\n hash sha256\n group 19\n";
	char b_conf[256];
	size_t len;

	snprintf(b_conf, sizeof(b_conf), "%s%s", p19, AM_R);
	fresh_pair(&a, &b, &w, &c, p19, b_conf);	/* both: 19 first, then 14 */
	memset(h.icookie, 0x11, 8);
	ike_begin(&buf, &h);
	ikev1_put_p1_proposal(&a.cfg, &buf, 0);	/* groups 19 and 14 */
	CHECK_INT(ike_dh_new(&dh, 14), 0);
	ike_put_raw_payload(&buf, ISAKMP_NP_KE, dh.pub, dh.pub_len);
	ike_put_raw_payload(&buf, ISAKMP_NP_NONCE, nonce, sizeof(nonce));
	ike_put_id(&buf, ID_IPV4_ADDR, 17, IKE_PORT, a.cfg.tun.source.bytes, 4);
	len = ike_finish(&buf);
	ikev1_input(&b.ctx, buf.b, len, &a.cfg.tun.source, IKE_PORT, IKE_PORT);
	CHECK(b.ctx.sas && b.ctx.sas->chosen.group == 14);
	CHECK_INT(w.n, 1);		/* AM2 */
	/* a KE of no offered group: refused */
	ike_dh_free(&dh);
	memset(h.icookie, 0x22, 8);
	ike_begin(&buf, &h);
	ikev1_put_p1_proposal(&a.cfg, &buf, 0);
	CHECK_INT(ike_dh_new(&dh, 15), 0);
	ike_put_raw_payload(&buf, ISAKMP_NP_KE, dh.pub, dh.pub_len);
	ike_put_raw_payload(&buf, ISAKMP_NP_NONCE, nonce, sizeof(nonce));
	ike_put_id(&buf, ID_IPV4_ADDR, 17, IKE_PORT, a.cfg.tun.source.bytes, 4);
	len = ike_finish(&buf);
	ikev1_input(&b.ctx, buf.b, len, &a.cfg.tun.source, IKE_PORT, IKE_PORT);
	CHECK_STR(last_failure(&b, "192.0.2.1").code, DM_IKE_FAIL_P1_POLICY);
	CHECK_CONTAINS(last_failure(&b, "192.0.2.1").reason,
		       "KE payload (384 bytes) fits no offered Diffie-Hellman group");
	ike_dh_free(&dh);
	CHECK_CONTAINS(cap_str(&c), "Diffie-Hellman group offered is not that of the aggressive mode KE!");
	done(&a, &b, &c);
}

/* RFC 2409 draws AM3 in the clear: accepted as the encrypted one is; a
 * clear AM3 with a wrong HASH_I is not. */
static void am3_in_the_clear(void)
{
	for (int tamper = 0; tamper < 2; tamper++) {
		static struct side a, b;
		static struct wire w;
		static uint8_t plain[ISAKMP_MAX_MSG];
		struct ike_msg *pm = calloc(1, sizeof(*pm));
		struct capture c;
		struct pkt am3;
		uint8_t iv[IKE_MAX_BLOCK];
		size_t off = ISAKMP_HDR_LEN;
		uint8_t np;

		fresh_pair(&a, &b, &w, &c, AM_I, AM_R);
		ikev1_initiate(&a.ctx, &b.cfg.tun.source);
		pump_one(&w);		/* AM1 */
		pump_one(&w);		/* AM2: a sends AM3 (then QM1) */
		CHECK(w.n >= 1 && a.ctx.sas);
		am3 = w.q[0];
		w.n = 0;		/* AM3 and QM1 go no further */
		memcpy(iv, a.ctx.sas->keys.iv, sizeof(iv));
		CHECK_INT(ike_decrypt(a.ctx.sas, am3.b, am3.len, iv, plain, pm), 0);
		/* the same payloads, unpadded and in the clear */
		np = plain[16];
		while (np && off + 4 <= am3.len) {
			np = plain[off];
			off += (size_t)plain[off + 2] << 8 | plain[off + 3];
		}
		plain[19] &= ~ISAKMP_FLAG_ENC;
		plain[24] = (uint8_t)(off >> 24);
		plain[25] = (uint8_t)(off >> 16);
		plain[26] = (uint8_t)(off >> 8);
		plain[27] = (uint8_t)off;
		if (tamper)
			plain[ISAKMP_HDR_LEN + 4] ^= 1;	/* HASH_I's first byte */
		ikev1_input(&b.ctx, plain, off, &a.cfg.tun.source, am3.from_port, am3.to_port);
		if (tamper) {
			CHECK_INT(b.ctx.p1_up, 0);
			CHECK_CONTAINS(cap_str(&c), "HASH_I does not verify");
			CHECK_STR(last_failure(&b, "192.0.2.1").code, DM_IKE_FAIL_PSK);
		} else {
			CHECK_INT(b.ctx.p1_up, 1);
			CHECK(b.ctx.sas && b.ctx.sas->state == QM_IDLE &&
			      b.ctx.sas->peer_port == IKE_NATT_PORT);
		}
		free(pm);
		done(&a, &b, &c);
	}
}

/* Corrupt bytes of each aggressive-mode message: no crash, no keys that
 * differ (ASan watches). */
static void am_corrupted_bytes(void)
{
	static struct side a, b;
	static struct wire w;
	struct capture c;
	unsigned int keyed = 0, runs = 0;

	for (unsigned int msg = 0; msg < 3; msg++) {
		for (size_t off = 0; off < 600; off += 5) {
			unsigned int seen = 0;

			fresh_pair(&a, &b, &w, &c, AM_I, AM_R);
			ikev1_initiate(&a.ctx, &b.cfg.tun.source);
			while (w.n && seen < 40) {
				if (seen++ == msg)
					w.q[0].b[off % w.q[0].len] ^= 0x5a;
				pump_one(&w);
			}
			runs++;
			if (a.nsas && b.nsas) {
				keyed++;
				if (!keys_mirror(&a, &b))
					dm_t_fail(__FILE__, __LINE__, "msg %u off %zu: keys differ", msg, off);
			}
			done(&a, &b, &c);
		}
	}
	CHECK(keyed < runs);
}


/* ---- proxy identities ("set proxy-identity") ---- */

/* a and b with the default suite, a_lines / b_lines in profile P. */
static void proxy_sides(struct side *a, struct side *b, struct wire *w,
			struct capture *c, const char *a_lines, const char *b_lines)
{
	memset(w, 0, sizeof(*w));
	quiet(c);
	side_init(a, 0, w, "aes 256", "sha256", "14", "k", "esp-gcm 256", a_lines);
	side_init(b, 1, w, "aes 256", "sha256", "14", "k", "esp-gcm 256", b_lines);
}

static const char *proxy_fmt(const struct dm_proxy_id *p, char *buf, size_t len)
{
	return dm_proxy_id_fmt_ios(p, false, buf, len);
}

/* "show crypto ipsec sa" of side s's first pair, as dmvpnctl prints it
 * from the module's SAs and dmvpnd's published state. */
static char *show_ipsec_sa_of(const struct side *s)
{
	struct dm_dev_info info = { .ifindex = 7, .ifname = "tun0", .has_protect = true,
				    .protect = true, .sock_port = 4500,
				    .local = s->cfg.tun.source };
	struct dm_show_dev dev = { .info = &info };
	struct dm_sa sa = { .ifindex = 7, .dir = DMVPN_SA_DIR_IN, .has_spi = true,
			    .spi = s->sas[0].spi_in, .peer = s->sas[0].peer,
			    .port = 4500, .alg = s->sas[0].esp_alg };
	struct dm_ike_child_state ch[2];
	struct dm_crypto_view v = { .devs = &dev, .ndev = 1, .sas = &sa, .nsa = 1,
				    .children = ch };
	char *text = state_text(s), *line, *save;
	struct capture out;
	struct dm_out o;

	for (line = strtok_r(text, "\n", &save); line && v.nchildren < 2;
	     line = strtok_r(NULL, "\n", &save))
		if (!dm_ikestate_parse_child(line, &ch[v.nchildren]))
			v.nchildren++;
	free(text);
	o = (struct dm_out){ cap_open(&out), false, false };
	dm_show_ipsec_sa(&o, &v, NULL, false);
	text = strdup(cap_str(&out));
	cap_free(&out);
	return text;
}

/* Both ends configured: the initiator proposes its first line, the
 * responder finds it within one of its own; both record and show it. */
static void proxy_subnets_accepted(void)
{
	static struct side a, b;
	static struct wire w;
	struct capture c;
	unsigned int n = 0;
	char x[DM_PROXY_STRLEN];
	char *show;

	proxy_sides(&a, &b, &w, &c,
		    " set proxy-identity local 192.0.2.0/28 remote 192.0.2.0 255.255.255.0\n",
		    " set proxy-identity local 192.0.2.2 remote 198.51.100.0/24\n"
		    " set proxy-identity local 192.0.2.0/24 remote 192.0.2.0/25\n");
	CHECK_INT(ikev1_initiate(&a.ctx, &b.cfg.tun.source), 0);
	pump(&w, 0, 0, &n);
	CHECK(keys_mirror(&a, &b));
	CHECK_STR(proxy_fmt(&a.sas[0].local_id, x, sizeof(x)), "192.0.2.0/255.255.255.240/47/0");
	CHECK_STR(proxy_fmt(&a.sas[0].remote_id, x, sizeof(x)), "192.0.2.0/255.255.255.0/47/0");
	CHECK(dm_proxy_id_equal(&b.sas[0].local_id, &a.sas[0].remote_id));
	CHECK(dm_proxy_id_equal(&b.sas[0].remote_id, &a.sas[0].local_id));
	show = show_ipsec_sa_of(&b);
	CHECK_CONTAINS(show, "   local  ident (addr/mask/prot/port): (192.0.2.0/255.255.255.0/47/0)\n"
			     "   remote ident (addr/mask/prot/port): (192.0.2.0/255.255.255.240/47/0)\n"
			     "   current_peer 192.0.2.1 port 4500\n");
	free(show);
	CHECK_CONTAINS(cap_str(&c), "proposing proxy identities local 192.0.2.0/255.255.255.240/47/0 remote 192.0.2.0/255.255.255.0/47/0");
	done(&a, &b, &c);
	/* damaged "ipsec" lines are refused whole */
	{
		struct dm_ike_child_state ch;

		CHECK_INT(dm_ikestate_parse_child("ipsec if=tun0 peer=192.0.2.1 spi_in=1 spi_out=2 "
						  "local_id=10.0.0.0/8,47,0 remote_id=2001:db8::-2001:db8::9,0,0", &ch), 0);
		CHECK_INT(ch.remote_id.kind, DM_PROXY_RANGE);
		CHECK_INT(dm_ikestate_parse_child("ipsec if=tun0 peer=192.0.2.1 spi_in=1 spi_out=2 "
						  "local_id=10.0.0.0/8,47 remote_id=192.0.2.1,47,0", &ch), -1);
		CHECK_INT(dm_ikestate_parse_child("ipsec if=tun0 peer=192.0.2.1 spi_in=1 spi_out=2 "
						  "local_id=10.0.0.9-10.0.0.1,47,0 remote_id=192.0.2.1,47,0", &ch), -1);
		CHECK_INT(dm_ikestate_parse_child("ipsec if=tun0 peer=192.0.2.1 spi_in=1 "
						  "local_id=10.0.0.0/8,47,0 remote_id=192.0.2.1,47,0", &ch), -1);
		CHECK_INT(dm_ikestate_parse_child("ipsec if=tun0 peer=192.0.2.1 spi_in=1 spi_out=2 "
						  "local_id=10.0.0.0/33,47,0 remote_id=192.0.2.1,256,0", &ch), -1);
	}

	/* with PFS and protocol any; host/47/host still shown as before */
	proxy_sides(&a, &b, &w, &c,
		    " set pfs group14\n set proxy-identity local any remote any protocol any\n",
		    " set pfs group14\n set proxy-identity local any remote any protocol any\n");
	ikev1_initiate(&a.ctx, &b.cfg.tun.source);
	pump(&w, 0, 0, &n);
	CHECK(keys_mirror(&a, &b));
	CHECK_STR(proxy_fmt(&b.sas[0].local_id, x, sizeof(x)), "0.0.0.0/0.0.0.0/0/0");
	done(&a, &b, &c);
	keyed_pair(&a, &b, &w, &c, &n);
	show = show_ipsec_sa_of(&a);
	CHECK_CONTAINS(show, "   local  ident (addr/mask/prot/port): (192.0.2.1/255.255.255.255/47/0)\n"
			     "   remote ident (addr/mask/prot/port): (192.0.2.2/255.255.255.255/47/0)\n");
	free(show);
	done(&a, &b, &c);
}

/* The responder refuses what none of its lines covers, says what was
 * offered and what it takes; the initiator hears INVALID-ID-INFORMATION
 * and says so too.  Nothing is installed. */
static void proxy_uncovered_refused(void)
{
	static const struct {
		const char *a_lines, *b_lines, *b_reason;
	} cases[] = {
		/* the offer is wider than the responder's line */
		{ " set proxy-identity local 192.0.2.0/24 remote 192.0.2.0/24\n",
		  " set proxy-identity local 192.0.2.0/25 remote 192.0.2.0/24\n",
		  "proxy identities local 192.0.2.0/255.255.255.0/47/0 remote 192.0.2.0/255.255.255.0/47/0 refused: "
		  "within no \"set proxy-identity\" of profile P; "
		  "profile P accepts host/47/host, local 192.0.2.0/25 remote 192.0.2.0/24 gre" },
		/* no lines: subnets are refused, as before */
		{ " set proxy-identity local 192.0.2.0/24 remote 192.0.2.0/24\n", "",
		  "refused: profile P has no \"set proxy-identity\" for subnets; profile P accepts host/47/host" },
		/* protocol any is not within gre */
		{ " set proxy-identity local 192.0.2.0/24 remote 192.0.2.0/24 protocol any\n",
		  " set proxy-identity local 192.0.2.0/24 remote 192.0.2.0/24\n",
		  "remote 192.0.2.0/255.255.255.0/0/0 refused: within no \"set proxy-identity\" of profile P" },
	};

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		static struct side a, b;
		static struct wire w;
		struct capture c;
		unsigned int n = 0;
		const char *log;

		proxy_sides(&a, &b, &w, &c, cases[i].a_lines, cases[i].b_lines);
		ikev1_initiate(&a.ctx, &b.cfg.tun.source);
		pump(&w, 0, 0, &n);
		CHECK_INT(a.nsas + b.nsas, 0);
		CHECK_INT(a.ctx.p1_up, 1);	/* phase 1 stands */
		CHECK_STR(last_failure(&b, "192.0.2.1").code, DM_IKE_FAIL_PROXY_ID);
		CHECK_CONTAINS(last_failure(&b, "192.0.2.1").reason, cases[i].b_reason);
		CHECK_STR(last_failure(&a, "192.0.2.2").code, DM_IKE_FAIL_PROXY_ID);
		CHECK_CONTAINS(last_failure(&a, "192.0.2.2").reason,
			       "the peer refused proxy identities local 192.0.2.0/255.255.255.0/");
		log = cap_str(&c);
		CHECK_CONTAINS(log, "IPSEC(validate_transform_proposal): proxy identities not supported");
		CHECK_CONTAINS(log, cases[i].b_reason);
		CHECK_CONTAINS(log, "(INVALID-ID-INFORMATION): its policy wants others");
		done(&a, &b, &c);
	}
}

/* Identities that do not contain the endpoints are refused, even when a
 * line covers them, even host ones without any line (not behind a NAT:
 * the initiator's NAT-OA gives its address). */
static void proxy_endpoints_required(void)
{
	static const struct {
		const char *a_local, *a_remote, *b_lines, *reason;
		unsigned int a_local_plen, a_remote_plen;
	} cases[] = {
		{ "10.1.0.0", "192.0.2.0", " set proxy-identity local 192.0.2.0/24 remote 10.0.0.0/8\n",
		  "the remote identity does not contain the peer's address 192.0.2.1 nor its NAT-OA address",
		  16, 24 },
		{ "192.0.2.0", "198.51.100.0", " set proxy-identity local any remote any\n",
		  "the local identity does not contain our address 192.0.2.2", 24, 24 },
		/* host/47/host of another host */
		{ "192.0.2.9", "192.0.2.2", "",
		  "local 192.0.2.2/255.255.255.255/47/0 remote 192.0.2.9/255.255.255.255/47/0 refused: "
		  "the remote identity does not contain the peer's address 192.0.2.1", 32, 32 },
	};

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		static struct side a, b;
		static struct wire w;
		struct capture c;
		unsigned int n = 0;
		struct proxy_identity *pi;
		struct dm_addr l, r;

		proxy_sides(&a, &b, &w, &c,
			    " set proxy-identity local any remote any\n", cases[i].b_lines);
		/* what a's config check would not let through */
		pi = &a.cfg.prof[0].proxy[0];
		dm_addr_parse(cases[i].a_local, &l);
		dm_addr_parse(cases[i].a_remote, &r);
		dm_proxy_id_prefix(&pi->local, &l, cases[i].a_local_plen, DM_PROTO_GRE);
		dm_proxy_id_prefix(&pi->remote, &r, cases[i].a_remote_plen, DM_PROTO_GRE);
		ikev1_initiate(&a.ctx, &b.cfg.tun.source);
		pump(&w, 0, 0, &n);
		CHECK_INT(a.nsas + b.nsas, 0);
		CHECK_STR(last_failure(&b, "192.0.2.1").code, DM_IKE_FAIL_PROXY_ID);
		CHECK_CONTAINS(last_failure(&b, "192.0.2.1").reason, cases[i].reason);
		done(&a, &b, &c);
	}
}

/* The responder must return what the initiator proposed: anything else
 * (here the initiator's record of its proposal changed after QM1 left,
 * as a responder that narrows would look) is refused. */
static void proxy_echo_mismatch(void)
{
	static struct side a, b;
	static struct wire w;
	struct capture c;
	unsigned int guard = 0;
	bool changed = false;
	struct dm_addr net;

	proxy_sides(&a, &b, &w, &c,
		    " set proxy-identity local 192.0.2.0/24 remote 192.0.2.0/24\n",
		    " set proxy-identity local 192.0.2.0/24 remote 192.0.2.0/24\n");
	ikev1_initiate(&a.ctx, &b.cfg.tun.source);
	while (w.n && guard++ < 100) {
		pump_one(&w);
		if (!changed && a.ctx.sas && a.ctx.sas->qms) {
			dm_addr_parse("192.0.2.0", &net);
			dm_proxy_id_prefix(&a.ctx.sas->qms->local_id, &net, 25, DM_PROTO_GRE);
			changed = true;
		}
	}
	CHECK(changed);
	CHECK_INT(a.nsas, 0);
	CHECK_INT(a.ctx.p2_fail, 1);
	CHECK_STR(last_failure(&a, "192.0.2.2").code, DM_IKE_FAIL_PROXY_ID);
	CHECK_STR(last_failure(&a, "192.0.2.2").reason,
		  "we proposed proxy identities local 192.0.2.0/255.255.255.128/47/0 remote 192.0.2.0/255.255.255.0/47/0, "
		  "the peer answered local 192.0.2.0/255.255.255.0/47/0 remote 192.0.2.0/255.255.255.0/47/0");
	done(&a, &b, &c);
}

/* SIGHUP: a pair whose subnets the new file no longer covers goes; one
 * still covered stays; host/47/host pairs need no line. */
static void proxy_reload(void)
{
	static struct side a, b;
	static struct wire w;
	static struct keyer_config wider, none;
	char text[1024], err[256];
	struct capture c;
	unsigned int n = 0;

	proxy_sides(&a, &b, &w, &c,
		    " set proxy-identity local 192.0.2.0/24 remote 192.0.2.0/24\n",
		    " set proxy-identity local 192.0.2.0/24 remote 192.0.2.0/24\n");
	ikev1_initiate(&a.ctx, &b.cfg.tun.source);
	pump(&w, 0, 0, &n);
	tick(&a, &b, IKE_QM3_GRACE_MS);
	CHECK_INT(b.ctx.nchildren, 1);
	snprintf(text, sizeof(text), conf_tmpl, "", "aes 256", "sha256", "14", "k", "esp-gcm 256",
		 " set proxy-identity local any remote 192.0.0.0/16\n", "192.0.2.2");
	CHECK_INT(keyer_config_parse(text, "t.conf", &wider, err, sizeof(err)), 0);
	CHECK_INT(ikev1_reload(&b.ctx, &b.cfg, &wider), 0);
	conf_for(&none, 1, "k", "esp-gcm 256", NULL);
	CHECK_INT(ikev1_reload(&b.ctx, &wider, &none), 1);
	pump(&w, 0, 0, &n);
	CHECK_INT(b.ctx.nchildren, 0);
	CHECK_INT(a.ctx.nchildren, 0);		/* told */
	CHECK_CONTAINS(cap_str(&c), "after reload: no proxy-identity of profile P covers "
		       "local 192.0.2.0/255.255.255.0/47/0 remote 192.0.2.0/255.255.255.0/47/0 any more");
	b.ctx.cfg = &b.cfg;
	done(&a, &b, &c);

	/* a host pair stays when the lines come */
	keyed_pair(&a, &b, &w, &c, &n);
	tick(&a, &b, IKE_QM3_GRACE_MS);
	CHECK_INT(ikev1_reload(&b.ctx, &b.cfg, &wider), 0);
	CHECK_INT(b.ctx.nchildren, 1);
	b.ctx.cfg = &b.cfg;
	done(&a, &b, &c);
	keyer_config_wipe(&wider);
	keyer_config_wipe(&none);
}

const struct dm_test ikev1_tests[] = {
	{ "ikev1_am_handshake", am_handshake },
	{ "ikev1_am_refused_by_default", am_refused_by_default },
	{ "ikev1_am_loss_and_duplicates", am_loss_and_duplicates },
	{ "ikev1_am_psk_mismatch", am_psk_mismatch },
	{ "ikev1_am_one_dh_group", am_one_group },
	{ "ikev1_am_mixed_offer_ke_decides", am_mixed_offer },
	{ "ikev1_am3_in_the_clear", am3_in_the_clear },
	{ "ikev1_am_corrupted_bytes", am_corrupted_bytes },
	{ "ikev1_responder_lifetime_sent", responder_lifetime_sent },
	{ "ikev1_failure_table", failure_table },
	{ "ikev1_child_of_endpoint", child_of_endpoint },
	{ "ikev1_reload_keeps_what_is_covered", reload_keeps_what_is_covered },
	{ "ikev1_dpd_on_demand", dpd_on_demand },
	{ "ikev1_acquire_after_clear_rekeys", acquire_after_clear_rekeys },
	{ "ikev1_acquire_holddown_after_failures", acquire_holddown },
	{ "ikev1_phase1_rekey", phase1_rekey },
	{ "ikev1_isakmp_profiles", isakmp_profiles },
	{ "ikev1_initiator_outbound_after_grace", initiator_outbound_after_grace },
	{ "ikev1_initiator_rekeys_first", initiator_rekeys_first },
	{ "ikev1_clear_isakmp_keeps_ipsec", clear_isakmp_keeps_ipsec },
	{ "ikev1_one_rekey_per_pair", one_rekey_per_pair },
	{ "ikev1_initial_contact_clears", initial_contact_clears },
	{ "ikev1_simultaneous_main_modes", simultaneous_main_modes },
	{ "ikev1_half_open_limit", half_open_limit },
	{ "ikev1_published_state_shown", published_state },
	{ "ikev1_dpd_dead_peer", dpd_dead_peer },
	{ "ikev1_nat_keepalives", nat_keepalives },
	{ "ikev1_handshake_suites", suites },
	{ "ikev1_every_loss_recovers", every_loss_recovers },
	{ "ikev1_duplicates_answered", duplicates_ignored },
	{ "ikev1_psk_mismatch_sanity_check", psk_mismatch },
	{ "ikev1_policy_mismatch_names_attribute", policy_mismatch },
	{ "ikev1_transform_set_mismatch", transform_set_mismatch },
	{ "ikev1_pfs_required", pfs_required },
	{ "ikev1_corrupted_bytes", corrupted_bytes },
	{ "ikev1_proxy_subnets_accepted", proxy_subnets_accepted },
	{ "ikev1_proxy_uncovered_refused", proxy_uncovered_refused },
	{ "ikev1_proxy_endpoints_required", proxy_endpoints_required },
	{ "ikev1_proxy_echo_mismatch", proxy_echo_mismatch },
	{ "ikev1_proxy_reload", proxy_reload },
	{ NULL, NULL },
};
