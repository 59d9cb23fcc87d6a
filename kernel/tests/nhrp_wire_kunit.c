// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit: NHRP wire format build and parse (nhrp_wire.c).
 *
 * Every packet handed to the parser is first copied into an allocation of
 * exactly its length, so that KASAN reports any read past the end.
 */
#include <kunit/test.h>
#include <linux/if_ether.h>
#include <linux/skbuff.h>
#include <linux/slab.h>
#include <net/checksum.h>

#include "../compat.h"
#include "../gre.h"
#include "../nhrp.h"
#include "../nhrp_wire.h"

/*
 * A Registration Request byte for byte as FRR's nhrpd sends it
 * (nhrp_reg_send_req() in nhrpd/nhrp_nhs.c, finished by
 * nhrp_packet_complete() in nhrp_packet.c): a spoke with NBMA address
 * 192.0.2.10 and tunnel address 10.255.0.2 registers with the NHS
 * 10.255.0.1, configured with "ip nhrp holdtime 7200", "ip nhrp mtu 1400"
 * and "ip nhrp authentication cisco"; request ID 42.  The checksum was
 * computed independently of the kernel (RFC 1071, odd byte padded).
 */
static const u8 frr_reg_req[] = {
	/* fixed header */
	0x00, 0x01,			/* ar$afn: IPv4 */
	0x08, 0x00,			/* ar$pro.type: IPv4 */
	0x00, 0x00, 0x00, 0x00, 0x00,	/* ar$pro.snap */
	0x01,				/* ar$hopcnt: FRR registers with 1 */
	0x00, 0x69,			/* ar$pktsz: 105 */
	0x57, 0xd5,			/* ar$chksum */
	0x00, 0x34,			/* ar$extoff: 52 */
	0x01,				/* ar$op.version: RFC 2332 */
	0x03,				/* ar$op.type: Registration Request */
	0x04,				/* ar$shtl: NSAP type, 4 bytes */
	0x00,				/* ar$sstl: no subaddress */
	/* common header, offset 20 */
	0x04,				/* ar$spln */
	0x04,				/* ar$tpln */
	0x80, 0x02,			/* flags: unique, Cisco NAT */
	0x00, 0x00, 0x00, 0x2a,		/* request ID */
	0xc0, 0x00, 0x02, 0x0a,		/* source NBMA 192.0.2.10 */
	0x0a, 0xff, 0x00, 0x02,		/* source protocol 10.255.0.2 */
	0x0a, 0xff, 0x00, 0x01,		/* destination protocol 10.255.0.1 */
	/* CIE, offset 40 */
	0x00,				/* code: success */
	0xff,				/* prefix length: FRR sends 255 */
	0x00, 0x00,			/* unused */
	0x05, 0x78,			/* MTU 1400 */
	0x1c, 0x20,			/* holding time 7200 s */
	0x00, 0x00, 0x00,		/* no client NBMA, sub, protocol */
	0x00,				/* preference */
	/* extensions, offset 52 */
	0x80, 0x04, 0x00, 0x00,		/* C, Forward Transit NHS, empty */
	0x80, 0x05, 0x00, 0x00,		/* C, Reverse Transit NHS, empty */
	0x80, 0x03, 0x00, 0x00,		/* C, Responder Address, empty */
	0x00, 0x09, 0x00, 0x14,		/* 64: Cisco NAT address, 20 bytes */
	0x00, 0x20, 0x00, 0x00,		/*   CIE: success, /32, unused */
	0x00, 0x00, 0x00, 0x00,		/*   MTU 0, holding time 0 */
	0x04, 0x00, 0x04, 0x00,		/*   NBMA 4, sub 0, proto 4, pref */
	0xc0, 0x00, 0x02, 0x0a,		/*   client NBMA 192.0.2.10 */
	0x0a, 0xff, 0x00, 0x02,		/*   client protocol 10.255.0.2 */
	0x80, 0x07, 0x00, 0x09,		/* 88: C, Authentication, 9 bytes */
	0x00, 0x00, 0x00, 0x01,		/*   SPI 1: Cisco cleartext */
	'c', 'i', 's', 'c', 'o',	/*   the key, not padded */
	0x80, 0x00, 0x00, 0x00,		/* 101: C, End of Extensions */
};

#define KG_LEN		((unsigned int)sizeof(frr_reg_req))
#define KG_CIE		40	/* offset of the CIE */
#define KG_EXTOFF	52
#define KG_NAT		64	/* offset of the NAT extension */
#define KG_AUTH		88
#define KG_END		101

#define BIG		2048	/* scratch size for built packets */

static struct dmvpn_addr v4(u8 a, u8 b, u8 c, u8 d)
{
	struct dmvpn_addr addr;

	dmvpn_addr_set4(&addr, htonl((u32)a << 24 | (u32)b << 16 |
				     (u32)c << 8 | d));
	return addr;
}

static struct dmvpn_addr v6(u16 last)
{
	struct in6_addr in6 = { .s6_addr = { 0x20, 0x01, 0x0d, 0xb8 } };
	struct dmvpn_addr addr;

	in6.s6_addr[14] = last >> 8;
	in6.s6_addr[15] = last & 0xff;
	dmvpn_addr_set6(&addr, &in6);
	return addr;
}

/* Addresses of the test network, by family and host number. */
static struct dmvpn_addr nbma_addr(sa_family_t family, u8 host)
{
	return family == AF_INET ? v4(192, 0, 2, host) : v6(0x100 + host);
}

static struct dmvpn_addr proto_addr(sa_family_t family, u8 host)
{
	return family == AF_INET ? v4(10, 255, 0, host) : v6(0xff00 + host);
}

/* An exact-size copy of @src, for KASAN; len 0 gives ZERO_SIZE_PTR. */
static u8 *dup_exact(struct kunit *test, const u8 *src, unsigned int len)
{
	u8 *buf;

	if (!len)
		return ZERO_SIZE_PTR;
	buf = kunit_kmalloc(test, len, GFP_KERNEL);
	KUNIT_ASSERT_NOT_ERR_OR_NULL(test, buf);
	memcpy(buf, src, len);
	return buf;
}

static enum dmvpn_nhrp_wire_err parse_exact(struct kunit *test, const u8 *src,
					    unsigned int len,
					    struct dmvpn_nhrp_wire_msg *msg)
{
	return dmvpn_nhrp_wire_parse(dup_exact(test, src, len), len, msg);
}

static void fix_csum(u8 *buf)
{
	unsigned int pktsz = get_unaligned_be16(buf + 10);

	put_unaligned_be16(0, buf + 12);
	put_unaligned((__force u16)ip_compute_csum(buf, pktsz),
		      (u16 *)(buf + 12));
}

/* A writable copy of the known-good packet, to break one field of. */
static u8 *kg_copy(struct kunit *test)
{
	return dup_exact(test, frr_reg_req, KG_LEN);
}

/* Re-checksum @buf (ar$pktsz bytes of it) and parse an exact copy. */
static enum dmvpn_nhrp_wire_err parse_fixed(struct kunit *test, u8 *buf,
					    struct dmvpn_nhrp_wire_msg *msg)
{
	fix_csum(buf);
	return parse_exact(test, buf, get_unaligned_be16(buf + 10), msg);
}

/* The first @pktsz bytes of @src as a packet of that size. */
static enum dmvpn_nhrp_wire_err parse_cut(struct kunit *test, const u8 *src,
					  unsigned int pktsz,
					  struct dmvpn_nhrp_wire_msg *msg)
{
	u8 *buf = dup_exact(test, src, pktsz);

	put_unaligned_be16(pktsz, buf + 10);
	fix_csum(buf);
	return dmvpn_nhrp_wire_parse(buf, pktsz, msg);
}

/* Build into scratch space, then parse an exact-size copy. */
static enum dmvpn_nhrp_wire_err build_parse(struct kunit *test,
					    enum dmvpn_nhrp_op type,
					    const struct dmvpn_nhrp_wire_pkt *pkt,
					    struct dmvpn_nhrp_wire_msg *msg)
{
	u8 *buf = kunit_kzalloc(test, BIG, GFP_KERNEL);
	int len;

	KUNIT_ASSERT_NOT_ERR_OR_NULL(test, buf);
	len = dmvpn_nhrp_wire_build(buf, BIG, type, pkt);
	KUNIT_ASSERT_GT(test, len, 0);
	return parse_exact(test, buf, len, msg);
}

static void expect_cie_eq(struct kunit *test,
			  const struct dmvpn_nhrp_wire_cie *got,
			  const struct dmvpn_nhrp_wire_cie *want)
{
	KUNIT_EXPECT_EQ(test, got->code, want->code);
	KUNIT_EXPECT_EQ(test, got->prefix_len, want->prefix_len);
	KUNIT_EXPECT_EQ(test, got->mtu, want->mtu);
	KUNIT_EXPECT_EQ(test, got->holdtime, want->holdtime);
	KUNIT_EXPECT_EQ(test, got->preference, want->preference);
	KUNIT_EXPECT_TRUE(test, dmvpn_addr_equal(&got->nbma, &want->nbma));
	KUNIT_EXPECT_TRUE(test, dmvpn_addr_equal(&got->proto, &want->proto));
}

/* The CIEs of @span must be exactly @want[0..@n). */
static void expect_cies(struct kunit *test,
			const struct dmvpn_nhrp_wire_msg *msg,
			struct dmvpn_nhrp_wire_span span,
			const struct dmvpn_nhrp_wire_cie *want, unsigned int n)
{
	struct dmvpn_nhrp_wire_cie_iter it;
	struct dmvpn_nhrp_wire_cie cie;
	unsigned int i = 0;

	dmvpn_nhrp_wire_cie_iter_init(&it, msg, span);
	while (dmvpn_nhrp_wire_cie_next(&it, &cie)) {
		KUNIT_ASSERT_LT(test, i, n);
		expect_cie_eq(test, &cie, &want[i]);
		i++;
	}
	KUNIT_EXPECT_EQ(test, i, n);
}

static bool auth_is(const struct dmvpn_nhrp_wire_msg *msg, u32 spi,
		    const char *key)
{
	return dmvpn_nhrp_wire_auth_match(msg, spi, key, strlen(key));
}

static void wire_frr_reg_req_parse(struct kunit *test)
{
	const struct dmvpn_nhrp_wire_cie reg = {
		.prefix_len = 0xff, .mtu = 1400, .holdtime = 7200,
	};
	const struct dmvpn_nhrp_wire_cie nat = {
		.prefix_len = 32,
		.nbma = v4(192, 0, 2, 10),
		.proto = v4(10, 255, 0, 2),
	};
	const struct dmvpn_addr nbma = v4(192, 0, 2, 10);
	const struct dmvpn_addr src = v4(10, 255, 0, 2);
	const struct dmvpn_addr dst = v4(10, 255, 0, 1);
	struct dmvpn_nhrp_wire_msg msg;

	KUNIT_ASSERT_EQ(test, parse_exact(test, frr_reg_req, KG_LEN, &msg),
			DMVPN_NHRP_WIRE_OK);
	KUNIT_EXPECT_EQ(test, msg.type, DMVPN_NHRP_REG_REQ);
	KUNIT_EXPECT_EQ(test, msg.afn, DMVPN_NHRP_AFN_IPV4);
	KUNIT_EXPECT_EQ(test, msg.pro_type, ETH_P_IP);
	KUNIT_EXPECT_EQ(test, msg.hopcnt, 1);
	KUNIT_EXPECT_EQ(test, msg.pktsz, KG_LEN);
	KUNIT_EXPECT_EQ(test, msg.extoff, KG_EXTOFF);
	KUNIT_EXPECT_EQ(test, msg.flags,
			DMVPN_NHRP_F_REG_UNIQUE | DMVPN_NHRP_F_WIRE_NAT);
	KUNIT_EXPECT_EQ(test, msg.request_id, 42U);
	KUNIT_EXPECT_TRUE(test, dmvpn_addr_equal(&msg.src_nbma, &nbma));
	KUNIT_EXPECT_TRUE(test, dmvpn_addr_equal(&msg.src_proto, &src));
	KUNIT_EXPECT_TRUE(test, dmvpn_addr_equal(&msg.dst_proto, &dst));
	KUNIT_EXPECT_EQ(test, msg.cie_count, 1U);
	KUNIT_EXPECT_EQ(test, msg.cies.off, KG_CIE);
	KUNIT_EXPECT_EQ(test, msg.cies.len, 12);
	expect_cies(test, &msg, msg.cies, &reg, 1);

	KUNIT_EXPECT_TRUE(test, msg.ext[DMVPN_NHRP_EXT_FWD_TRANSIT].present);
	KUNIT_EXPECT_TRUE(test, msg.ext[DMVPN_NHRP_EXT_FWD_TRANSIT].compulsory);
	KUNIT_EXPECT_EQ(test, msg.ext[DMVPN_NHRP_EXT_FWD_TRANSIT].value.len, 0);
	KUNIT_EXPECT_TRUE(test, msg.ext[DMVPN_NHRP_EXT_REV_TRANSIT].present);
	KUNIT_EXPECT_TRUE(test, msg.ext[DMVPN_NHRP_EXT_RESPONDER].present);
	KUNIT_EXPECT_EQ(test, msg.ext[DMVPN_NHRP_EXT_RESPONDER].hdr.off, 60);
	KUNIT_EXPECT_TRUE(test, msg.ext[DMVPN_NHRP_EXT_NAT_ADDR].present);
	KUNIT_EXPECT_FALSE(test, msg.ext[DMVPN_NHRP_EXT_NAT_ADDR].compulsory);
	KUNIT_EXPECT_EQ(test, msg.ext[DMVPN_NHRP_EXT_NAT_ADDR].value.off,
			KG_NAT + 4);
	KUNIT_EXPECT_EQ(test, msg.ext[DMVPN_NHRP_EXT_NAT_ADDR].value.len, 20);
	expect_cies(test, &msg, msg.ext[DMVPN_NHRP_EXT_NAT_ADDR].value, &nat, 1);
	KUNIT_EXPECT_TRUE(test, msg.ext[DMVPN_NHRP_EXT_AUTH].present);
	KUNIT_EXPECT_EQ(test, msg.ext[DMVPN_NHRP_EXT_AUTH].value.len, 9);
	KUNIT_EXPECT_FALSE(test, msg.ext[DMVPN_NHRP_EXT_VENDOR].present);
	KUNIT_EXPECT_EQ(test, msg.unknown_ext, 0U);

	KUNIT_EXPECT_TRUE(test, auth_is(&msg, DMVPN_NHRP_AUTH_CLEARTEXT, "cisco"));
	KUNIT_EXPECT_FALSE(test, auth_is(&msg, DMVPN_NHRP_AUTH_CLEARTEXT, "cisc"));
	KUNIT_EXPECT_FALSE(test, auth_is(&msg, DMVPN_NHRP_AUTH_CLEARTEXT, "cisco1"));
	KUNIT_EXPECT_FALSE(test, auth_is(&msg, DMVPN_NHRP_AUTH_CLEARTEXT, "Cisco"));
	KUNIT_EXPECT_FALSE(test, auth_is(&msg, 2, "cisco"));
	/* Padding after ar$pktsz (e.g. from the link) is ignored. */
	{
		u8 *padded = kunit_kzalloc(test, KG_LEN + 3, GFP_KERNEL);

		KUNIT_ASSERT_NOT_ERR_OR_NULL(test, padded);
		memcpy(padded, frr_reg_req, KG_LEN);
		KUNIT_EXPECT_EQ(test, parse_exact(test, padded, KG_LEN + 3, &msg),
				DMVPN_NHRP_WIRE_OK);
		KUNIT_EXPECT_EQ(test, msg.pktsz, KG_LEN);
	}
}

/* The same packet from our builder: every byte, checksum included. */
static void wire_frr_reg_req_build(struct kunit *test)
{
	const struct dmvpn_nhrp_wire_cie reg = {
		.prefix_len = 0xff, .mtu = 1400, .holdtime = 7200,
	};
	const struct dmvpn_nhrp_wire_cie nat = {
		.prefix_len = 32,
		.nbma = v4(192, 0, 2, 10),
		.proto = v4(10, 255, 0, 2),
	};
	const struct dmvpn_nhrp_wire_ext_spec exts[] = {
		{ .type = DMVPN_NHRP_EXT_COMPULSORY | DMVPN_NHRP_EXT_FWD_TRANSIT },
		{ .type = DMVPN_NHRP_EXT_COMPULSORY | DMVPN_NHRP_EXT_REV_TRANSIT },
		{ .type = DMVPN_NHRP_EXT_COMPULSORY | DMVPN_NHRP_EXT_RESPONDER },
		{ .type = DMVPN_NHRP_EXT_NAT_ADDR, .cies = &nat, .n_cies = 1 },
		{
			.type = DMVPN_NHRP_EXT_COMPULSORY | DMVPN_NHRP_EXT_AUTH,
			.spi = DMVPN_NHRP_AUTH_CLEARTEXT,
			.data = "cisco", .data_len = 5,
		},
	};
	const struct dmvpn_nhrp_wire_pkt pkt = {
		.hopcnt = 1,
		.flags = DMVPN_NHRP_F_REG_UNIQUE | DMVPN_NHRP_F_WIRE_NAT,
		.request_id = 42,
		.src_nbma = v4(192, 0, 2, 10),
		.src_proto = v4(10, 255, 0, 2),
		.dst_proto = v4(10, 255, 0, 1),
		.cies = &reg, .n_cies = 1,
		.exts = exts, .n_exts = ARRAY_SIZE(exts),
	};
	unsigned int i, size;
	u8 *buf;

	buf = kunit_kzalloc(test, KG_LEN, GFP_KERNEL);
	KUNIT_ASSERT_NOT_ERR_OR_NULL(test, buf);
	KUNIT_ASSERT_EQ(test, dmvpn_nhrp_wire_build_reg_req(buf, KG_LEN, &pkt),
			(int)KG_LEN);
	for (i = 0; i < KG_LEN; i++)
		KUNIT_EXPECT_EQ_MSG(test, buf[i], frr_reg_req[i], "byte %u", i);

	/* Every size short of it: refused, nothing written past the end. */
	for (size = 0; size < KG_LEN; size++) {
		buf = size ? kunit_kzalloc(test, size, GFP_KERNEL) : NULL;
		KUNIT_EXPECT_EQ_MSG(test,
				    dmvpn_nhrp_wire_build_reg_req(buf, size, &pkt),
				    -EMSGSIZE, "size %u", size);
	}
}

/*
 * Build-then-parse every packet type in every combination of NBMA and
 * protocol family, with every extension the builder knows.
 */
static void wire_roundtrip_all_types(struct kunit *test)
{
	static const sa_family_t fams[] = { AF_INET, AF_INET6 };
	static const u8 contents[] = { 0x45, 0, 0, 7, 1, 2, 3 };	/* odd */
	static const u8 vendor[] = { 0x00, 0x00, 0x0c, 0xaa, 0xbb };
	unsigned int n, p, type;

	for (n = 0; n < ARRAY_SIZE(fams); n++) {
		for (p = 0; p < ARRAY_SIZE(fams); p++) {
			sa_family_t nf = fams[n], pf = fams[p];
			const struct dmvpn_nhrp_wire_cie cies[] = {
				{
					.code = DMVPN_NHRP_CODE_SUCCESS,
					.prefix_len = pf == AF_INET ? 32 : 128,
					.mtu = 1400, .holdtime = 600,
					.preference = 7,
					.nbma = nbma_addr(nf, 20),
					.proto = proto_addr(pf, 20),
				},
				{
					.code = DMVPN_NHRP_CODE_NOT_UNIQUE,
					.prefix_len = 24, .holdtime = 0xffff,
				},
				{
					.code = DMVPN_NHRP_CODE_NO_BINDING,
					.proto = proto_addr(pf, 21),
				},
			};
			const struct dmvpn_nhrp_wire_cie nhs[] = {
				{ .nbma = nbma_addr(nf, 1),
				  .proto = proto_addr(pf, 1), .mtu = 1500 },
				{ .nbma = nbma_addr(nf, 2),
				  .proto = proto_addr(pf, 2), .holdtime = 30 },
			};
			const struct dmvpn_nhrp_wire_ext_spec exts[] = {
				{ .type = DMVPN_NHRP_EXT_COMPULSORY |
					  DMVPN_NHRP_EXT_RESPONDER,
				  .cies = &nhs[0], .n_cies = 1 },
				{ .type = DMVPN_NHRP_EXT_COMPULSORY |
					  DMVPN_NHRP_EXT_FWD_TRANSIT,
				  .cies = nhs, .n_cies = 2 },
				{ .type = DMVPN_NHRP_EXT_COMPULSORY |
					  DMVPN_NHRP_EXT_REV_TRANSIT },
				{ .type = DMVPN_NHRP_EXT_NAT_ADDR,
				  .cies = &cies[0], .n_cies = 1 },
				{ .type = DMVPN_NHRP_EXT_VENDOR,
				  .data = vendor, .data_len = sizeof(vendor) },
				{ .type = DMVPN_NHRP_EXT_COMPULSORY |
					  DMVPN_NHRP_EXT_AUTH,
				  .spi = DMVPN_NHRP_AUTH_CLEARTEXT,
				  .data = "secret12", .data_len = 8 },
			};

			for (type = DMVPN_NHRP_RES_REQ;
			     type <= DMVPN_NHRP_TRAFFIC_IND; type++) {
				bool ind = type >= DMVPN_NHRP_ERROR_IND;
				struct dmvpn_nhrp_wire_pkt pkt = {
					.hopcnt = 64,
					.flags = 0x8802,
					.request_id = 0xdeadbeef,
					.code = 0x1234,
					.error_offset = 0x56,
					.src_nbma = nbma_addr(nf, 10),
					.src_proto = proto_addr(pf, 10),
					.dst_proto = proto_addr(pf, 1),
					.exts = exts,
					.n_exts = ARRAY_SIZE(exts),
				};
				struct dmvpn_nhrp_wire_msg msg;
				const struct dmvpn_nhrp_wire_ext *e = msg.ext;

				if (ind) {
					pkt.contents = contents;
					pkt.contents_len = sizeof(contents);
				} else {
					pkt.cies = cies;
					pkt.n_cies = ARRAY_SIZE(cies);
				}
				KUNIT_ASSERT_EQ_MSG(test,
						    build_parse(test, type, &pkt, &msg),
						    DMVPN_NHRP_WIRE_OK,
						    "type %u nbma %u proto %u",
						    type, nf, pf);
				KUNIT_EXPECT_EQ(test, msg.type, type);
				KUNIT_EXPECT_EQ(test, msg.hopcnt, 64);
				KUNIT_EXPECT_EQ(test, msg.afn, nf == AF_INET ?
						DMVPN_NHRP_AFN_IPV4 :
						DMVPN_NHRP_AFN_IPV6);
				KUNIT_EXPECT_EQ(test, msg.pro_type, pf == AF_INET ?
						ETH_P_IP : ETH_P_IPV6);
				KUNIT_EXPECT_TRUE(test,
						  dmvpn_addr_equal(&msg.src_nbma,
								   &pkt.src_nbma));
				KUNIT_EXPECT_TRUE(test,
						  dmvpn_addr_equal(&msg.src_proto,
								   &pkt.src_proto));
				KUNIT_EXPECT_TRUE(test,
						  dmvpn_addr_equal(&msg.dst_proto,
								   &pkt.dst_proto));
				if (ind) {
					KUNIT_EXPECT_EQ(test, msg.code, 0x1234);
					KUNIT_EXPECT_EQ(test, msg.error_offset,
							type == DMVPN_NHRP_ERROR_IND ?
							0x56 : 0);
					KUNIT_EXPECT_EQ(test, msg.contents.len,
							sizeof(contents));
					KUNIT_EXPECT_EQ(test, memcmp(msg.buf +
							msg.contents.off, contents,
							sizeof(contents)), 0);
					KUNIT_EXPECT_EQ(test, msg.cie_count, 0U);
					KUNIT_EXPECT_EQ(test, msg.flags, 0);
				} else {
					KUNIT_EXPECT_EQ(test, msg.flags, 0x8802);
					KUNIT_EXPECT_EQ(test, msg.request_id,
							0xdeadbeefU);
					KUNIT_EXPECT_EQ(test, msg.cie_count, 3U);
					expect_cies(test, &msg, msg.cies, cies, 3);
					KUNIT_EXPECT_TRUE(test,
							  IS_ALIGNED(msg.extoff, 4));
				}
				expect_cies(test, &msg,
					    e[DMVPN_NHRP_EXT_RESPONDER].value,
					    &nhs[0], 1);
				expect_cies(test, &msg,
					    e[DMVPN_NHRP_EXT_FWD_TRANSIT].value,
					    nhs, 2);
				KUNIT_EXPECT_TRUE(test,
						  e[DMVPN_NHRP_EXT_REV_TRANSIT].present);
				KUNIT_EXPECT_EQ(test,
						e[DMVPN_NHRP_EXT_REV_TRANSIT].value.len,
						0);
				expect_cies(test, &msg,
					    e[DMVPN_NHRP_EXT_NAT_ADDR].value,
					    &cies[0], 1);
				KUNIT_EXPECT_EQ(test, e[DMVPN_NHRP_EXT_VENDOR].value.len,
						sizeof(vendor));
				KUNIT_EXPECT_EQ(test, memcmp(msg.buf +
						e[DMVPN_NHRP_EXT_VENDOR].value.off,
						vendor, sizeof(vendor)), 0);
				KUNIT_EXPECT_TRUE(test, auth_is(&msg,
								DMVPN_NHRP_AUTH_CLEARTEXT,
								"secret12"));
			}
		}
	}
}

/* No extensions: ar$extoff 0, no End of Extensions either. */
static void wire_roundtrip_no_extensions(struct kunit *test)
{
	const struct dmvpn_nhrp_wire_cie cie = {
		.prefix_len = 128, .nbma = v6(5), .proto = v6(0xff05),
	};
	const struct dmvpn_nhrp_wire_pkt pkt = {
		.hopcnt = 255,
		.flags = DMVPN_NHRP_F_PURGE_NO_REPLY,
		.request_id = 1,
		.src_nbma = v6(1), .src_proto = v6(0xff01),
		.dst_proto = v6(0xff02),
		.cies = &cie, .n_cies = 1,
	};
	struct dmvpn_nhrp_wire_msg msg;
	u8 *buf = kunit_kzalloc(test, BIG, GFP_KERNEL);
	int len;

	KUNIT_ASSERT_NOT_ERR_OR_NULL(test, buf);
	len = dmvpn_nhrp_wire_build_purge_req(buf, BIG, &pkt);
	/* 20 + 8 + 3 * 16 + 12 + 2 * 16 */
	KUNIT_ASSERT_EQ(test, len, 120);
	KUNIT_EXPECT_EQ(test, get_unaligned_be16(buf + 14), 0);
	KUNIT_ASSERT_EQ(test, parse_exact(test, buf, len, &msg),
			DMVPN_NHRP_WIRE_OK);
	KUNIT_EXPECT_EQ(test, msg.extoff, 0);
	KUNIT_EXPECT_EQ(test, msg.flags, DMVPN_NHRP_F_PURGE_NO_REPLY);
	expect_cies(test, &msg, msg.cies, &cie, 1);
	KUNIT_EXPECT_FALSE(test, msg.ext[DMVPN_NHRP_EXT_END].present);
	KUNIT_EXPECT_FALSE(test, dmvpn_nhrp_wire_auth_match(&msg, 1, "", 0));

	/* The same with an empty Purge Reply and no CIEs at all. */
	len = dmvpn_nhrp_wire_build_purge_reply(buf, BIG, &(struct dmvpn_nhrp_wire_pkt){
		.hopcnt = 1, .src_nbma = v4(192, 0, 2, 1),
		.src_proto = v6(1), .dst_proto = v6(2) });
	KUNIT_ASSERT_EQ(test, len, 20 + 8 + 4 + 32);
	KUNIT_ASSERT_EQ(test, parse_exact(test, buf, len, &msg),
			DMVPN_NHRP_WIRE_OK);
	KUNIT_EXPECT_EQ(test, msg.cie_count, 0U);
	KUNIT_EXPECT_EQ(test, msg.cies.len, 0);
}

/*
 * An Error Indication carries the packet in error, which parses on its
 * own; a Traffic Indication (Cisco redirect, as FRR sends it: hop count
 * 1, code 0) carries the data packet that was redirected.
 */
static void wire_indications(struct kunit *test)
{
	static const u8 ip_pkt[] = {
		0x45, 0x00, 0x00, 0x1c, 0x00, 0x01, 0x00, 0x00,
		0x40, 0x01, 0x00, 0x00, 0x0a, 0x01, 0x00, 0x01,
		0x0a, 0x02, 0x00, 0x01, 0x08, 0x00, 0xf7, 0xff,
		0x00, 0x00, 0x00, 0x00,
	};
	struct dmvpn_nhrp_wire_pkt pkt = {
		.hopcnt = 1,
		.code = DMVPN_NHRP_EI_UNRECOGNIZED_EXT,
		.error_offset = KG_NAT,
		.src_nbma = v4(198, 51, 100, 1),
		.src_proto = v4(10, 255, 0, 1),
		.dst_proto = v4(10, 255, 0, 2),
		.contents = frr_reg_req,
		.contents_len = KG_LEN,
	};
	struct dmvpn_nhrp_wire_msg msg, inner;
	u8 *buf = kunit_kzalloc(test, BIG, GFP_KERNEL);
	int len;

	KUNIT_ASSERT_NOT_ERR_OR_NULL(test, buf);
	len = dmvpn_nhrp_wire_build_error_ind(buf, BIG, &pkt);
	KUNIT_ASSERT_EQ(test, len, 40 + (int)KG_LEN);
	KUNIT_ASSERT_EQ(test, parse_exact(test, buf, len, &msg),
			DMVPN_NHRP_WIRE_OK);
	KUNIT_EXPECT_EQ(test, msg.type, DMVPN_NHRP_ERROR_IND);
	KUNIT_EXPECT_EQ(test, msg.code, DMVPN_NHRP_EI_UNRECOGNIZED_EXT);
	KUNIT_EXPECT_EQ(test, msg.error_offset, KG_NAT);
	KUNIT_ASSERT_EQ(test, msg.contents.len, KG_LEN);
	KUNIT_ASSERT_EQ(test, dmvpn_nhrp_wire_parse(msg.buf + msg.contents.off,
						    msg.contents.len, &inner),
			DMVPN_NHRP_WIRE_OK);
	KUNIT_EXPECT_EQ(test, inner.request_id, 42U);

	/* Extensions after an odd-length packet: extoff is unaligned. */
	pkt.contents_len = KG_LEN - 2;
	pkt.exts = &(struct dmvpn_nhrp_wire_ext_spec){
		.type = DMVPN_NHRP_EXT_COMPULSORY | DMVPN_NHRP_EXT_AUTH,
		.spi = 1, .data = "k", .data_len = 1 };
	pkt.n_exts = 1;
	len = dmvpn_nhrp_wire_build_error_ind(buf, BIG, &pkt);
	KUNIT_ASSERT_GT(test, len, 0);
	KUNIT_ASSERT_EQ(test, parse_exact(test, buf, len, &msg),
			DMVPN_NHRP_WIRE_OK);
	KUNIT_EXPECT_EQ(test, msg.extoff, 40 + KG_LEN - 2);
	KUNIT_EXPECT_EQ(test, msg.contents.len, KG_LEN - 2);
	KUNIT_EXPECT_TRUE(test, dmvpn_nhrp_wire_auth_match(&msg, 1, "k", 1));

	pkt = (struct dmvpn_nhrp_wire_pkt){
		.hopcnt = 1,
		.src_nbma = v4(198, 51, 100, 1),
		.src_proto = v4(10, 255, 0, 1),
		.dst_proto = v4(10, 2, 0, 1),
		.contents = ip_pkt, .contents_len = sizeof(ip_pkt),
	};
	len = dmvpn_nhrp_wire_build_traffic_ind(buf, BIG, &pkt);
	KUNIT_ASSERT_EQ(test, len, 40 + (int)sizeof(ip_pkt));
	KUNIT_EXPECT_EQ(test, buf[17], DMVPN_NHRP_TRAFFIC_IND);
	KUNIT_ASSERT_EQ(test, parse_exact(test, buf, len, &msg),
			DMVPN_NHRP_WIRE_OK);
	KUNIT_EXPECT_EQ(test, msg.code, 0);
	KUNIT_EXPECT_EQ(test, msg.contents.off, 40);
	KUNIT_EXPECT_EQ(test, memcmp(msg.buf + 40, ip_pkt, sizeof(ip_pkt)), 0);
}

/* Zero bytes, and every length short of ar$pktsz. */
static void wire_parse_short_buffers(struct kunit *test)
{
	struct dmvpn_nhrp_wire_msg msg;
	unsigned int len;

	KUNIT_EXPECT_EQ(test, dmvpn_nhrp_wire_parse(NULL, 0, &msg),
			DMVPN_NHRP_WIRE_ERR_TRUNCATED);
	for (len = 0; len < KG_LEN; len++)
		KUNIT_EXPECT_EQ_MSG(test,
				    parse_exact(test, frr_reg_req, len, &msg),
				    DMVPN_NHRP_WIRE_ERR_TRUNCATED, "len %u", len);
	KUNIT_EXPECT_EQ(test, dmvpn_nhrp_wire_errind(DMVPN_NHRP_WIRE_ERR_TRUNCATED,
						     &msg), 0);
}

static void wire_parse_pktsz(struct kunit *test)
{
	struct dmvpn_nhrp_wire_msg msg;
	u8 *buf = kg_copy(test);

	put_unaligned_be16(0, buf + 10);
	KUNIT_EXPECT_EQ(test, parse_exact(test, buf, KG_LEN, &msg),
			DMVPN_NHRP_WIRE_ERR_PKTSZ);
	put_unaligned_be16(19, buf + 10);
	KUNIT_EXPECT_EQ(test, parse_exact(test, buf, KG_LEN, &msg),
			DMVPN_NHRP_WIRE_ERR_PKTSZ);
	KUNIT_EXPECT_EQ(test, msg.bad_off, 10);
	/* Larger than the buffer, by one and by everything. */
	put_unaligned_be16(KG_LEN + 1, buf + 10);
	KUNIT_EXPECT_EQ(test, parse_exact(test, buf, KG_LEN, &msg),
			DMVPN_NHRP_WIRE_ERR_TRUNCATED);
	put_unaligned_be16(0xffff, buf + 10);
	KUNIT_EXPECT_EQ(test, parse_exact(test, buf, KG_LEN, &msg),
			DMVPN_NHRP_WIRE_ERR_TRUNCATED);
}

/* Each section of the mandatory part one byte short, checksum fixed. */
static void wire_parse_cut_mandatory(struct kunit *test)
{
	struct dmvpn_nhrp_wire_msg msg;
	unsigned int cut;
	u8 *noext = kg_copy(test);

	/* Fixed header alone, common header or addresses one byte short. */
	KUNIT_EXPECT_EQ(test, parse_cut(test, frr_reg_req, 20, &msg),
			DMVPN_NHRP_WIRE_ERR_MANDATORY);
	KUNIT_EXPECT_EQ(test, parse_cut(test, frr_reg_req, 27, &msg),
			DMVPN_NHRP_WIRE_ERR_MANDATORY);
	KUNIT_EXPECT_EQ(test, parse_cut(test, frr_reg_req, 39, &msg),
			DMVPN_NHRP_WIRE_ERR_MANDATORY);
	KUNIT_EXPECT_EQ(test, dmvpn_nhrp_wire_errind(DMVPN_NHRP_WIRE_ERR_MANDATORY,
						     &msg), 0);

	/* With ar$extoff still 52, no room is left for the extensions. */
	for (cut = 40; cut < KG_EXTOFF + 4; cut++)
		KUNIT_EXPECT_EQ_MSG(test, parse_cut(test, frr_reg_req, cut, &msg),
				    DMVPN_NHRP_WIRE_ERR_EXTOFF, "cut %u", cut);

	/* Without extensions the CIE ends the packet. */
	put_unaligned_be16(0, noext + 14);
	KUNIT_EXPECT_EQ(test, parse_cut(test, noext, 40, &msg),
			DMVPN_NHRP_WIRE_OK);
	KUNIT_EXPECT_EQ(test, msg.cie_count, 0U);
	for (cut = 41; cut < KG_EXTOFF; cut++) {
		KUNIT_EXPECT_EQ_MSG(test, parse_cut(test, noext, cut, &msg),
				    DMVPN_NHRP_WIRE_ERR_CIE_TRUNCATED,
				    "cut %u", cut);
		KUNIT_EXPECT_EQ(test, msg.bad_off, KG_CIE);
	}
	KUNIT_EXPECT_EQ(test, dmvpn_nhrp_wire_errind(DMVPN_NHRP_WIRE_ERR_CIE_TRUNCATED,
						     &msg),
			DMVPN_NHRP_EI_PROTOCOL_ERROR);
	KUNIT_EXPECT_EQ(test, parse_cut(test, noext, KG_EXTOFF, &msg),
			DMVPN_NHRP_WIRE_OK);
	KUNIT_EXPECT_EQ(test, msg.cie_count, 1U);
}

/*
 * The extension chain cut at every byte: exactly between two extensions
 * it is unterminated, anywhere else an extension runs off the end.
 */
static void wire_parse_cut_extensions(struct kunit *test)
{
	struct dmvpn_nhrp_wire_msg msg;
	unsigned int cut;

	for (cut = KG_EXTOFF + 4; cut < KG_LEN; cut++) {
		bool between = cut == 56 || cut == 60 || cut == KG_NAT ||
			       cut == KG_AUTH || cut == KG_END;
		enum dmvpn_nhrp_wire_err err;

		err = parse_cut(test, frr_reg_req, cut, &msg);
		KUNIT_EXPECT_EQ_MSG(test, err,
				    between ? DMVPN_NHRP_WIRE_ERR_EXT_UNTERMINATED :
				    DMVPN_NHRP_WIRE_ERR_EXT_TRUNCATED,
				    "cut %u", cut);
		KUNIT_EXPECT_EQ(test, dmvpn_nhrp_wire_errind(err, &msg),
				DMVPN_NHRP_EI_PROTOCOL_ERROR);
	}
	KUNIT_EXPECT_EQ(test, parse_cut(test, frr_reg_req, KG_LEN, &msg),
			DMVPN_NHRP_WIRE_OK);
}

static void wire_parse_bad_checksum(struct kunit *test)
{
	struct dmvpn_nhrp_wire_msg msg;
	u8 *buf = kg_copy(test);

	buf[KG_AUTH + 8] ^= 0x01;		/* one bit of the key */
	KUNIT_EXPECT_EQ(test, parse_exact(test, buf, KG_LEN, &msg),
			DMVPN_NHRP_WIRE_ERR_CHECKSUM);
	KUNIT_EXPECT_EQ(test, msg.bad_off, 12);
	buf[KG_AUTH + 8] ^= 0x01;
	buf[13] ^= 0x80;			/* the checksum itself */
	KUNIT_EXPECT_EQ(test, parse_exact(test, buf, KG_LEN, &msg),
			DMVPN_NHRP_WIRE_ERR_CHECKSUM);
	KUNIT_EXPECT_EQ(test, dmvpn_nhrp_wire_errind(DMVPN_NHRP_WIRE_ERR_CHECKSUM,
						     &msg), 0);
	/* The last, odd byte counts as the high half of a 16-bit word. */
	buf[13] ^= 0x80;
	buf[KG_LEN - 1] = 0x01;
	KUNIT_EXPECT_EQ(test, parse_exact(test, buf, KG_LEN, &msg),
			DMVPN_NHRP_WIRE_ERR_CHECKSUM);
}

/* One header field wrong at a time, checksum fixed each time. */
static void wire_parse_header_fields(struct kunit *test)
{
	static const struct {
		unsigned int off;	/* byte to change */
		u8 val;
		enum dmvpn_nhrp_wire_err err;
		unsigned int bad_off;	/* start of the faulty field */
	} cases[] = {
		{ 16, 0, DMVPN_NHRP_WIRE_ERR_VERSION, 16 },
		{ 16, 2, DMVPN_NHRP_WIRE_ERR_VERSION, 16 },
		{ 1, 0, DMVPN_NHRP_WIRE_ERR_AFN, 0 },
		{ 1, 3, DMVPN_NHRP_WIRE_ERR_AFN, 0 },
		{ 0, 1, DMVPN_NHRP_WIRE_ERR_AFN, 0 },		/* 0x0101 */
		{ 3, 0x06, DMVPN_NHRP_WIRE_ERR_PROTO, 2 },	/* ARP */
		{ 2, 0x86, DMVPN_NHRP_WIRE_ERR_PROTO, 2 },	/* 0x8600 */
		{ 18, 0, DMVPN_NHRP_WIRE_ERR_ADDR_LEN, 18 },
		{ 18, 5, DMVPN_NHRP_WIRE_ERR_ADDR_LEN, 18 },
		{ 18, 16, DMVPN_NHRP_WIRE_ERR_ADDR_LEN, 18 },
		{ 18, 0x44, DMVPN_NHRP_WIRE_ERR_ADDR_LEN, 18 },	/* E.164 */
		{ 18, 0x84, DMVPN_NHRP_WIRE_ERR_ADDR_LEN, 18 },	/* reserved */
		{ 19, 1, DMVPN_NHRP_WIRE_ERR_ADDR_LEN, 19 },
		{ 19, 0x40, DMVPN_NHRP_WIRE_ERR_ADDR_LEN, 19 },
		{ 20, 16, DMVPN_NHRP_WIRE_ERR_ADDR_LEN, 20 },	/* spln */
		{ 20, 5, DMVPN_NHRP_WIRE_ERR_ADDR_LEN, 20 },
		{ 21, 0, DMVPN_NHRP_WIRE_ERR_ADDR_LEN, 21 },	/* tpln */
		{ 17, 0, DMVPN_NHRP_WIRE_ERR_TYPE, 17 },
		{ 17, 9, DMVPN_NHRP_WIRE_ERR_TYPE, 17 },
		{ 17, 255, DMVPN_NHRP_WIRE_ERR_TYPE, 17 },
		{ 9, 0, DMVPN_NHRP_WIRE_ERR_HOPCOUNT, 9 },
	};
	struct dmvpn_nhrp_wire_msg msg;
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(cases); i++) {
		u8 *buf = kg_copy(test);

		buf[cases[i].off] = cases[i].val;
		KUNIT_EXPECT_EQ_MSG(test, parse_fixed(test, buf, &msg),
				    cases[i].err, "case %u", i);
		KUNIT_EXPECT_EQ_MSG(test, msg.bad_off, cases[i].bad_off,
				    "case %u", i);
	}

	/* Faults found once the sender is known are answered. */
	{
		u8 *buf = kg_copy(test);
		const struct dmvpn_addr nbma = v4(192, 0, 2, 10);

		buf[17] = 9;
		KUNIT_EXPECT_EQ(test, parse_fixed(test, buf, &msg),
				DMVPN_NHRP_WIRE_ERR_TYPE);
		KUNIT_EXPECT_TRUE(test, dmvpn_addr_equal(&msg.src_nbma, &nbma));
		KUNIT_EXPECT_EQ(test, dmvpn_nhrp_wire_errind(DMVPN_NHRP_WIRE_ERR_TYPE,
							     &msg),
				DMVPN_NHRP_EI_PROTOCOL_ERROR);
		buf[17] = DMVPN_NHRP_REG_REQ;
		buf[9] = 0;
		KUNIT_EXPECT_EQ(test, parse_fixed(test, buf, &msg),
				DMVPN_NHRP_WIRE_ERR_HOPCOUNT);
		KUNIT_EXPECT_EQ(test, dmvpn_nhrp_wire_errind(DMVPN_NHRP_WIRE_ERR_HOPCOUNT,
							     &msg),
				DMVPN_NHRP_EI_HOP_COUNT_EXCEEDED);
		/* ... but never an Error Indication. */
		buf[17] = DMVPN_NHRP_ERROR_IND;
		KUNIT_EXPECT_EQ(test, parse_fixed(test, buf, &msg),
				DMVPN_NHRP_WIRE_ERR_HOPCOUNT);
		KUNIT_EXPECT_EQ(test, dmvpn_nhrp_wire_errind(DMVPN_NHRP_WIRE_ERR_HOPCOUNT,
							     &msg), 0);
		/* Nor a packet whose sender was never read. */
		buf[17] = DMVPN_NHRP_REG_REQ;
		buf[16] = 2;
		KUNIT_EXPECT_EQ(test, parse_fixed(test, buf, &msg),
				DMVPN_NHRP_WIRE_ERR_VERSION);
		KUNIT_EXPECT_EQ(test, dmvpn_nhrp_wire_errind(DMVPN_NHRP_WIRE_ERR_VERSION,
							     &msg), 0);
	}
}

static void wire_parse_extoff(struct kunit *test)
{
	static const u16 bad[] = {
		1, 19, 20, 36, 39,		/* inside the mandatory part */
		KG_LEN - 3, KG_LEN, KG_LEN + 1,	/* no room for a header */
		0x8000, 0xffff,
		54, 53,				/* unaligned */
	};
	struct dmvpn_nhrp_wire_msg msg;
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(bad); i++) {
		u8 *buf = kg_copy(test);

		put_unaligned_be16(bad[i], buf + 14);
		KUNIT_EXPECT_EQ_MSG(test, parse_fixed(test, buf, &msg),
				    DMVPN_NHRP_WIRE_ERR_EXTOFF, "extoff %u",
				    bad[i]);
		KUNIT_EXPECT_EQ(test, msg.bad_off, 14);
		KUNIT_EXPECT_EQ(test, dmvpn_nhrp_wire_errind(DMVPN_NHRP_WIRE_ERR_EXTOFF,
							     &msg),
				DMVPN_NHRP_EI_PROTOCOL_ERROR);
	}
}

static void wire_parse_extension_chain(struct kunit *test)
{
	struct dmvpn_nhrp_wire_msg msg;
	u8 *buf;

	/* NAT extension claiming more than there is. */
	buf = kg_copy(test);
	put_unaligned_be16(0xffff, buf + KG_NAT + 2);
	KUNIT_EXPECT_EQ(test, parse_fixed(test, buf, &msg),
			DMVPN_NHRP_WIRE_ERR_EXT_TRUNCATED);
	KUNIT_EXPECT_EQ(test, msg.bad_off, KG_NAT + 2);
	put_unaligned_be16(KG_LEN - KG_NAT - 3, buf + KG_NAT + 2);
	KUNIT_EXPECT_EQ(test, parse_fixed(test, buf, &msg),
			DMVPN_NHRP_WIRE_ERR_EXT_TRUNCATED);

	/* The last extension is not End: the chain never terminates. */
	buf = kg_copy(test);
	put_unaligned_be16(0x0100, buf + KG_END);
	KUNIT_EXPECT_EQ(test, parse_fixed(test, buf, &msg),
			DMVPN_NHRP_WIRE_ERR_EXT_UNTERMINATED);
	KUNIT_EXPECT_EQ(test, msg.bad_off, KG_LEN);

	/* Unknown and not compulsory: skipped, counted. */
	buf = kg_copy(test);
	put_unaligned_be16(0x0100, buf + KG_NAT);
	KUNIT_EXPECT_EQ(test, parse_fixed(test, buf, &msg), DMVPN_NHRP_WIRE_OK);
	KUNIT_EXPECT_EQ(test, msg.unknown_ext, 1U);
	KUNIT_EXPECT_FALSE(test, msg.ext[DMVPN_NHRP_EXT_NAT_ADDR].present);
	KUNIT_EXPECT_TRUE(test, msg.ext[DMVPN_NHRP_EXT_AUTH].present);
	/* The u bit is not part of the type, and not the C bit. */
	put_unaligned_be16(DMVPN_NHRP_EXT_UNUSED | 0x0100, buf + KG_NAT);
	KUNIT_EXPECT_EQ(test, parse_fixed(test, buf, &msg), DMVPN_NHRP_WIRE_OK);
	KUNIT_EXPECT_EQ(test, msg.unknown_ext, 1U);
	/* Types 1, 2 and 6 are unassigned: unknown too. */
	put_unaligned_be16(6, buf + KG_NAT);
	KUNIT_EXPECT_EQ(test, parse_fixed(test, buf, &msg), DMVPN_NHRP_WIRE_OK);

	/* Unknown and compulsory: "Unrecognized Extension" pointing at it. */
	put_unaligned_be16(DMVPN_NHRP_EXT_COMPULSORY | 0x0100, buf + KG_NAT);
	KUNIT_EXPECT_EQ(test, parse_fixed(test, buf, &msg),
			DMVPN_NHRP_WIRE_ERR_EXT_UNKNOWN);
	KUNIT_EXPECT_EQ(test, msg.bad_off, KG_NAT);
	KUNIT_EXPECT_EQ(test, dmvpn_nhrp_wire_errind(DMVPN_NHRP_WIRE_ERR_EXT_UNKNOWN,
						     &msg),
			DMVPN_NHRP_EI_UNRECOGNIZED_EXT);
	put_unaligned_be16(DMVPN_NHRP_EXT_COMPULSORY | 0x3fff, buf + KG_NAT);
	KUNIT_EXPECT_EQ(test, parse_fixed(test, buf, &msg),
			DMVPN_NHRP_WIRE_ERR_EXT_UNKNOWN);

	/* End of Extensions with a length: the bytes are there, still bad. */
	buf = kg_copy(test);
	put_unaligned_be16(DMVPN_NHRP_EXT_COMPULSORY, buf + KG_AUTH);
	KUNIT_EXPECT_EQ(test, parse_fixed(test, buf, &msg),
			DMVPN_NHRP_WIRE_ERR_EXT_INVALID);
	KUNIT_EXPECT_EQ(test, msg.bad_off, KG_AUTH + 2);
	/* End with the C bit clear is still the end; the rest is ignored. */
	put_unaligned_be16(0, buf + KG_AUTH + 2);
	put_unaligned_be16(0, buf + KG_AUTH);
	KUNIT_EXPECT_EQ(test, parse_fixed(test, buf, &msg), DMVPN_NHRP_WIRE_OK);
	KUNIT_EXPECT_FALSE(test, msg.ext[DMVPN_NHRP_EXT_AUTH].present);
}

/* Known extensions with contents that do not fit their type. */
static void wire_parse_extension_values(struct kunit *test)
{
	const struct dmvpn_nhrp_wire_cie nhs[] = {
		{ .nbma = v4(192, 0, 2, 1), .proto = v4(10, 255, 0, 1) },
		{ .nbma = v4(192, 0, 2, 2), .proto = v4(10, 255, 0, 2) },
	};
	struct dmvpn_nhrp_wire_ext_spec ext[2] = {};
	struct dmvpn_nhrp_wire_pkt pkt = {
		.hopcnt = 3,
		.src_nbma = v4(192, 0, 2, 10),
		.src_proto = v4(10, 255, 0, 10),
		.dst_proto = v4(10, 255, 0, 1),
		.exts = ext,
	};
	struct dmvpn_nhrp_wire_msg msg;
	u8 *buf = kunit_kzalloc(test, BIG, GFP_KERNEL);
	int len;

	KUNIT_ASSERT_NOT_ERR_OR_NULL(test, buf);

	/* Responder Address with two responders. */
	ext[0] = (struct dmvpn_nhrp_wire_ext_spec){
		.type = DMVPN_NHRP_EXT_RESPONDER, .cies = nhs, .n_cies = 2 };
	pkt.n_exts = 1;
	KUNIT_EXPECT_EQ(test, build_parse(test, DMVPN_NHRP_RES_REPLY, &pkt, &msg),
			DMVPN_NHRP_WIRE_ERR_EXT_INVALID);
	KUNIT_EXPECT_EQ(test, msg.bad_off, 40 + 4);
	KUNIT_EXPECT_EQ(test, dmvpn_nhrp_wire_errind(DMVPN_NHRP_WIRE_ERR_EXT_INVALID,
						     &msg),
			DMVPN_NHRP_EI_INVALID_EXT);

	/* The same extension twice. */
	ext[0] = (struct dmvpn_nhrp_wire_ext_spec){
		.type = DMVPN_NHRP_EXT_FWD_TRANSIT, .cies = nhs, .n_cies = 1 };
	ext[1] = ext[0];
	pkt.n_exts = 2;
	KUNIT_EXPECT_EQ(test, build_parse(test, DMVPN_NHRP_RES_REQ, &pkt, &msg),
			DMVPN_NHRP_WIRE_ERR_EXT_INVALID);
	KUNIT_EXPECT_EQ(test, msg.bad_off, 40 + 4 + 20);

	/* Vendor-Private shorter than its OUI. */
	ext[0] = (struct dmvpn_nhrp_wire_ext_spec){
		.type = DMVPN_NHRP_EXT_VENDOR, .data = "\0\0", .data_len = 2 };
	pkt.n_exts = 1;
	KUNIT_EXPECT_EQ(test, build_parse(test, DMVPN_NHRP_RES_REQ, &pkt, &msg),
			DMVPN_NHRP_WIRE_ERR_EXT_INVALID);

	/* Authentication shorter than its SPI: written as another type,
	 * then renamed.
	 */
	ext[0] = (struct dmvpn_nhrp_wire_ext_spec){
		.type = 0x3800, .data = "\0\0\0", .data_len = 3 };
	len = dmvpn_nhrp_wire_build_res_req(buf, BIG, &pkt);
	KUNIT_ASSERT_GT(test, len, 0);
	KUNIT_ASSERT_EQ(test, parse_exact(test, buf, len, &msg),
			DMVPN_NHRP_WIRE_OK);
	KUNIT_EXPECT_EQ(test, msg.unknown_ext, 1U);
	put_unaligned_be16(DMVPN_NHRP_EXT_AUTH, buf + 40);
	KUNIT_EXPECT_EQ(test, parse_fixed(test, buf, &msg),
			DMVPN_NHRP_WIRE_ERR_EXT_INVALID);

	/* A CIE with a 5-byte NBMA address inside the NAT extension. */
	ext[0] = (struct dmvpn_nhrp_wire_ext_spec){
		.type = DMVPN_NHRP_EXT_NAT_ADDR, .cies = nhs, .n_cies = 1 };
	len = dmvpn_nhrp_wire_build_res_req(buf, BIG, &pkt);
	KUNIT_ASSERT_GT(test, len, 0);
	buf[44 + 8] = 5;
	KUNIT_EXPECT_EQ(test, parse_fixed(test, buf, &msg),
			DMVPN_NHRP_WIRE_ERR_EXT_INVALID);
	KUNIT_EXPECT_EQ(test, msg.bad_off, 44 + 8);
	/* ... or one cut short by the extension's length. */
	buf[44 + 8] = 4;
	put_unaligned_be16(19, buf + 42);
	KUNIT_EXPECT_EQ(test, parse_fixed(test, buf, &msg),
			DMVPN_NHRP_WIRE_ERR_EXT_INVALID);
}

/* CIE address lengths in the mandatory part. */
static void wire_parse_cie_fields(struct kunit *test)
{
	static const struct {
		unsigned int off;
		u8 val;
	} cases[] = {
		{ KG_CIE + 8, 5 },	/* NBMA length 5 */
		{ KG_CIE + 8, 16 },	/* IPv6 length in an IPv4 NBMA */
		{ KG_CIE + 8, 0x44 },	/* E.164 type bit */
		{ KG_CIE + 9, 1 },	/* subaddress */
		{ KG_CIE + 10, 5 },	/* protocol length 5 */
		{ KG_CIE + 10, 255 },
	};
	struct dmvpn_nhrp_wire_msg msg;
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(cases); i++) {
		u8 *buf = kg_copy(test);

		buf[cases[i].off] = cases[i].val;
		KUNIT_EXPECT_EQ_MSG(test, parse_fixed(test, buf, &msg),
				    DMVPN_NHRP_WIRE_ERR_CIE_ADDR_LEN, "case %u", i);
		KUNIT_EXPECT_EQ(test, msg.bad_off, cases[i].off);
		KUNIT_EXPECT_EQ(test, dmvpn_nhrp_wire_errind(DMVPN_NHRP_WIRE_ERR_CIE_ADDR_LEN,
							     &msg),
				DMVPN_NHRP_EI_PROTOCOL_ERROR);
	}
	/* A valid length whose address runs into the extensions. */
	{
		u8 *buf = kg_copy(test);

		buf[KG_CIE + 8] = 4;
		KUNIT_EXPECT_EQ(test, parse_fixed(test, buf, &msg),
				DMVPN_NHRP_WIRE_ERR_CIE_TRUNCATED);
	}
}

/* 255 CIEs: all of them when they fit, an error when the last does not. */
static void wire_parse_255_cies(struct kunit *test)
{
	struct dmvpn_nhrp_wire_cie *cies;
	struct dmvpn_nhrp_wire_cie_iter it;
	struct dmvpn_nhrp_wire_cie cie;
	struct dmvpn_nhrp_wire_msg msg;
	struct dmvpn_nhrp_wire_pkt pkt = {
		.hopcnt = 1,
		.src_nbma = v6(1), .src_proto = v4(10, 255, 0, 1),
		.dst_proto = v4(10, 255, 0, 2),
	};
	unsigned int i, n = 0;
	unsigned int size = 52 + 255 * (12 + 16 + 4);
	u8 *buf;
	int len;

	cies = kunit_kcalloc(test, 255, sizeof(*cies), GFP_KERNEL);
	buf = kunit_kzalloc(test, size, GFP_KERNEL);
	KUNIT_ASSERT_NOT_ERR_OR_NULL(test, cies);
	KUNIT_ASSERT_NOT_ERR_OR_NULL(test, buf);
	for (i = 0; i < 255; i++) {
		cies[i].prefix_len = 32;
		cies[i].nbma = v6(0x1000 + i);
		cies[i].proto = v4(10, 1, 0, i);
	}
	pkt.cies = cies;
	pkt.n_cies = 255;
	len = dmvpn_nhrp_wire_build_reg_req(buf, size, &pkt);
	KUNIT_ASSERT_EQ(test, len, (int)size);
	KUNIT_ASSERT_EQ(test, parse_exact(test, buf, len, &msg),
			DMVPN_NHRP_WIRE_OK);
	KUNIT_EXPECT_EQ(test, msg.cie_count, 255U);
	dmvpn_nhrp_wire_cie_iter_init(&it, &msg, msg.cies);
	while (dmvpn_nhrp_wire_cie_next(&it, &cie)) {
		KUNIT_ASSERT_LT(test, n, 255U);
		expect_cie_eq(test, &cie, &cies[n]);
		n++;
	}
	KUNIT_EXPECT_EQ(test, n, 255U);

	/* The last one cut short at each of its fields. */
	for (i = 1; i <= 32; i++)
		KUNIT_EXPECT_EQ_MSG(test, parse_cut(test, buf, size - i, &msg),
				    i == 32 ? DMVPN_NHRP_WIRE_OK :
				    DMVPN_NHRP_WIRE_ERR_CIE_TRUNCATED, "cut %u", i);
	KUNIT_EXPECT_EQ(test, msg.cie_count, 254U);
	/* Only the first CIE's header. */
	KUNIT_EXPECT_EQ(test, parse_cut(test, buf, 52 + 12, &msg),
			DMVPN_NHRP_WIRE_ERR_CIE_TRUNCATED);

	/* The iterator stays inside the packet whatever span it is given. */
	dmvpn_nhrp_wire_cie_iter_init(&it, &msg, (struct dmvpn_nhrp_wire_span){
		.off = 52, .len = 0xffff });
	KUNIT_EXPECT_FALSE(test, dmvpn_nhrp_wire_cie_next(&it, &cie));
}

static void wire_build_rejects(struct kunit *test)
{
	const struct dmvpn_nhrp_wire_cie v6cie = { .proto = v6(1) };
	const struct dmvpn_nhrp_wire_ext_spec end = {
		.type = DMVPN_NHRP_EXT_COMPULSORY | DMVPN_NHRP_EXT_END,
	};
	const struct dmvpn_nhrp_wire_pkt good = {
		.hopcnt = 1,
		.src_nbma = v4(192, 0, 2, 1),
		.src_proto = v4(10, 255, 0, 1),
		.dst_proto = v4(10, 255, 0, 2),
	};
	struct dmvpn_nhrp_wire_pkt pkt;
	u8 *buf = kunit_kzalloc(test, BIG, GFP_KERNEL);
	u8 *big, *data;

	KUNIT_ASSERT_NOT_ERR_OR_NULL(test, buf);
	KUNIT_EXPECT_EQ(test, dmvpn_nhrp_wire_build_res_req(buf, BIG, &good), 40);
	KUNIT_EXPECT_EQ(test, dmvpn_nhrp_wire_build(buf, BIG, 0, &good), -EINVAL);
	KUNIT_EXPECT_EQ(test, dmvpn_nhrp_wire_build(buf, BIG, 9, &good), -EINVAL);

	pkt = good;
	pkt.hopcnt = 0;
	KUNIT_EXPECT_EQ(test, dmvpn_nhrp_wire_build_res_req(buf, BIG, &pkt), -EINVAL);
	pkt = good;
	memset(&pkt.src_nbma, 0, sizeof(pkt.src_nbma));
	KUNIT_EXPECT_EQ(test, dmvpn_nhrp_wire_build_res_req(buf, BIG, &pkt), -EINVAL);
	pkt = good;
	pkt.dst_proto = v6(2);
	KUNIT_EXPECT_EQ(test, dmvpn_nhrp_wire_build_res_req(buf, BIG, &pkt), -EINVAL);
	pkt = good;
	pkt.cies = &v6cie;
	pkt.n_cies = 1;
	KUNIT_EXPECT_EQ(test, dmvpn_nhrp_wire_build_res_reply(buf, BIG, &pkt), -EINVAL);
	pkt.src_proto = v6(3);
	pkt.dst_proto = v6(4);
	KUNIT_EXPECT_GT(test, dmvpn_nhrp_wire_build_res_reply(buf, BIG, &pkt), 0);
	/* CIEs belong to requests and replies, contents to indications. */
	KUNIT_EXPECT_EQ(test, dmvpn_nhrp_wire_build_error_ind(buf, BIG, &pkt), -EINVAL);
	pkt = good;
	pkt.contents = buf;
	pkt.contents_len = 4;
	KUNIT_EXPECT_EQ(test, dmvpn_nhrp_wire_build_reg_reply(buf, BIG, &pkt), -EINVAL);
	/* End of Extensions is the builder's to write. */
	pkt = good;
	pkt.exts = &end;
	pkt.n_exts = 1;
	KUNIT_EXPECT_EQ(test, dmvpn_nhrp_wire_build_reg_reply(buf, BIG, &pkt), -EINVAL);
	pkt.exts = &(struct dmvpn_nhrp_wire_ext_spec){
		.type = DMVPN_NHRP_EXT_RESPONDER, .cies = &v6cie, .n_cies = 1 };
	KUNIT_EXPECT_EQ(test, dmvpn_nhrp_wire_build_reg_reply(buf, BIG, &pkt), -EINVAL);

	/* More than ar$pktsz can express, though the buffer has room. */
	big = kunit_kzalloc(test, 70000, GFP_KERNEL);
	data = kunit_kzalloc(test, 0xffff, GFP_KERNEL);
	KUNIT_ASSERT_NOT_ERR_OR_NULL(test, big);
	KUNIT_ASSERT_NOT_ERR_OR_NULL(test, data);
	pkt = good;
	pkt.contents = data;
	pkt.contents_len = 0xffff - 40 + 1;
	KUNIT_EXPECT_EQ(test, dmvpn_nhrp_wire_build_traffic_ind(big, 70000, &pkt),
			-EMSGSIZE);
	pkt.contents_len = 0xffff - 40;
	KUNIT_EXPECT_EQ(test, dmvpn_nhrp_wire_build_traffic_ind(big, 70000, &pkt),
			0xffff);
	pkt.exts = &(struct dmvpn_nhrp_wire_ext_spec){
		.type = DMVPN_NHRP_EXT_RESPONDER };
	pkt.n_exts = 1;
	KUNIT_EXPECT_EQ(test, dmvpn_nhrp_wire_build_traffic_ind(big, 70000, &pkt),
			-EMSGSIZE);
}

/* @len bytes of @src in an skb as the NHRP sender makes them. */
static struct sk_buff *nhrp_skb(struct kunit *test, const u8 *src,
				unsigned int len, __be16 protocol)
{
	struct sk_buff *skb = alloc_skb(16 + len, GFP_KERNEL);

	KUNIT_ASSERT_NOT_NULL(test, skb);
	skb_reserve(skb, 16);
	skb_put_data(skb, src, len);
	skb_reset_network_header(skb);
	skb->protocol = protocol;
	return skb;
}

/*
 * The held-packet queue replaces a held Registration Request by a newer
 * one; that needs our own requests told apart from every other packet.
 */
static void wire_is_reg_request_skb(struct kunit *test)
{
	const __be16 nhrp = htons(DMVPN_GRE_PROTO_NHRP);
	u8 *res_req = dup_exact(test, frr_reg_req, sizeof(frr_reg_req));
	struct sk_buff *skb;

	skb = nhrp_skb(test, frr_reg_req, sizeof(frr_reg_req), nhrp);
	KUNIT_EXPECT_TRUE(test, dmvpn_nhrp_is_reg_request(skb));
	kfree_skb(skb);

	res_req[DMVPN_NHRP_TYPE_OFF] = DMVPN_NHRP_RES_REQ;
	skb = nhrp_skb(test, res_req, sizeof(frr_reg_req), nhrp);
	KUNIT_EXPECT_FALSE(test, dmvpn_nhrp_is_reg_request(skb));
	kfree_skb(skb);

	/* The same bytes as an inner IPv4 packet are not NHRP. */
	skb = nhrp_skb(test, frr_reg_req, sizeof(frr_reg_req), htons(ETH_P_IP));
	KUNIT_EXPECT_FALSE(test, dmvpn_nhrp_is_reg_request(skb));
	kfree_skb(skb);

	/* Too short to have a type: not read past its end. */
	skb = nhrp_skb(test, frr_reg_req, DMVPN_NHRP_TYPE_OFF, nhrp);
	KUNIT_EXPECT_FALSE(test, dmvpn_nhrp_is_reg_request(skb));
	kfree_skb(skb);
}

static struct kunit_case dmvpn_nhrp_wire_cases[] = {
	KUNIT_CASE(wire_frr_reg_req_parse),
	KUNIT_CASE(wire_frr_reg_req_build),
	KUNIT_CASE(wire_roundtrip_all_types),
	KUNIT_CASE(wire_roundtrip_no_extensions),
	KUNIT_CASE(wire_indications),
	KUNIT_CASE(wire_parse_short_buffers),
	KUNIT_CASE(wire_parse_pktsz),
	KUNIT_CASE(wire_parse_cut_mandatory),
	KUNIT_CASE(wire_parse_cut_extensions),
	KUNIT_CASE(wire_parse_bad_checksum),
	KUNIT_CASE(wire_parse_header_fields),
	KUNIT_CASE(wire_parse_extoff),
	KUNIT_CASE(wire_parse_extension_chain),
	KUNIT_CASE(wire_parse_extension_values),
	KUNIT_CASE(wire_parse_cie_fields),
	KUNIT_CASE(wire_parse_255_cies),
	KUNIT_CASE(wire_build_rejects),
	KUNIT_CASE(wire_is_reg_request_skb),
	{}
};

static struct kunit_suite dmvpn_nhrp_wire_suite = {
	.name = "dmvpn-nhrp-wire",
	.test_cases = dmvpn_nhrp_wire_cases,
};

kunit_test_suite(dmvpn_nhrp_wire_suite);
