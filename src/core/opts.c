/* opts.c - one table-driven option parser for every helhed command
 * (core/opts.h). getopt_long does the reading, so what the commands
 * accepted before stays accepted: --flag=value and --flag value, unique
 * prefixes of a flag, options after the positional arguments. */
#include "core/opts.h"

#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define PROG "helhed"
#define MAX_OPTS 128
#define FIRST_VAL 256 /* getopt's value of spec i: FIRST_VAL + i */

int hh_opts_usage_error(const char *cmd, const char *fmt, const char *arg)
{
	fprintf(stderr, "%s%s%s: ", PROG, cmd ? " " : "", cmd ? cmd : "");
	fprintf(stderr, fmt, arg);
	fprintf(stderr, " (try '%s%s%s --help')\n", PROG, cmd ? " " : "",
		cmd ? cmd : "");
	return 2;
}

const char *hh_opts_env(const char *name, const char *def)
{
	const char *v = getenv(name);
	return v && *v ? v : def;
}

static int is_end(const struct hh_opt *o)
{
	return !o->name && !o->env && !o->conf;
}

static void *field(void *settings, const struct hh_opt *o)
{
	return (char *)settings + o->at;
}

void hh_opts_conf_keys(const struct hh_opt *opts, struct hh_conf_key *keys,
		       size_t n)
{
	size_t k = 0;
	for (const struct hh_opt *o = opts; !is_end(o) && k + 1 < n; o++)
		if (o->conf)
			keys[k++] = (struct hh_conf_key){ o->conf, o->env,
							  o->conf_type, o->min,
							  o->max };
	keys[k] = (struct hh_conf_key){ 0 };
}

/* HH_OPT_REFUSED: the spec that takes the secret from a file, NAME-file;
 * NULL when the table has none. */
static const struct hh_opt *file_spec(const struct hh_opt *opts,
				      const struct hh_opt *o)
{
	size_t n = strlen(o->name);
	for (; !is_end(opts); opts++)
		if (opts->name && !strncmp(opts->name, o->name, n) &&
		    !strcmp(opts->name + n, "-file"))
			return opts;
	return NULL;
}

/* The default, then the variable. Returns 0, or 2 for a secret in the
 * environment, which whatever reads the process's environment sees (and
 * systemctl show, from a unit's Environment=). */
static int from_env(const struct hh_opt *opts, const struct hh_opt *o,
		    const char *cmd, void *settings)
{
	const char *v = o->env ? getenv(o->env) : NULL;
	switch (o->kind) {
	case HH_OPT_STR:
		*(const char **)field(settings, o) =
			o->env ? hh_opts_env(o->env, o->def) : o->def;
		break;
	case HH_OPT_INT:
		((struct hh_opt_num *)field(settings, o))->text =
			o->env ? hh_opts_env(o->env, o->def) : o->def;
		break;
	case HH_OPT_SWITCH:
		*(int *)field(settings, o) = v ? *v && strcmp(v, "0") != 0
					       : !o->on;
		break;
	case HH_OPT_CONST:
		if (o->env)
			*(const char **)field(settings, o) =
				hh_opts_env(o->env, NULL);
		break;
	case HH_OPT_REFUSED:
		if (v && *v) {
			const struct hh_opt *f = file_spec(opts, o);
			fprintf(stderr, "%s %s: %s is refused: give the secret "
				"in a file readable by the service user only, "
				"%s=FILE (or %s in helhed.conf); not started\n",
				PROG, cmd, o->env, f ? f->env : "?",
				f && f->conf ? f->conf : "?");
			return 2;
		}
		break;
	case HH_OPT_IGNORED:
	case HH_OPT_UNKNOWN:
	case HH_OPT_HELP:
		break;
	}
	return 0;
}

static int unknown(const struct hh_opt_command *c, char **argv)
{
	return hh_opts_usage_error(c->name,
				   "unknown option or missing value '%s'",
				   argv[optind - 1]);
}

/* A flag given: its value into the settings. Returns -1 to go on, 0
 * after --help, else the exit status after printing why. */
static int from_flag(const struct hh_opt *o, const struct hh_opt_command *c,
		     char **argv, void *settings)
{
	switch (o->kind) {
	case HH_OPT_STR:
		*(const char **)field(settings, o) = optarg;
		break;
	case HH_OPT_INT:
		((struct hh_opt_num *)field(settings, o))->text = optarg;
		break;
	case HH_OPT_SWITCH:
		*(int *)field(settings, o) = o->on;
		break;
	case HH_OPT_CONST:
		*(const char **)field(settings, o) = o->def;
		break;
	case HH_OPT_REFUSED: {
		char why[160];
		snprintf(why, sizeof(why), "--%s is refused: every user of the "
			 "machine may read a command line; give --%s-file FILE",
			 o->name, o->name);
		return hh_opts_usage_error(c->name, "%s", why);
	}
	case HH_OPT_IGNORED:
		break;
	case HH_OPT_UNKNOWN:
		return unknown(c, argv);
	case HH_OPT_HELP:
		fputs(c->usage, stdout);
		return 0;
	}
	return -1;
}

/* HH_OPT_INT: a whole number in range, said the same way for all. */
static int check_num(const struct hh_opt *o, const char *cmd, void *settings)
{
	struct hh_opt_num *n = field(settings, o);
	char *end;
	n->value = strtol(n->text, &end, 10);
	if (*end || (!*n->text && !(o->flags & HH_OPT_EMPTY_ZERO)) ||
	    n->value < o->min || n->value > o->max) {
		char fmt[160];
		snprintf(fmt, sizeof(fmt), "--%s must be %ld to %ld%s, not '%%s'",
			 o->name, o->min, o->max, o->unit ? o->unit : "");
		return hh_opts_usage_error(cmd, fmt, n->text);
	}
	return 0;
}

int hh_opts_parse(const struct hh_opt *opts, const struct hh_opt_command *c,
		  int argc, char **argv, void *settings, int *first)
{
	struct option lopts[MAX_OPTS + 1];
	int n = 0, rc;
	for (int i = 0; !is_end(&opts[i]); i++) {
		const struct hh_opt *o = &opts[i];
		if (!(o->commands & c->bit))
			continue;
		if ((rc = from_env(opts, o, c->name, settings)))
			return rc;
		if (o->name && n < MAX_OPTS) {
			int value = o->kind != HH_OPT_SWITCH &&
				    o->kind != HH_OPT_CONST &&
				    o->kind != HH_OPT_HELP;
			lopts[n++] = (struct option){
				o->name, value ? required_argument : no_argument,
				NULL, FIRST_VAL + i };
		}
	}
	lopts[n] = (struct option){ 0 };
	int v;
	opterr = 0;
	optind = 0; /* getopt starts afresh (GNU), also on a second parse */
	while ((v = getopt_long(argc, argv, "", lopts, NULL)) != -1) {
		if (v < FIRST_VAL) /* unknown, or its value missing */
			return unknown(c, argv);
		if ((rc = from_flag(&opts[v - FIRST_VAL], c, argv, settings)) >= 0)
			return rc;
	}
	int args = argc - optind;
	if (args < c->min_args)
		return hh_opts_usage_error(c->name, "%s", c->missing);
	if (c->max_args >= 0 && args > c->max_args)
		return hh_opts_usage_error(c->name, "unexpected argument '%s'",
					   argv[optind + c->max_args]);
	*first = optind;
	for (int i = 0; !is_end(&opts[i]); i++) {
		const struct hh_opt *o = &opts[i];
		if (!(o->commands & c->bit))
			continue;
		if (o->kind == HH_OPT_INT && (rc = check_num(o, c->name, settings)))
			return rc;
		if (o->check && (rc = o->check(settings, o, c->name)))
			return rc;
	}
	return -1;
}
