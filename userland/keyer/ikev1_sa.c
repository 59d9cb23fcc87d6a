// SPDX-License-Identifier: GPL-2.0-only
/* IKEv1 proposals: phase-1 offers and IOS-style policy matching, and the
 * ESP suite <-> IPsec DOI transform mapping used by quick mode. */
#include <string.h>

#include <linux/dmvpn.h>

#include "ikev1.h"
#include "log.h"

static bool offered(const struct p1_policy *p, uint16_t only_group)
{
	return !p->builtin && (!only_group || p->group == only_group);
}

uint16_t ikev1_p1_first_group(const struct keyer_config *cfg)
{
	for (size_t i = 0; i < cfg->npol; i++)
		if (!cfg->pol[i].builtin)
			return cfg->pol[i].group;
	return 0;
}

void ikev1_put_p1_proposal(const struct keyer_config *cfg, struct ike_buf *b,
			   uint16_t only_group)
{
	size_t sa = ike_sa_begin(b), pr, n = 0, k = 0;

	for (size_t i = 0; i < cfg->npol; i++)
		n += offered(&cfg->pol[i], only_group);
	pr = ike_prop_begin(b, 1, PROTO_ISAKMP, NULL, 0, (uint8_t)n, true);
	for (size_t i = 0; i < cfg->npol; i++) {
		const struct p1_policy *p = &cfg->pol[i];
		size_t t;

		if (!offered(p, only_group))
			continue;
		k++;
		t = ike_trans_begin(b, (uint8_t)k, KEY_IKE, k == n);
		ike_attr(b, OAKLEY_ENC, p->enc);
		if (p->enc == OAKLEY_AES)
			ike_attr(b, OAKLEY_KEY_LEN, p->key_bits);
		ike_attr(b, OAKLEY_HASH, p->hash);
		ike_attr(b, OAKLEY_AUTH, p->auth);
		ike_attr(b, OAKLEY_GROUP, p->group);
		ike_attr(b, OAKLEY_LIFE_TYPE, LIFE_SECONDS);
		ike_attr(b, OAKLEY_LIFE_DURATION, p->life_secs);
		ike_sub_end(b, t);
	}
	ike_sub_end(b, pr);
	ike_pl_end(b, sa);
}

void ikev1_put_attrs(struct ike_buf *b, const struct ike_transform *t)
{
	for (size_t i = 0; i < t->nattrs; i++) {
		const struct ike_attr *a = &t->attrs[i];

		if (a->tv) {
			ike_put16(b, (uint16_t)(0x8000 | a->type));
			ike_put(b, a->val, 2);
		} else {
			ike_put16(b, a->type);
			ike_put16(b, a->len);
			ike_put(b, a->val, a->len);
		}
	}
}

struct p1_offer {
	uint16_t enc, key_bits, hash, auth, group;
	uint32_t life_secs;
	bool bad;		/* an attribute we do not understand */
	uint16_t bad_type;
};

static void read_offer(const struct ike_transform *t, struct p1_offer *o)
{
	uint16_t life_type = 0;

	memset(o, 0, sizeof(*o));
	for (size_t i = 0; i < t->nattrs; i++) {
		const struct ike_attr *a = &t->attrs[i];
		uint64_t v = a->has_num ? a->num : 0;

		switch (a->type) {
		case OAKLEY_ENC: o->enc = (uint16_t)v; break;
		case OAKLEY_KEY_LEN: o->key_bits = (uint16_t)v; break;
		case OAKLEY_HASH: o->hash = (uint16_t)v; break;
		case OAKLEY_AUTH: o->auth = (uint16_t)v; break;
		case OAKLEY_GROUP: o->group = (uint16_t)v; break;
		case OAKLEY_LIFE_TYPE: life_type = (uint16_t)v; break;
		case OAKLEY_LIFE_DURATION:
			if (life_type == LIFE_SECONDS)
				o->life_secs = v > 0xffffffffu ? 0xffffffffu : (uint32_t)v;
			break;
		default:
			o->bad = true;
			o->bad_type = a->type;
		}
	}
}

int ikev1_choose_p1(const struct keyer_config *cfg, unsigned int conn_id,
		    const struct ike_sa_view *sa, uint16_t only_group,
		    struct p1_policy *out, const struct ike_transform **chosen,
		    char *why_out, size_t why_len)
{
	const struct ike_proposal *pr;
	bool why_set = false;

	if (why_out && why_len)
		snprintf(why_out, why_len, "phase 1 SA must carry one ISAKMP proposal");

	if (sa->nprop != 1 || sa->prop[0].proto != PROTO_ISAKMP) {
		klog(KLOG_INFO, "ISAKMP (0:%u): phase 1 SA must carry one ISAKMP proposal",
		     conn_id);
		return -1;
	}
	pr = &sa->prop[0];
	for (size_t i = 0; i < cfg->npol; i++) {
		const struct p1_policy *p = &cfg->pol[i];

		for (size_t j = 0; j < pr->ntrans; j++) {
			const struct ike_transform *t = &pr->trans[j];
			const char *why = NULL;
			struct p1_offer o;
			unsigned int next = j + 1 < pr->ntrans ? ISAKMP_NP_T : 0;

			read_offer(t, &o);
			klog(KLOG_INFO, "ISAKMP (0:%u): Checking ISAKMP transform %u against priority %u policy",
			     conn_id, t->num, p->prio);
			klog(KLOG_DEBUG, "ISAKMP:      encryption %s", policy_enc_name(o.enc));
			if (o.key_bits)
				klog(KLOG_DEBUG, "ISAKMP:      keylength of %u", o.key_bits);
			klog(KLOG_DEBUG, "ISAKMP:      hash %s", policy_hash_name(o.hash));
			klog(KLOG_DEBUG, "ISAKMP:      default group %u", o.group);
			klog(KLOG_DEBUG, "ISAKMP:      auth %s", policy_auth_name(o.auth));
			klog(KLOG_DEBUG, "ISAKMP:      life type in seconds");
			klog(KLOG_DEBUG, "ISAKMP:      life duration of %u", o.life_secs);
			if (t->id != KEY_IKE)
				why = "Transform id offered is not KEY_IKE";
			else if (o.bad)
				why = "Unknown attribute offered";
			else if (o.enc != p->enc)
				why = "Encryption algorithm offered does not match policy!";
			else if (p->enc == OAKLEY_AES && o.key_bits != p->key_bits)
				why = "Key length offered does not match policy!";
			else if (o.hash != p->hash)
				why = "Hash algorithm offered does not match policy!";
			else if (o.auth != p->auth)
				why = "Authentication method offered does not match policy!";
			else if (o.group != p->group)
				why = "Diffie-Hellman group offered does not match policy!";
			else if (only_group && o.group != only_group)
				why = "Diffie-Hellman group offered is not that of the aggressive mode KE!";
			else if (p->builtin)
				why = "default policy 65535 (DES, rsa-sig) is not supported by dmvpnd";
			if (why) {
				if (o.bad)
					klog(KLOG_INFO, "ISAKMP (0:%u): unknown attribute %u", conn_id, o.bad_type);
				klog(KLOG_INFO, "ISAKMP (0:%u): %s", conn_id, why);
				/* the operator's own first policy says most */
				if (why_out && why_len && !why_set)
					snprintf(why_out, why_len, "%s (transform %u, policy %u)",
						 why, t->num, p->prio);
				why_set = true;
				klog(KLOG_INFO, "ISAKMP (0:%u): atts are not acceptable. Next payload is %u",
				     conn_id, next);
				continue;
			}
			klog(KLOG_INFO, "ISAKMP (0:%u): atts are acceptable. Next payload is %u",
			     conn_id, next);
			*out = *p;
			/* the shorter lifetime wins, as on IOS */
			if (o.life_secs && o.life_secs < p->life_secs)
				out->life_secs = o.life_secs;
			*chosen = t;
			return 0;
		}
	}
	klog(KLOG_INFO, "ISAKMP (0:%u): no offers accepted!", conn_id);
	klog(KLOG_INFO, "ISAKMP (0:%u): phase 1 SA not acceptable!", conn_id);
	return -1;
}

static const struct {
	uint32_t alg;
	uint8_t id;
	uint16_t bits;
	uint16_t auth;
} esp_map[] = {
	{ DMVPN_ESP_AES128_GCM16, ESP_AES_GCM_16, 128, 0 },
	{ DMVPN_ESP_AES256_GCM16, ESP_AES_GCM_16, 256, 0 },
	{ DMVPN_ESP_AES128_CBC_HMAC_SHA1_96, ESP_AES_CBC, 128, AUTH_HMAC_SHA1 },
	{ DMVPN_ESP_AES128_CBC_HMAC_SHA256_128, ESP_AES_CBC, 128, AUTH_HMAC_SHA256 },
	{ DMVPN_ESP_AES128_CBC_HMAC_SHA384_192, ESP_AES_CBC, 128, AUTH_HMAC_SHA384 },
	{ DMVPN_ESP_AES128_CBC_HMAC_SHA512_256, ESP_AES_CBC, 128, AUTH_HMAC_SHA512 },
	{ DMVPN_ESP_AES256_CBC_HMAC_SHA1_96, ESP_AES_CBC, 256, AUTH_HMAC_SHA1 },
	{ DMVPN_ESP_AES256_CBC_HMAC_SHA256_128, ESP_AES_CBC, 256, AUTH_HMAC_SHA256 },
	{ DMVPN_ESP_AES256_CBC_HMAC_SHA384_192, ESP_AES_CBC, 256, AUTH_HMAC_SHA384 },
	{ DMVPN_ESP_AES256_CBC_HMAC_SHA512_256, ESP_AES_CBC, 256, AUTH_HMAC_SHA512 },
	{ DMVPN_ESP_3DES_CBC_HMAC_SHA1_96, ESP_3DES, 0, AUTH_HMAC_SHA1 },
	{ DMVPN_ESP_3DES_CBC_HMAC_MD5_96, ESP_3DES, 0, AUTH_HMAC_MD5 },
};

bool ikev1_esp_transform(uint32_t esp_alg, uint8_t *id, uint16_t *key_bits,
			 uint16_t *auth)
{
	for (size_t i = 0; i < sizeof(esp_map) / sizeof(esp_map[0]); i++)
		if (esp_map[i].alg == esp_alg) {
			*id = esp_map[i].id;
			*key_bits = esp_map[i].bits;
			*auth = esp_map[i].auth;
			return true;
		}
	return false;
}

uint32_t ikev1_esp_alg(uint8_t id, uint16_t key_bits, uint16_t auth)
{
	for (size_t i = 0; i < sizeof(esp_map) / sizeof(esp_map[0]); i++)
		if (esp_map[i].id == id && esp_map[i].bits == key_bits &&
		    esp_map[i].auth == auth)
			return esp_map[i].alg;
	return 0;
}
