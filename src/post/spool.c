/* spool.c - the spool folder transport (see spool.h). */
#include "post/spool.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "core/log.h"
#include "core/util.h"

struct spool {
	struct hh_transport t; /* first: a transport's cls is its spool */
	char *dir;
	char *out, *sent, *receipts, *done, *print;
};

static const char *const SUBDIRS[] = { "out", "sent", "receipts",
				       "receipts/done", "print" };

static char *join(const char *a, const char *b)
{
	size_t n = strlen(a) + strlen(b) + 2;
	char *s = hh_xmalloc(n);
	snprintf(s, n, "%s/%s", a, b);
	return s;
}

/* 8-4-4-4-12 hex digits: a name that is safe as a file name. */
static int uuid_ok(const char *u)
{
	if (!u || strlen(u) != 36)
		return 0;
	for (int i = 0; i < 36; i++) {
		int dash = i == 8 || i == 13 || i == 18 || i == 23;
		if (dash ? u[i] != '-'
			 : !((u[i] >= '0' && u[i] <= '9') ||
			     (u[i] >= 'a' && u[i] <= 'f') ||
			     (u[i] >= 'A' && u[i] <= 'F')))
			return 0;
	}
	return 1;
}

static int exists(const char *dir, const char *uuid, const char *ext)
{
	char path[4096];
	snprintf(path, sizeof(path), "%s/%s%s", dir, uuid, ext);
	struct stat s;
	return stat(path, &s) == 0;
}

/* May we write into dir? Root may write anywhere, but an operator who
 * took every write bit off the folder means "stop": that is honoured. */
static int dir_writable(const char *dir)
{
	struct stat s;
	if (stat(dir, &s) != 0 || !S_ISDIR(s.st_mode))
		return 0;
	if (access(dir, W_OK | X_OK) != 0)
		return 0;
	if (geteuid() == 0 && !(s.st_mode & (S_IWUSR | S_IWGRP | S_IWOTH)))
		return 0;
	return 1;
}

static int fsync_dir(const char *dir)
{
	int fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (fd < 0)
		return -1;
	int r = fsync(fd);
	int e = errno;
	close(fd);
	errno = e;
	return r;
}

enum hh_rc hh_spool_write_file(const char *dir, const char *name,
			       const void *data, size_t len)
{
	char tmp[4096], path[4096];
	snprintf(tmp, sizeof(tmp), "%s/.%s.tmp", dir, name);
	snprintf(path, sizeof(path), "%s/%s", dir, name);
	if (!dir_writable(dir)) {
		errno = EACCES;
		return HH_ERR_IO;
	}
	int fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0640);
	if (fd < 0)
		return HH_ERR_IO;
	const char *p = data;
	size_t left = len;
	while (left) {
		ssize_t n = write(fd, p, left);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			goto fail;
		p += n;
		left -= (size_t)n;
	}
	if (fsync(fd) != 0)
		goto fail;
	if (close(fd) != 0) {
		fd = -1;
		goto fail;
	}
	fd = -1;
	if (rename(tmp, path) != 0)
		goto fail;
	/* the rename is durable only once the folder is */
	if (fsync_dir(dir) != 0)
		return HH_ERR_IO;
	return HH_OK;
fail:;
	int e = errno ? errno : EIO;
	if (fd >= 0)
		close(fd);
	unlink(tmp);
	errno = e;
	return HH_ERR_IO;
}

static enum hh_post_result spool_send(void *cls, const char *uuid,
				      const void *memo, size_t len,
				      char *reason)
{
	struct spool *s = cls;
	if (!uuid_ok(uuid)) {
		snprintf(reason, HH_POST_REASON_SIZE, "ugyldigt besked-id");
		return HH_POST_PERMANENT;
	}
	/* accepted before (waiting, picked up, or answered): the UUID is
	 * the idempotency key, so nothing more to do */
	if (exists(s->out, uuid, ".xml") || exists(s->sent, uuid, ".xml") ||
	    exists(s->receipts, uuid, ".ok") ||
	    exists(s->receipts, uuid, ".failed") ||
	    exists(s->done, uuid, ".ok") || exists(s->done, uuid, ".failed"))
		return HH_POST_OK;
	char name[64];
	snprintf(name, sizeof(name), "%s.xml", uuid);
	if (hh_spool_write_file(s->out, name, memo, len) != HH_OK) {
		snprintf(reason, HH_POST_REASON_SIZE,
			 "spoolmappen %s kan ikke skrives (%s)", s->out,
			 strerror(errno));
		return HH_POST_TEMPORARY;
	}
	return HH_POST_OK;
}

/* The text of a receipt file, at most 1 KB, trimmed (new). */
static char *read_reason(const char *path)
{
	char buf[1025];
	size_t n = 0;
	FILE *f = fopen(path, "rb");
	if (f) {
		n = fread(buf, 1, sizeof(buf) - 1, f);
		fclose(f);
	}
	buf[n] = 0;
	while (n && (buf[n - 1] == '\n' || buf[n - 1] == '\r' ||
		     buf[n - 1] == ' '))
		buf[--n] = 0;
	/* cut at a character boundary that keeps it valid UTF-8 */
	while (n && !hh_utf8_valid(buf, n))
		buf[--n] = 0;
	return hh_xstrdup(buf);
}

static enum hh_rc spool_receipts(void *cls, hh_post_receipt_cb cb, void *ctx)
{
	struct spool *s = cls;
	DIR *d = opendir(s->receipts);
	if (!d)
		return HH_ERR_IO;
	enum hh_rc rc = HH_OK;
	struct dirent *e;
	while (rc == HH_OK && (e = readdir(d))) {
		const char *n = e->d_name;
		size_t l = strlen(n);
		int ok = l == 39 && !strcmp(n + 36, ".ok");
		int failed = l == 43 && !strcmp(n + 36, ".failed");
		if (!ok && !failed)
			continue;
		char uuid[37];
		memcpy(uuid, n, 36);
		uuid[36] = 0;
		if (!uuid_ok(uuid))
			continue;
		char path[4096];
		snprintf(path, sizeof(path), "%s/%s", s->receipts, n);
		char *why = failed ? read_reason(path) : NULL;
		struct hh_post_receipt r = { .uuid = uuid, .delivered = ok,
					     .reason = why ? why : "" };
		rc = cb(ctx, &r);
		free(why);
	}
	closedir(d);
	return rc;
}

static enum hh_rc spool_receipt_done(void *cls, const char *uuid)
{
	struct spool *s = cls;
	if (!uuid_ok(uuid))
		return HH_ERR_INVALID;
	static const char *const exts[] = { ".ok", ".failed" };
	for (int i = 0; i < 2; i++) {
		char from[4096], to[4096];
		snprintf(from, sizeof(from), "%s/%s%s", s->receipts, uuid, exts[i]);
		snprintf(to, sizeof(to), "%s/%s%s", s->done, uuid, exts[i]);
		if (rename(from, to) != 0 && errno != ENOENT)
			return HH_ERR_IO;
	}
	return HH_OK;
}

static int spool_ready(void *cls, char *reason)
{
	struct spool *s = cls;
	if (dir_writable(s->out))
		return 1;
	snprintf(reason, HH_POST_REASON_SIZE, "the spool folder %s cannot be "
		 "written", s->out);
	return 0;
}

static void spool_free(void *cls)
{
	struct spool *s = cls;
	free(s->dir);
	free(s->out);
	free(s->sent);
	free(s->receipts);
	free(s->done);
	free(s->print);
	free(s);
}

enum hh_rc hh_spool_open(const char *dir, struct hh_transport **out)
{
	/* made 0750 whatever the umask; a folder that exists keeps the
	 * mode its operator gave it */
	if (mkdir(dir, 0750) == 0)
		chmod(dir, 0750);
	else if (errno != EEXIST) {
		hh_log(HH_LOG_ERROR, "cannot make the spool folder %s: %s", dir,
		       strerror(errno));
		return HH_ERR_IO;
	}
	for (size_t i = 0; i < sizeof(SUBDIRS) / sizeof(SUBDIRS[0]); i++) {
		char *p = join(dir, SUBDIRS[i]);
		int r = mkdir(p, 0750);
		int e = errno;
		if (r == 0)
			chmod(p, 0750);
		if (r != 0 && e != EEXIST) {
			hh_log(HH_LOG_ERROR, "cannot make the spool folder %s: %s",
			       p, strerror(e));
			free(p);
			return HH_ERR_IO;
		}
		free(p);
	}
	struct spool *s = hh_xcalloc(1, sizeof(*s));
	s->dir = hh_xstrdup(dir);
	s->out = join(dir, "out");
	s->sent = join(dir, "sent");
	s->receipts = join(dir, "receipts");
	s->done = join(dir, "receipts/done");
	s->print = join(dir, "print");
	s->t = (struct hh_transport){
		.cls = s,
		.name = "spool",
		.send = spool_send,
		.receipts = spool_receipts,
		.receipt_done = spool_receipt_done,
		.ready = spool_ready,
		.free = spool_free,
	};
	*out = &s->t;
	return HH_OK;
}

const char *hh_spool_dir(const struct hh_transport *t)
{
	if (!t || strcmp(t->name, "spool"))
		return NULL;
	return ((const struct spool *)t->cls)->dir;
}

char *hh_spool_default_dir(const char *db_path)
{
	size_t n = strlen(db_path) + 7;
	char *s = hh_xmalloc(n);
	snprintf(s, n, "%s.spool", db_path);
	return s;
}
