/* log.h - logging to stderr: JSON lines for requests, plain text otherwise.
 *
 * Client faults (bad input) and our own bugs are logged differently, as in
 * GNU Taler: hh_log_client() is informational, hh_log_bug() is an error that
 * someone must look at. */
#ifndef HH_LOG_H
#define HH_LOG_H

enum hh_log_level { HH_LOG_DEBUG, HH_LOG_INFO, HH_LOG_WARN, HH_LOG_ERROR };

void hh_log_set_level(enum hh_log_level level);
/* When quiet, only warnings and errors are printed (used by tests). */
void hh_log(enum hh_log_level level, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
#define hh_log_bug(...) hh_log(HH_LOG_ERROR, "BUG " __VA_ARGS__)
#define hh_log_client(...) hh_log(HH_LOG_INFO, __VA_ARGS__)
/* Writes one complete line to stderr atomically. */
void hh_log_line(const char *line, unsigned long len);
int hh_log_enabled(enum hh_log_level level);

#endif
