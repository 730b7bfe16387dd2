/* opts.h - one table-driven option parser for every helhed command.
 *
 * Each command used to walk its own getopt loop and check its own values
 * the same way; now a command names its options in a table of specs and
 * hh_opts_parse fills the caller's settings struct from them: the
 * default, else the HELHED_* variable (helhed.conf is loaded into those
 * first, core/conf.h), else the flag, so flag > environment > file >
 * default. Then the positional arguments are counted and every value is
 * checked in table order, so the first bad value is the one reported.
 * Every message goes to stderr as "helhed CMD: ..."; a usage error ends
 * with "(try 'helhed CMD --help')" and exit status 2. */
#ifndef HH_OPTS_H
#define HH_OPTS_H

#include <stddef.h>

#include "core/conf.h"

enum hh_opt_kind {
	HH_OPT_STR,	/* a text: const char * */
	HH_OPT_INT,	/* a whole number from min to max: struct hh_opt_num */
	HH_OPT_SWITCH,	/* no value: int, the flag sets on, default !on; the
			 * variable, when set, 1 unless empty or "0" */
	HH_OPT_CONST,	/* no value: const char *, the flag sets def */
	HH_OPT_REFUSED, /* a secret given as a value, by flag or variable:
			 * refused, pointing at the NAME-file spec, which
			 * reads it from a file */
	HH_OPT_IGNORED, /* takes a value read elsewhere (--config) */
	HH_OPT_UNKNOWN, /* takes a value, then is refused as unknown naming
			 * the value: a sibling command's flag (token's
			 * --email), as getopt loops did */
	HH_OPT_HELP,	/* prints the command's usage, exit status 0 */
};

/* HH_OPT_INT: the text given (or the default) and its value once checked */
struct hh_opt_num {
	const char *text;
	long value;
};

#define HH_OPT_EMPTY_ZERO 1u /* HH_OPT_INT: "" is taken as 0 (as ever) */

struct hh_opt;

/* A value's own check, after every value is read: returns 0, else the
 * exit status after printing why. settings is the caller's struct. */
typedef int (*hh_opt_check_fn)(void *settings, const struct hh_opt *o,
			       const char *cmd);

struct hh_opt {
	unsigned commands;	/* the commands that take it (a mask) */
	const char *name;	/* the flag without "--"; NULL: none */
	enum hh_opt_kind kind;
	const char *env;	/* the HELHED_* variable, or NULL */
	const char *conf;	/* its helhed.conf key, or NULL */
	enum hh_conf_type conf_type;
	long min, max;		/* HH_OPT_INT and HH_CONF_INT */
	size_t at;		/* offsetof the value in the settings */
	const char *def;	/* the default text (HH_OPT_CONST: the value) */
	int on;			/* HH_OPT_SWITCH: what the flag sets */
	const char *unit;	/* HH_OPT_INT: said after the range */
	unsigned flags;		/* HH_OPT_EMPTY_ZERO */
	hh_opt_check_fn check;	/* or NULL */
};

/* What a command takes beside its options. */
struct hh_opt_command {
	const char *name;	/* "serve" */
	unsigned bit;		/* its bit in hh_opt.commands */
	const char *usage;	/* printed for --help */
	int min_args, max_args; /* positional arguments; max -1: any */
	const char *missing;	/* the message when too few: "missing DIR" */
};

/* Fills settings from opts (ended by a spec without name, env and conf
 * key) for command c, from argv (argv[0] the command's name; getopt
 * may reorder it). *first gets the index of the first positional
 * argument. Returns -1 to go on; 0 when --help printed the usage; else
 * the exit status after printing why. */
int hh_opts_parse(const struct hh_opt *opts, const struct hh_opt_command *c,
		  int argc, char **argv, void *settings, int *first);

/* The helhed.conf keys of opts (every spec with a conf key) into keys,
 * ended by a NULL key; n is the room in keys. */
void hh_opts_conf_keys(const struct hh_opt *opts, struct hh_conf_key *keys,
		       size_t n);

/* Prints "helhed[ CMD]: " fmt (with arg) " (try 'helhed[ CMD] --help')"
 * on stderr; returns 2, the exit status of a usage error. */
int hh_opts_usage_error(const char *cmd, const char *fmt, const char *arg);

/* The variable's value when set and not empty, else def. */
const char *hh_opts_env(const char *name, const char *def);

#endif
