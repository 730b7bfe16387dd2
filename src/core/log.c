/* log.c - stderr logging with one write per line so threads do not mix. */
#include "core/log.h"
#include "core/util.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

static enum hh_log_level min_level = HH_LOG_INFO;

void hh_log_set_level(enum hh_log_level level)
{
	min_level = level;
}

int hh_log_enabled(enum hh_log_level level)
{
	return level >= min_level;
}

void hh_log_line(const char *line, unsigned long len)
{
	ssize_t w = write(2, line, len);
	(void)w;
}

void hh_log(enum hh_log_level level, const char *fmt, ...)
{
	static const char *names[] = { "debug", "info", "warn", "error" };
	if (level < min_level)
		return;
	char buf[2048];
	int n = snprintf(buf, sizeof(buf), "helhed %s: ", names[level]);
	va_list ap;
	va_start(ap, fmt);
	int m = vsnprintf(buf + n, sizeof(buf) - (size_t)n - 1, fmt, ap);
	va_end(ap);
	size_t len = (size_t)n + (m < 0 ? 0 : (size_t)m);
	if (len > sizeof(buf) - 2)
		len = sizeof(buf) - 2;
	buf[len++] = '\n';
	hh_log_line(buf, len);
}
