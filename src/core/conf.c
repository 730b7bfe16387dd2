/* conf.c - the configuration file: "key = value" lines into the
 * environment (conf.h). */
#include "core/conf.h"
#include "core/netlist.h"
#include "core/util.h"

#include <ctype.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

static void say(char *err, size_t errlen, const char *path, int line,
		const char *fmt, ...) __attribute__((format(printf, 5, 6)));

static void say(char *err, size_t errlen, const char *path, int line,
		const char *fmt, ...)
{
	int n = snprintf(err, errlen, "%s:%d: ", path, line);
	if (n < 0 || (size_t)n >= errlen)
		return;
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(err + n, errlen - (size_t)n, fmt, ap);
	va_end(ap);
}

static int all_digits(const char *s)
{
	if (!*s)
		return 0;
	for (; *s; s++)
		if (!isdigit((unsigned char)*s))
			return 0;
	return 1;
}

/* Checks value against the key's type; the normalised value goes to
 * *out (new). Returns NULL, or what is wrong (static English). */
static const char *check(const struct hh_conf_key *k, const char *v,
			 char **out, char *why, size_t whylen)
{
	*out = NULL;
	switch (k->type) {
	case HH_CONF_BOOL: {
		static const char *yes[] = { "1", "yes", "true", "on", NULL };
		static const char *no[] = { "0", "no", "false", "off", NULL };
		for (int i = 0; yes[i]; i++)
			if (!strcasecmp(v, yes[i])) {
				*out = hh_xstrdup("1");
				return NULL;
			}
		for (int i = 0; no[i]; i++)
			if (!strcasecmp(v, no[i])) {
				*out = hh_xstrdup("0");
				return NULL;
			}
		return "must be yes or no";
	}
	case HH_CONF_INT: {
		char *end;
		errno = 0;
		long n = strtol(v, &end, 10);
		if (!*v || *end || errno || n < k->min || n > k->max) {
			snprintf(why, whylen, "must be a whole number from %ld "
				 "to %ld", k->min, k->max);
			return why;
		}
		break;
	}
	case HH_CONF_HOSTPORT: {
		const char *colon = strrchr(v, ':');
		if (!colon || !all_digits(colon + 1) || atol(colon + 1) > 65535)
			return "must be HOST:PORT";
		break;
	}
	case HH_CONF_URL:
		if (strncmp(v, "http://", 7) && strncmp(v, "https://", 8))
			return "must start with http:// or https://";
		break;
	case HH_CONF_TIME: {
		int h, m;
		char end;
		if (strcmp(v, "off") &&
		    (sscanf(v, "%d:%d%c", &h, &m, &end) != 2 || h < 0 ||
		     h > 23 || m < 0 || m > 59 || strlen(v) != 5))
			return "must be HH:MM or off";
		break;
	}
	case HH_CONF_LIMITS: {
		long a, b, c;
		if (strspn(v, "0123456789/") != strlen(v) ||
		    sscanf(v, "%ld/%ld/%ld", &a, &b, &c) != 3 || a > 1000000 ||
		    b > 1000000 || c > 1000000)
			return "must be three numbers N/N/N";
		break;
	}
	case HH_CONF_LEVEL:
		if (strcmp(v, "debug") && strcmp(v, "info") && strcmp(v, "warn") &&
		    strcmp(v, "error"))
			return "must be debug, info, warn or error";
		break;
	case HH_CONF_SECRET:
		if (v[0] != '/')
			return "must be the absolute path of a file";
		break;
	case HH_CONF_NETS: {
		struct hh_netlist nets;
		char what[160];
		if (hh_netlist_parse(v, &nets, what, sizeof(what)) != HH_OK) {
			snprintf(why, whylen, "must list addresses or CIDR "
				 "ranges (%s)", what);
			return why;
		}
		break;
	}
	case HH_CONF_STR:
		break;
	}
	*out = hh_xstrdup(v);
	return NULL;
}

static char *trim(char *s)
{
	while (isspace((unsigned char)*s))
		s++;
	size_t n = strlen(s);
	while (n && isspace((unsigned char)s[n - 1]))
		s[--n] = '\0';
	return s;
}

enum hh_rc hh_conf_load(const char *path, const struct hh_conf_key *keys,
			int *names_secret, unsigned *mode, char *err,
			size_t errlen)
{
	enum hh_rc rc = HH_OK;
	int n_keys = 0;
	while (keys[n_keys].key)
		n_keys++;
	char **value = hh_xcalloc((size_t)n_keys + 1, sizeof(*value));
	int *line_of = hh_xcalloc((size_t)n_keys + 1, sizeof(*line_of));
	char *line = NULL;
	size_t cap = 0;
	FILE *f = fopen(path, "r");
	if (!f) {
		snprintf(err, errlen, "%s: %s", path, strerror(errno));
		rc = errno == ENOENT ? HH_ERR_NOT_FOUND : HH_ERR_IO;
		goto fail;
	}
	struct stat st;
	if (fstat(fileno(f), &st) != 0 || !S_ISREG(st.st_mode)) {
		snprintf(err, errlen, "%s: not a file", path);
		rc = HH_ERR_IO;
		goto fail;
	}
	if (mode)
		*mode = (unsigned)(st.st_mode & 07777);
	int secret = 0;
	ssize_t len;
	for (int ln = 1; (len = getline(&line, &cap, f)) >= 0; ln++) {
		if ((size_t)len != strlen(line)) {
			say(err, errlen, path, ln, "a NUL byte in the line");
			rc = HH_ERR_INVALID;
			goto fail;
		}
		char *s = trim(line);
		if (!*s || *s == '#')
			continue;
		char *eq = strchr(s, '=');
		if (!eq) {
			say(err, errlen, path, ln, "not 'key = value'");
			rc = HH_ERR_INVALID;
			goto fail;
		}
		*eq = '\0';
		char *key = trim(s), *v = trim(eq + 1);
		int k = 0;
		while (k < n_keys && strcmp(keys[k].key, key))
			k++;
		if (k == n_keys) {
			say(err, errlen, path, ln, "unknown key '%.100s'", key);
			rc = HH_ERR_INVALID;
			goto fail;
		}
		if (value[k]) {
			say(err, errlen, path, ln, "'%s' is set twice (also on "
				"line %d)", key, line_of[k]);
			rc = HH_ERR_INVALID;
			goto fail;
		}
		if (!*v) {
			say(err, errlen, path, ln, "'%s' has no value (leave the "
				"line out for the default)", key);
			rc = HH_ERR_INVALID;
			goto fail;
		}
		char whybuf[256];
		const char *why = check(&keys[k], v, &value[k], whybuf,
					sizeof(whybuf));
		if (why) {
			/* a secret typed where its file's path belongs is
			 * not repeated into the log */
			say(err, errlen, path, ln, "'%s' %s, not '%.200s'", key, why,
			    keys[k].type == HH_CONF_SECRET ? "(not shown)" : v);
			rc = HH_ERR_INVALID;
			goto fail;
		}
		line_of[k] = ln;
		if (keys[k].type == HH_CONF_SECRET)
			secret = 1;
	}
	if (ferror(f)) {
		snprintf(err, errlen, "%s: %s", path, strerror(errno));
		rc = HH_ERR_IO;
		goto fail;
	}
	/* every line is right: only now does anything change */
	for (int k = 0; k < n_keys; k++) {
		const char *have = getenv(keys[k].env);
		if (value[k] && !(have && *have))
			setenv(keys[k].env, value[k], 1);
	}
	if (names_secret)
		*names_secret = secret;
fail:
	if (f)
		fclose(f);
	free(line);
	for (int k = 0; k < n_keys; k++)
		free(value[k]);
	free(value);
	free(line_of);
	return rc;
}
