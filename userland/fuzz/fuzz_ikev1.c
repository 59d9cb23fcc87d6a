// SPDX-License-Identifier: GPL-2.0-only
/*
 * libFuzzer harness for the IKEv1 state machine as a responder: the input
 * is a sequence of datagrams (2-byte big-endian length, then the bytes),
 * each handed to ikev1_input as if from 192.0.2.1:500, with the clock
 * moving on between them.  Replies go nowhere; SAs to a null backend.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "../keyer/ikev1.h"
#include "../keyer/log.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static int nop_add(struct sa_backend *b, const struct child_sa *c,
		   unsigned int dirs)
{
	(void)b;
	(void)c;
	(void)dirs;
	return 0;
}

static int nop_del(struct sa_backend *b, const struct child_sa *c)
{
	(void)b;
	(void)c;
	return 0;
}

static void nop_close(struct sa_backend *b)
{
	(void)b;
}

static void nop_send(void *arg, const uint8_t *pkt, size_t len,
		     const struct dm_addr *to, uint16_t to_port, uint16_t from_port)
{
	(void)arg; (void)pkt; (void)len; (void)to; (void)to_port; (void)from_port;
}

static const char conf[] =
	"crypto isakmp policy 10\n encr aes 128\n hash sha\n group 19\n"
	"crypto isakmp policy 20\n encr 3des\n hash md5\n group 19\n"
	"crypto isakmp key k address 0.0.0.0 0.0.0.0\n"
	"crypto isakmp keepalive 10 2\n"
	/* on, so that aggressive mode's parsing is fuzzed too */
	"crypto isakmp aggressive-mode\n"
	"crypto ipsec transform-set T esp-aes esp-sha-hmac\n mode transport\n"
	"crypto ipsec transform-set G esp-gcm 256\n mode transport\n"
	"crypto ipsec profile P\n set transform-set T G\n"
	"interface tun0\n tunnel source 192.0.2.2\n tunnel protection ipsec profile P\n";

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct keyer_config cfg;
	static bool ready;
	static struct sa_backend be = { .name = "null", .add = nop_add,
					.del = nop_del, .close = nop_close };
	struct ikev1_ctx ctx;
	struct dm_addr peer;
	char err[256];
	uint64_t now = 1000;

	if (!ready) {
		if (keyer_config_parse(conf, "fuzz", &cfg, err, sizeof(err)))
			abort();
		klog_level = -1;	/* quiet */
		ready = true;
	}
	dm_addr_parse("192.0.2.1", &peer);
	ikev1_init(&ctx, &cfg, &be, nop_send, NULL, &cfg.tun.source);
	while (size >= 2) {
		size_t len = (size_t)data[0] << 8 | data[1];
		uint8_t *copy;

		data += 2;
		size -= 2;
		if (len > size)
			len = size;
		copy = malloc(len ? len : 1);
		if (!copy)
			break;
		memcpy(copy, data, len);
		ctx.now_ms = now;
		ikev1_input(&ctx, copy, len, &peer, len & 1 ? 4500 : 500,
			    len & 1 ? IKE_NATT_PORT : IKE_PORT);
		free(copy);
		data += len;
		size -= len;
		now += 700;
		ikev1_tick(&ctx, now);
	}
	ikev1_shutdown(&ctx);
	return 0;
}
