// SPDX-License-Identifier: GPL-2.0
/* "ethtool -S": the tunnel's drop counters, by cause. */
#include <linux/ethtool.h>

#include "dmvpn.h"

static const char dmvpn_stat_names[__DMVPN_STAT_MAX][ETH_GSTRING_LEN] = {
	[DMVPN_STAT_RX_KEY_MISMATCH]	= "rx_key_mismatch",
	[DMVPN_STAT_RX_CSUM_ERRORS]	= "rx_csum_errors",
	[DMVPN_STAT_RX_BAD_HEADER]	= "rx_bad_header",
	[DMVPN_STAT_RX_UNKNOWN_PROTO]	= "rx_unknown_proto",
	[DMVPN_STAT_TX_NO_NHRP]		= "tx_no_nhrp",
	[DMVPN_STAT_TX_NO_ROUTE]	= "tx_no_route",
	[DMVPN_STAT_TX_TOO_BIG]		= "tx_too_big",
	[DMVPN_STAT_TX_NO_SA]		= "tx_no_sa",
	[DMVPN_STAT_RX_INVALID_SPI]	= "rx_invalid_spi",
	[DMVPN_STAT_RX_REPLAY]		= "rx_replay",
	[DMVPN_STAT_RX_AUTH_FAILED]	= "rx_auth_failed",
	[DMVPN_STAT_RX_INVALID_LEN]	= "rx_invalid_len",
	[DMVPN_STAT_TX_ENCAPS_FAILED]	= "tx_encaps_failed",
	[DMVPN_STAT_RX_DECAPS_FAILED]	= "rx_decaps_failed",
	[DMVPN_STAT_INTERNAL_ERR]	= "internal_err",
	[DMVPN_STAT_RX_NOT_PROTECTED]	= "rx_not_protected",
	[DMVPN_STAT_RX_KEEPALIVE]	= "rx_keepalive",
	[DMVPN_STAT_TX_VIA_NHS]		= "tx_via_nhs",
	[DMVPN_STAT_TX_UNSUPPORTED]	= "tx_unsupported",
};

/* Every counter except the UNSPEC and PAD placeholders. */
static bool dmvpn_stat_shown(int i)
{
	return i != DMVPN_STAT_UNSPEC && i != DMVPN_STAT_PAD;
}

static int dmvpn_get_sset_count(struct net_device *dev, int sset)
{
	int i, n = 0;

	if (sset != ETH_SS_STATS)
		return -EOPNOTSUPP;
	for (i = 0; i < __DMVPN_STAT_MAX; i++)
		n += dmvpn_stat_shown(i);
	return n;
}

static void dmvpn_get_strings(struct net_device *dev, u32 sset, u8 *data)
{
	int i;

	if (sset != ETH_SS_STATS)
		return;
	for (i = 0; i < __DMVPN_STAT_MAX; i++) {
		if (!dmvpn_stat_shown(i))
			continue;
		memcpy(data, dmvpn_stat_names[i], ETH_GSTRING_LEN);
		data += ETH_GSTRING_LEN;
	}
}

static void dmvpn_get_ethtool_stats(struct net_device *dev,
				    struct ethtool_stats *stats, u64 *data)
{
	struct dmvpn_tunnel *t = netdev_priv(dev);
	u64 c[__DMVPN_STAT_MAX];
	int i;

	dmvpn_stats_read(t, c);
	for (i = 0; i < __DMVPN_STAT_MAX; i++)
		if (dmvpn_stat_shown(i))
			*data++ = c[i];
}

static void dmvpn_get_drvinfo(struct net_device *dev,
			      struct ethtool_drvinfo *info)
{
	strscpy(info->driver, KBUILD_MODNAME, sizeof(info->driver));
	strscpy(info->version, DMVPN_VERSION, sizeof(info->version));
}

const struct ethtool_ops dmvpn_ethtool_ops = {
	.get_drvinfo		= dmvpn_get_drvinfo,
	.get_link		= ethtool_op_get_link,
	.get_sset_count		= dmvpn_get_sset_count,
	.get_strings		= dmvpn_get_strings,
	.get_ethtool_stats	= dmvpn_get_ethtool_stats,
};
