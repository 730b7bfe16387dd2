/* vault.c - the key file, sealing and opening CPR numbers, and their
 * keyed hash (see vault.h; the store side is in vaultstore.c). */
#include "domain/vault.h"

#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <jansson.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "core/util.h"
#include "domain/cpr.h"
#include "domain/vault_int.h"

#define PREFIX "v1:"
#define PREFIX_LEN 3
#define KEY_FILE_MAX (64 * 1024)

/* ---- keys ------------------------------------------------------------ */

static int id_ok(const char *s, size_t n)
{
	if (n < 1 || n > HH_VAULT_ID_MAX)
		return 0;
	for (size_t i = 0; i < n; i++)
		if (!((s[i] >= 'a' && s[i] <= 'z') || (s[i] >= '0' && s[i] <= '9') ||
		      s[i] == '-'))
			return 0;
	return 1;
}

static const struct hh_vault_key *find(const struct hh_vault_key *k, int n,
				       const char *id, size_t len)
{
	for (int i = 0; i < n; i++)
		if (strlen(k[i].id) == len && !memcmp(k[i].id, id, len))
			return &k[i];
	return NULL;
}

static void fail_msg(char *err, size_t errsz, const char *path, const char *why)
{
	if (err && errsz)
		snprintf(err, errsz, "key file %s: %s", path, why);
}

/* Parses one line "KIND ID BASE64 [current]"; 0 on success. */
static int parse_line(struct hh_vault *v, char *line, const char **why)
{
	char *save = NULL;
	char *kind = strtok_r(line, " \t", &save);
	char *id = strtok_r(NULL, " \t", &save);
	char *b64 = strtok_r(NULL, " \t", &save);
	char *cur = strtok_r(NULL, " \t", &save);
	if (!kind || !id || !b64 || strtok_r(NULL, " \t", &save) ||
	    (cur && strcmp(cur, "current"))) {
		*why = "a line is not 'seal|hash ID KEY [current]'";
		return -1;
	}
	int seal = !strcmp(kind, "seal");
	if (!seal && strcmp(kind, "hash")) {
		*why = "a key is neither 'seal' nor 'hash'";
		return -1;
	}
	struct hh_vault_key *keys = seal ? v->seal : v->hash;
	int *n = seal ? &v->n_seal : &v->n_hash;
	int *current = seal ? &v->cur_seal : &v->cur_hash;
	if (!id_ok(id, strlen(id)) || find(keys, *n, id, strlen(id))) {
		*why = "a key id is repeated or not 1-16 of a-z, 0-9, -";
		return -1;
	}
	if (*n == HH_VAULT_KEYS_MAX) {
		*why = "too many keys";
		return -1;
	}
	struct hh_vault_key *k = &keys[*n];
	size_t len = 0;
	if (sodium_base642bin(k->key, sizeof(k->key), b64, strlen(b64), NULL, &len,
			      NULL, sodium_base64_VARIANT_ORIGINAL) != 0 ||
	    len != sizeof(k->key)) {
		*why = "a key is not 32 bytes in base64";
		return -1;
	}
	snprintf(k->id, sizeof(k->id), "%s", id);
	if (cur) {
		if (*current >= 0) {
			*why = "two current keys of one kind";
			return -1;
		}
		*current = *n;
	}
	(*n)++;
	return 0;
}

enum hh_rc hh_vault_load(const char *path, struct hh_vault **out, char *err,
			 size_t errsz)
{
	*out = NULL;
	if (sodium_init() < 0)
		return HH_ERR_INTERNAL;
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		fail_msg(err, errsz, path, strerror(errno));
		return errno == ENOENT ? HH_ERR_NOT_FOUND : HH_ERR_IO;
	}
	struct stat sb;
	char *text = NULL;
	struct hh_vault *v = NULL;
	enum hh_rc rc = HH_ERR_IO;
	if (fstat(fd, &sb) != 0) {
		fail_msg(err, errsz, path, strerror(errno));
		goto fail;
	}
	if (!S_ISREG(sb.st_mode) || (sb.st_mode & 077)) {
		fail_msg(err, errsz, path,
			 "group or others may access it (chmod 600 it)");
		rc = HH_ERR_FORBIDDEN;
		goto fail;
	}
	if (sb.st_size > KEY_FILE_MAX) {
		fail_msg(err, errsz, path, "too large for a key file");
		rc = HH_ERR_INVALID;
		goto fail;
	}
	text = hh_xmalloc((size_t)sb.st_size + 1);
	ssize_t got = read(fd, text, (size_t)sb.st_size);
	if (got != sb.st_size) {
		fail_msg(err, errsz, path, "cannot read it");
		goto fail;
	}
	text[got] = 0;
	v = hh_xmalloc(sizeof(*v));
	memset(v, 0, sizeof(*v));
	v->cur_seal = v->cur_hash = -1;
	v->path = hh_xstrdup(path);
	rc = HH_ERR_INVALID;
	char *save = NULL;
	for (char *line = strtok_r(text, "\n", &save); line;
	     line = strtok_r(NULL, "\n", &save)) {
		line[strcspn(line, "\r#")] = 0;
		if (!line[strspn(line, " \t")])
			continue;
		const char *why;
		if (parse_line(v, line, &why)) {
			fail_msg(err, errsz, path, why);
			goto fail;
		}
	}
	if (v->cur_seal < 0 || v->cur_hash < 0) {
		fail_msg(err, errsz, path, "needs one current seal and hash key");
		goto fail;
	}
	rc = HH_OK;
	*out = v;
	v = NULL;
fail:
	if (text) {
		sodium_memzero(text, (size_t)sb.st_size);
		free(text);
	}
	hh_vault_free(v);
	close(fd);
	return rc;
}

void hh_vault_free(struct hh_vault *v)
{
	if (!v)
		return;
	free(v->path);
	sodium_memzero(v, sizeof(*v));
	free(v);
}

/* A new key of a kind with an id not yet used, made current. */
enum hh_rc hh_vault_new_key(struct hh_vault *v, int seal)
{
	struct hh_vault_key *keys = seal ? v->seal : v->hash;
	int *n = seal ? &v->n_seal : &v->n_hash;
	if (*n == HH_VAULT_KEYS_MAX)
		return HH_ERR_CONFLICT;
	struct hh_vault_key *k = &keys[*n];
	do {
		snprintf(k->id, sizeof(k->id), "%c%08x", seal ? 's' : 'h',
			 (unsigned)randombytes_random());
	} while (find(keys, *n, k->id, strlen(k->id)));
	randombytes_buf(k->key, sizeof(k->key));
	*(seal ? &v->cur_seal : &v->cur_hash) = (*n)++;
	return HH_OK;
}

static void put_keys(FILE *f, const char *kind, const struct hh_vault_key *k,
		     int n, int cur)
{
	char b64[sodium_base64_ENCODED_LEN(32, sodium_base64_VARIANT_ORIGINAL)];
	for (int i = 0; i < n; i++) {
		sodium_bin2base64(b64, sizeof(b64), k[i].key, sizeof(k[i].key),
				  sodium_base64_VARIANT_ORIGINAL);
		fprintf(f, "%s %s %s%s\n", kind, k[i].id, b64,
			i == cur ? " current" : "");
	}
	sodium_memzero(b64, sizeof(b64));
}

/* Writes the key file anew: a new file beside it (0600), synced, renamed
 * over it, so that a crash leaves either the old file or the new. */
enum hh_rc hh_vault_save(const struct hh_vault *v, int must_be_new, char *err,
			 size_t errsz)
{
	char tmp[4200];
	snprintf(tmp, sizeof(tmp), "%s.new.%ld", v->path, (long)getpid());
	unlink(tmp);
	if (must_be_new && access(v->path, F_OK) == 0) {
		fail_msg(err, errsz, v->path, "exists already");
		return HH_ERR_CONFLICT;
	}
	int fd = open(tmp, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
	if (fd < 0) {
		fail_msg(err, errsz, tmp, strerror(errno));
		return HH_ERR_IO;
	}
	FILE *f = fdopen(fd, "w");
	if (!f) {
		close(fd);
		unlink(tmp);
		return HH_ERR_IO;
	}
	fprintf(f, "# helhed key file: the keys CPR numbers are sealed with.\n"
		   "# Secret: keep it mode 0600, and back it up apart from the\n"
		   "# database; without it the CPR numbers cannot be read.\n"
		   "# 'helhed rotate-key' makes new keys and drops old ones.\n");
	put_keys(f, "seal", v->seal, v->n_seal, v->cur_seal);
	put_keys(f, "hash", v->hash, v->n_hash, v->cur_hash);
	int bad = fflush(f) != 0 || fsync(fd) != 0;
	bad |= fclose(f) != 0;
	/* a new file by link(), which fails when another process made one
	 * meanwhile (two first starts at once must end with one key file,
	 * not the second replacing the first) */
	if (!bad && must_be_new && link(tmp, v->path) != 0) {
		int e = errno;
		fail_msg(err, errsz, v->path, strerror(e));
		unlink(tmp);
		return e == EEXIST ? HH_ERR_CONFLICT : HH_ERR_IO;
	}
	if (bad || (must_be_new ? unlink(tmp) : rename(tmp, v->path)) != 0) {
		fail_msg(err, errsz, v->path, strerror(errno));
		unlink(tmp);
		return HH_ERR_IO;
	}
	/* the rename itself must survive a crash */
	char dir[4200];
	snprintf(dir, sizeof(dir), "%s", v->path);
	char *slash = strrchr(dir, '/');
	if (slash)
		*(slash == dir ? slash + 1 : slash) = 0;
	int dfd = open(slash ? dir : ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (dfd >= 0) {
		fsync(dfd);
		close(dfd);
	}
	return HH_OK;
}

enum hh_rc hh_vault_create(const char *path, struct hh_vault **out, char *err,
			   size_t errsz)
{
	*out = NULL;
	if (sodium_init() < 0)
		return HH_ERR_INTERNAL;
	struct hh_vault *v = hh_xmalloc(sizeof(*v));
	memset(v, 0, sizeof(*v));
	v->path = hh_xstrdup(path);
	hh_vault_new_key(v, 1);
	hh_vault_new_key(v, 0);
	enum hh_rc rc = hh_vault_save(v, 1, err, errsz);
	if (rc != HH_OK) {
		hh_vault_free(v);
		return rc;
	}
	*out = v;
	return HH_OK;
}

/* Keeps only the current keys (after a finished rotation). */
void hh_vault_drop_old(struct hh_vault *v)
{
	v->seal[0] = v->seal[v->cur_seal];
	v->hash[0] = v->hash[v->cur_hash];
	for (int i = 1; i < HH_VAULT_KEYS_MAX; i++) {
		sodium_memzero(&v->seal[i], sizeof(v->seal[i]));
		sodium_memzero(&v->hash[i], sizeof(v->hash[i]));
	}
	v->n_seal = v->n_hash = 1;
	v->cur_seal = v->cur_hash = 0;
}

const char *hh_vault_path(const struct hh_vault *v)
{
	return v->path;
}

const char *hh_vault_seal_id(const struct hh_vault *v)
{
	return v->seal[v->cur_seal].id;
}

const char *hh_vault_hash_id(const struct hh_vault *v)
{
	return v->hash[v->cur_hash].id;
}

/* ---- sealing and opening --------------------------------------------- */

int hh_vault_is_sealed(const char *s)
{
	return s && !strncmp(s, PREFIX, PREFIX_LEN);
}

enum hh_rc hh_vault_seal(const struct hh_vault *v, struct hh_arena *a,
			 const char *plain, const char **out)
{
	const struct hh_vault_key *k = &v->seal[v->cur_seal];
	size_t n = strlen(plain);
	if (n > 1 << 20)
		return HH_ERR_INVALID;
	size_t blen = crypto_secretbox_NONCEBYTES + crypto_secretbox_MACBYTES + n;
	unsigned char *box = hh_arena_alloc(a, blen);
	randombytes_buf(box, crypto_secretbox_NONCEBYTES);
	crypto_secretbox_easy(box + crypto_secretbox_NONCEBYTES,
			      (const unsigned char *)plain, n, box, k->key);
	size_t idlen = strlen(k->id);
	size_t b64len = sodium_base64_ENCODED_LEN(
		blen, sodium_base64_VARIANT_URLSAFE_NO_PADDING);
	char *s = hh_arena_alloc(a, PREFIX_LEN + idlen + 1 + b64len);
	memcpy(s, PREFIX, PREFIX_LEN);
	memcpy(s + PREFIX_LEN, k->id, idlen);
	s[PREFIX_LEN + idlen] = ':';
	sodium_bin2base64(s + PREFIX_LEN + idlen + 1, b64len, box, blen,
			  sodium_base64_VARIANT_URLSAFE_NO_PADDING);
	*out = s;
	return HH_OK;
}

enum hh_rc hh_vault_open(const struct hh_vault *v, struct hh_arena *a,
			 const char *sealed, const char **out)
{
	if (!hh_vault_is_sealed(sealed))
		return HH_ERR_INVALID;
	const char *id = sealed + PREFIX_LEN;
	const char *colon = strchr(id, ':');
	if (!colon || !id_ok(id, (size_t)(colon - id)))
		return HH_ERR_INVALID;
	const struct hh_vault_key *k = find(v->seal, v->n_seal, id,
					    (size_t)(colon - id));
	if (!k)
		return HH_ERR_NOT_FOUND;
	const char *b64 = colon + 1;
	size_t b64len = strlen(b64);
	size_t cap = b64len / 4 * 3 + 3;
	unsigned char *box = hh_arena_alloc(a, cap);
	size_t blen;
	if (sodium_base642bin(box, cap, b64, b64len, NULL, &blen, NULL,
			      sodium_base64_VARIANT_URLSAFE_NO_PADDING) != 0 ||
	    blen < crypto_secretbox_NONCEBYTES + crypto_secretbox_MACBYTES)
		return HH_ERR_INVALID;
	size_t n = blen - crypto_secretbox_NONCEBYTES - crypto_secretbox_MACBYTES;
	char *plain = hh_arena_alloc(a, n + 1);
	if (crypto_secretbox_open_easy((unsigned char *)plain,
				       box + crypto_secretbox_NONCEBYTES,
				       blen - crypto_secretbox_NONCEBYTES, box,
				       k->key) != 0)
		return HH_ERR_INVALID;
	plain[n] = 0;
	*out = plain;
	return HH_OK;
}

/* The 10 digits of s when s reads as a CPR number: a real date, whatever
 * the century digit says (a number that only fails later checks is still
 * somebody's and is sealed all the same). */
static int cpr_digits(const char *s, char digits[11])
{
	enum hh_cpr_check c = hh_cpr_check(s, NULL, NULL, 0);
	if (c == HH_CPR_BAD_FORM || c == HH_CPR_BAD_DATE)
		return 0;
	int n = 0;
	for (; *s; s++)
		if (*s >= '0' && *s <= '9')
			digits[n++] = *s;
	digits[n] = 0;
	return n == 10;
}

/* Does text s hold a CPR number among other words ("mit CPR er
 * 010203-1234")? Six digits of a real date, a dash or a space or
 * nothing, four digits, with no digit on either side. */
static int holds_cpr(const char *s)
{
	for (const char *p = s; *p; p++) {
		if (!isdigit((unsigned char)*p) ||
		    (p > s && isdigit((unsigned char)p[-1])))
			continue;
		char cand[12];
		int n = 0, k = 0;
		while (n < 6 && isdigit((unsigned char)p[k]))
			cand[n++] = p[k++];
		if (n < 6)
			continue;
		if (p[k] == '-' || p[k] == ' ')
			cand[n++] = p[k++];
		int d = 0;
		while (d < 4 && isdigit((unsigned char)p[k])) {
			cand[n++] = p[k++];
			d++;
		}
		cand[n] = 0;
		char digits[11];
		if (d == 4 && !isdigit((unsigned char)p[k]) && cpr_digits(cand, digits))
			return 1;
	}
	return 0;
}

int hh_vault_holds_cpr(const char *s)
{
	char digits[11];
	return s && (cpr_digits(s, digits) || holds_cpr(s));
}

enum hh_rc hh_vault_cpr_hash(const struct hh_vault *v, int i, const char *cpr,
			     unsigned char out[32])
{
	char digits[11];
	if (i < 0 || i >= v->n_hash || !cpr || !cpr_digits(cpr, digits))
		return HH_ERR_NOT_FOUND;
	/* key i: the current one first, then the others in file order */
	int k = i == 0 ? v->cur_hash : (i <= v->cur_hash ? i - 1 : i);
	crypto_generichash(out, 32, (const unsigned char *)digits, 10,
			   v->hash[k].key, sizeof(v->hash[k].key));
	return HH_OK;
}

void hh_vault_account_hash(const struct hh_vault *v, const char *account,
			   unsigned char out[32])
{
	/* A CPR hash is of exactly 10 digits; the label (with its NUL)
	 * keeps an account's hash from ever being one. */
	static const char label[] = "helhed sign-in account";
	const struct hh_vault_key *k = v ? &v->hash[v->cur_hash] : NULL;
	crypto_generichash_state h;
	crypto_generichash_init(&h, k ? k->key : NULL, k ? sizeof(k->key) : 0,
				32);
	crypto_generichash_update(&h, (const unsigned char *)label, sizeof(label));
	crypto_generichash_update(&h, (const unsigned char *)account,
				  strlen(account));
	crypto_generichash_final(&h, out, 32);
}

/* ---- a case's form values -------------------------------------------- */

/* Cheap first look: could data hold a CPR number or a sealed value? (a
 * run of 6 digits, or the prefix) */
static int may_need_sealing(const char *s)
{
	int run = 0;
	for (; *s; s++) {
		if (*s >= '0' && *s <= '9') {
			if (++run == 6)
				return 1;
		} else {
			run = 0;
			if (*s == 'v' && !strncmp(s, PREFIX, PREFIX_LEN))
				return 1;
		}
	}
	return 0;
}

static enum hh_rc walk(const struct hh_vault *v, struct hh_arena *a, json_t *j,
		       int seal, int *changed)
{
	enum hh_rc rc = HH_OK;
	if (json_is_string(j)) {
		const char *s = json_string_value(j), *t;
		char digits[11];
		if (seal && (hh_vault_is_sealed(s) || cpr_digits(s, digits) ||
			     holds_cpr(s)))
			rc = hh_vault_seal(v, a, s, &t);
		else if (!seal && hh_vault_is_sealed(s))
			rc = hh_vault_open(v, a, s, &t);
		else
			return HH_OK;
		if (rc == HH_OK) {
			json_string_set(j, t);
			(*changed)++;
		}
	} else if (json_is_object(j)) {
		const char *k;
		json_t *val;
		json_object_foreach(j, k, val)
		{
			if ((rc = walk(v, a, val, seal, changed)) != HH_OK)
				break;
		}
	} else if (json_is_array(j)) {
		for (size_t i = 0; rc == HH_OK && i < json_array_size(j); i++)
			rc = walk(v, a, json_array_get(j, i), seal, changed);
	}
	return rc;
}

static enum hh_rc transform(const struct hh_vault *v, struct hh_arena *a,
			    const char *data, int seal, const char **out)
{
	*out = data;
	if (!data || !(seal ? may_need_sealing(data) : strstr(data, "\"" PREFIX) != NULL))
		return HH_OK;
	json_error_t e;
	json_t *j = json_loads(data, JSON_DECODE_ANY, &e);
	if (!j)
		return HH_ERR_INVALID; /* never stored by us: say so, not leak */
	int changed = 0;
	enum hh_rc rc = walk(v, a, j, seal, &changed);
	if (rc == HH_OK && changed) {
		/* the order of the keys as they came (the domain writes them
		 * sorted), so an opened row reads as it was written */
		char *s = json_dumps(j, JSON_COMPACT | JSON_ENCODE_ANY);
		*out = hh_arena_strdup(a, s);
		free(s);
	}
	json_decref(j);
	return rc;
}

enum hh_rc hh_vault_seal_data(const struct hh_vault *v, struct hh_arena *a,
			      const char *data, const char **out)
{
	return transform(v, a, data, 1, out);
}

enum hh_rc hh_vault_open_data(const struct hh_vault *v, struct hh_arena *a,
			      const char *data, const char **out)
{
	return transform(v, a, data, 0, out);
}
