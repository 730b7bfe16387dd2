/* rc.h - the one return-code type every fallible helhed function uses. */
#ifndef HH_RC_H
#define HH_RC_H

enum hh_rc {
	HH_OK = 0,
	HH_ERR_INVALID,   /* bad input from the caller */
	HH_ERR_NOT_FOUND, /* no such thing, or not visible to the caller */
	HH_ERR_CONFLICT,  /* exists already, or a stale version */
	HH_ERR_FORBIDDEN, /* caller lacks the right */
	HH_ERR_BUSY,      /* retry: SQLite BUSY, serialization failure */
	HH_ERR_LIMITED,   /* the caller is over a limit: retry later */
	HH_ERR_IO,        /* disk, network */
	HH_ERR_INTERNAL   /* our own bug */
};

/* Returns a static English name of rc, for logs. */
const char *hh_rc_name(enum hh_rc rc);

#endif
