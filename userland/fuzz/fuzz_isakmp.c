// SPDX-License-Identifier: GPL-2.0-only
/*
 * libFuzzer harness for the ISAKMP parsers: the header and payload chain,
 * then every payload through the parser of its type, as dmvpnd does with
 * a datagram from the network (and with the padded plaintext of an
 * encrypted one, hence the allow_trailing pass).
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "../keyer/isakmp.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void payloads(const struct ike_msg *m)
{
	static struct ike_sa_view sa;

	for (size_t i = 0; i < m->n; i++) {
		const struct ike_payload *p = &m->pl[i];
		struct ike_id id;
		struct ike_notify n;
		struct ike_delete d;
		const uint8_t *a;
		size_t alen;
		uint8_t t;

		switch (p->type) {
		case ISAKMP_NP_SA:
			if (!ike_parse_sa(p->body, p->len, &sa))
				for (size_t j = 0; j < sa.nprop; j++)
					for (size_t k = 0; k < sa.prop[j].ntrans; k++)
						(void)ike_attr_find(&sa.prop[j].trans[k],
								    OAKLEY_LIFE_DURATION);
			break;
		case ISAKMP_NP_ID:
			(void)ike_parse_id(p->body, p->len, &id);
			break;
		case ISAKMP_NP_N:
			(void)ike_parse_notify(p->body, p->len, &n);
			break;
		case ISAKMP_NP_D:
			if (!ike_parse_delete(p->body, p->len, &d) && d.nspi)
				/* touch the last SPI byte: ASan checks the bound */
				(void)*(volatile const uint8_t *)
					&d.spis[(size_t)d.nspi * d.spi_size - 1];
			break;
		case ISAKMP_NP_NATOA:
			(void)ike_parse_natoa(p->body, p->len, &t, &a, &alen);
			break;
		}
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct ike_msg m;
	/* a private copy so reads past size hit ASan's redzone */
	uint8_t *buf = malloc(size ? size : 1);

	if (!buf)
		return 0;
	memcpy(buf, data, size);
	if (!ike_parse_msg(buf, size, &m))
		payloads(&m);
	if (size > 1 && !ike_parse_payloads(buf[0], buf + 1, size - 1, true, &m))
		payloads(&m);
	free(buf);
	return 0;
}
