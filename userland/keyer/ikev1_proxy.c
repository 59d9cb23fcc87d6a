// SPDX-License-Identifier: GPL-2.0-only
/*
 * Quick mode's proxy identities (RFC 2409 5.5, RFC 2407 4.6.2): what we
 * propose, what we accept.  IKEv1 has no narrowing: the responder takes
 * the initiator's IDci/IDcr whole or refuses them (INVALID-ID-
 * INFORMATION), and echoes them.  Whatever is negotiated, the SA the
 * module gets is the same -- GRE to one NBMA peer -- so the identities
 * are checked for what they claim (the endpoints, inside a configured
 * "set proxy-identity"), recorded and shown, nothing more.
 */
#include <string.h>

#include "ikev1.h"

/* ID payload -> identity; NULL or why it is not one we take */
static const char *id_to_proxy(const struct ike_id *id, struct dm_proxy_id *p)
{
	bool v6 = id->type == ID_IPV6_ADDR || id->type == ID_IPV6_ADDR_SUBNET ||
		  id->type == ID_IPV6_ADDR_RANGE;
	size_t alen = v6 ? 16 : 4;
	struct dm_addr a, b;
	unsigned int plen = 0;

	switch (id->type) {
	case ID_IPV4_ADDR:
	case ID_IPV6_ADDR:
		if (id->len != alen)
			return "malformed address identity";
		dm_addr_from_bin(&a, id->data, alen);
		dm_proxy_id_prefix(p, &a, 8 * (unsigned int)alen, id->proto);
		break;
	case ID_IPV4_ADDR_SUBNET:
	case ID_IPV6_ADDR_SUBNET:
		if (id->len != 2 * alen)
			return "malformed subnet identity";
		/* the mask must be contiguous ones */
		for (size_t i = 0; i < alen; i++) {
			uint8_t m = id->data[alen + i];

			if (plen != 8 * i && m)
				return "subnet identity with a non-contiguous mask";
			while (m & 0x80) {
				plen++;
				m = (uint8_t)(m << 1);
			}
			if (m)
				return "subnet identity with a non-contiguous mask";
		}
		dm_addr_from_bin(&a, id->data, alen);
		dm_proxy_id_prefix(p, &a, plen, id->proto);
		p->kind = DM_PROXY_SUBNET;
		break;
	case ID_IPV4_ADDR_RANGE:
	case ID_IPV6_ADDR_RANGE:
		if (id->len != 2 * alen)
			return "malformed range identity";
		dm_addr_from_bin(&a, id->data, alen);
		dm_addr_from_bin(&b, id->data + alen, alen);
		if (dm_proxy_id_range(p, &a, &b, id->proto))
			return "range identity whose end is below its start";
		break;
	default:
		return "identity is not an address, subnet or range";
	}
	p->port = id->port;
	return NULL;
}

void ikev1_put_proxy_id(struct ike_buf *b, const struct dm_proxy_id *p)
{
	bool v6 = p->first.family == AF_INET6;
	uint8_t data[32];
	size_t alen = p->first.len;
	uint8_t type;

	memcpy(data, p->first.bytes, alen);
	switch (p->kind) {
	case DM_PROXY_SUBNET:
		type = v6 ? ID_IPV6_ADDR_SUBNET : ID_IPV4_ADDR_SUBNET;
		memset(data + alen, 0, alen);
		for (unsigned int i = 0; i < p->plen; i++)
			data[alen + i / 8] |= (uint8_t)(0x80u >> (i % 8));
		ike_put_id(b, type, p->proto, p->port, data, 2 * alen);
		return;
	case DM_PROXY_RANGE:
		type = v6 ? ID_IPV6_ADDR_RANGE : ID_IPV4_ADDR_RANGE;
		memcpy(data + alen, p->last.bytes, alen);
		ike_put_id(b, type, p->proto, p->port, data, 2 * alen);
		return;
	default:
		type = v6 ? ID_IPV6_ADDR : ID_IPV4_ADDR;
		ike_put_id(b, type, p->proto, p->port, data, alen);
	}
}

void ikev1_proxy_propose(const struct profile *prof, const struct ike_sa *sa,
			 struct dm_proxy_id *local, struct dm_proxy_id *remote)
{
	const struct proxy_identity *pick = NULL;

	for (size_t i = 0; prof && i < prof->nproxy && !pick; i++)
		if (dm_proxy_id_has(&prof->proxy[i].remote, &sa->peer))
			pick = &prof->proxy[i];
	/* behind a NAT the peer may know itself by an address that no line
	 * names: the first line is what it must be configured for */
	if (!pick && prof && prof->nproxy)
		pick = &prof->proxy[0];
	if (pick) {
		*local = pick->local;
		*remote = pick->remote;
		return;
	}
	dm_proxy_id_prefix(local, &sa->local, 128, DM_PROTO_GRE);
	dm_proxy_id_prefix(remote, &sa->peer, 128, DM_PROTO_GRE);
}

int ikev1_proxy_read(const struct ike_msg *m, struct dm_proxy_id *ci,
		     struct dm_proxy_id *cr, char *why, size_t len)
{
	const struct ike_payload *ids[2];
	size_t n = 0;

	for (size_t i = 0; i < m->n && n < 2; i++)
		if (m->pl[i].type == ISAKMP_NP_ID)
			ids[n++] = &m->pl[i];
	if (n == 0)
		return 0;	/* implicit: the IKE endpoints */
	if (n != 2 || ike_count(m, ISAKMP_NP_ID) != 2) {
		snprintf(why, len, "%zu identity payloads, not 2", ike_count(m, ISAKMP_NP_ID));
		return -1;
	}
	for (size_t i = 0; i < 2; i++) {
		struct dm_proxy_id *p = i ? cr : ci;
		const char *side = i ? "responder" : "initiator";
		const char *bad;
		struct ike_id id;

		if (ike_parse_id(ids[i]->body, ids[i]->len, &id)) {
			snprintf(why, len, "%s identity malformed", side);
			return -1;
		}
		bad = id_to_proxy(&id, p);
		if (bad) {
			snprintf(why, len, "%s %s (type %u)", side, bad, id.type);
			return -1;
		}
		if (id.proto != DM_PROTO_GRE && id.proto) {
			snprintf(why, len, "%s identity for protocol %u: the tunnel carries GRE (47) only",
				 side, id.proto);
			return -1;
		}
		if (id.port) {
			snprintf(why, len, "%s identity for port %u: GRE has no ports", side, id.port);
			return -1;
		}
	}
	return 1;
}

/* NAT-OAi and NAT-OAr (RFC 3947 5.2) of a quick mode, unset if absent */
static void read_natoa(const struct ike_msg *m, struct dm_addr *oai, struct dm_addr *oar)
{
	size_t n = 0;

	memset(oai, 0, sizeof(*oai));
	memset(oar, 0, sizeof(*oar));
	for (size_t i = 0; i < m->n && n < 2; i++) {
		const uint8_t *a;
		size_t alen;
		uint8_t t;

		if ((m->pl[i].type != ISAKMP_NP_NATOA &&
		     m->pl[i].type != ISAKMP_NP_NATOA_DRAFT) ||
		    ike_parse_natoa(m->pl[i].body, m->pl[i].len, &t, &a, &alen))
			continue;
		dm_addr_from_bin(n++ ? oar : oai, a, alen);
	}
}

/*
 * Does an identity hold an endpoint: its address as IKE sees it, or the
 * original address the peer gave for it in NAT-OA?  When NAT-D found
 * that endpoint translated and the peer sent no NAT-OA (tunnel mode), no
 * address can be checked: the peer knows it by one we never see.
 */
static bool holds_endpoint(const struct dm_proxy_id *id, const struct dm_addr *seen,
			   const struct dm_addr *natoa, bool translated)
{
	if (dm_proxy_id_has(id, seen) || (natoa->family && dm_proxy_id_has(id, natoa)))
		return true;
	return translated && !natoa->family;
}

const char *ikev1_proxy_accept(const struct profile *prof, const struct ike_sa *sa,
			       const struct ike_msg *m, const struct dm_proxy_id *local,
			       const struct dm_proxy_id *remote, char *why, size_t len)
{
	struct dm_addr oai, oar;
	char a[DM_ADDR_STRLEN];

	if (local->first.family != sa->local.family ||
	    remote->first.family != sa->local.family) {
		snprintf(why, len, "%s identities over an %s IKE SA",
			 dm_family_name(local->first.family == sa->local.family ?
					remote->first.family : local->first.family),
			 dm_family_name(sa->local.family));
		return why;
	}
	read_natoa(m, &oai, &oar);
	if (!holds_endpoint(local, &sa->local, &oar, sa->natd_local)) {
		snprintf(why, len, "the local identity does not contain our address %s",
			 dm_addr_fmt(&sa->local, a, sizeof(a)));
		return why;
	}
	if (!holds_endpoint(remote, &sa->peer, &oai, sa->nat_peer)) {
		snprintf(why, len, "the remote identity does not contain the peer's address %s%s",
			 dm_addr_fmt(&sa->peer, a, sizeof(a)),
			 oai.family ? " nor its NAT-OA address" : "");
		return why;
	}
	if (dm_proxy_id_is_single(local) && dm_proxy_id_is_single(remote))
		return NULL;	/* host/47/host, always ours */
	if (!prof || !prof->nproxy) {
		snprintf(why, len, "profile %s has no \"set proxy-identity\" for subnets",
			 prof ? prof->name : "(none)");
		return why;
	}
	if (!policy_proxy_covering(prof, local, remote)) {
		snprintf(why, len, "within no \"set proxy-identity\" of profile %s", prof->name);
		return why;
	}
	return NULL;
}

void ikev1_proxy_configured(const struct profile *prof, char *buf, size_t len)
{
	size_t at;

	snprintf(buf, len, "host/47/host");
	for (size_t i = 0; prof && i < prof->nproxy; i++) {
		const struct proxy_identity *pi = &prof->proxy[i];
		char l[DM_PROXY_STRLEN], r[DM_PROXY_STRLEN];

		at = strlen(buf);
		snprintf(buf + at, len - at, ", local %s remote %s%s",
			 dm_proxy_id_fmt_addrs(&pi->local, l, sizeof(l)),
			 dm_proxy_id_fmt_addrs(&pi->remote, r, sizeof(r)),
			 pi->local.proto ? " gre" : " any");
	}
}
