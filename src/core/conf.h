/* conf.h - the configuration file: "key = value" lines read by serve.
 *
 * /etc/helhed/helhed.conf (docs/operations.md) holds one setting a line,
 * "key = value", with blank lines and lines starting with '#' ignored; the
 * value runs to the end of the line (a '#' inside it is kept: URLs may
 * hold one) with the spaces around it trimmed. Each key stands for one
 * HELHED_* environment variable, so the precedence flag > environment >
 * file > default comes from loading the file into the environment of
 * variables that are not set already; serve then reads the environment
 * and its flags as it always did. */
#ifndef HH_CONF_H
#define HH_CONF_H

#include <stddef.h>

#include "core/rc.h"

enum hh_conf_type {
	HH_CONF_STR,	  /* any text */
	HH_CONF_BOOL,	  /* yes/no, true/false, on/off, 1/0: stored as 1 or 0 */
	HH_CONF_INT,	  /* an integer from min to max */
	HH_CONF_HOSTPORT, /* HOST:PORT */
	HH_CONF_URL,	  /* http:// or https:// */
	HH_CONF_TIME,	  /* HH:MM, or "off" */
	HH_CONF_LIMITS,	  /* N/N/N */
	HH_CONF_LEVEL,	  /* debug, info, warn, error */
	HH_CONF_SECRET,	  /* the path of a file holding a secret */
	HH_CONF_NETS,	  /* addresses and CIDR ranges (core/netlist.h) */
};

struct hh_conf_key {
	const char *key; /* in the file */
	const char *env; /* the environment variable it stands for */
	enum hh_conf_type type;
	long min, max;	 /* HH_CONF_INT */
};

/* Reads the file at path and checks every line against keys (ended by a
 * NULL key): an unknown key, a key given twice, a line that is not
 * "key = value" or a value of the wrong type is an error. Only when every
 * line is right is anything set: each key's env gets the value unless
 * the environment already has it (booleans as "1" or "0"). *names_secret
 * (may be NULL) tells whether a HH_CONF_SECRET key was given, *mode (may
 * be NULL) the file's permission bits.
 * Returns HH_OK; HH_ERR_NOT_FOUND when there is no file; HH_ERR_IO when
 * it cannot be read; HH_ERR_INVALID with "PATH:LINE: what" in err. */
enum hh_rc hh_conf_load(const char *path, const struct hh_conf_key *keys,
			int *names_secret, unsigned *mode, char *err,
			size_t errlen);

#endif
