/* vault.h - CPR numbers at rest: sealed under a secret key, found by a
 * keyed hash.
 *
 * The store never holds a CPR number in clear. The domain seals each one
 * (libsodium crypto_secretbox: XSalsa20-Poly1305, a random nonce each
 * time) before it is written and opens it after it is read, so api/ and
 * pages/ see the same strings as before. The sealed form names its key:
 *
 *     v1:KEYID:BASE64URL(nonce || ciphertext)
 *
 * What is sealed: a citizen's CPR number (citizens.cpr), and in a case's
 * form values (cases.data) every string that is a CPR number in any
 * written form hh_cpr_check() reads (DDMMYYSSSS, DDMMYY-SSSS, with
 * spaces), which covers every field of type cpr and the same number typed
 * into a text field, and every string that holds one among other words
 * ("mit CPR er 010203-1234": the whole text is sealed). A string that
 * already starts with "v1:" is sealed as well, so that in the store only
 * genuine sealed values have that form. Opening gives back exactly the
 * string that was sealed, so whoever reads through the domain sees no
 * difference.
 * A citizen's CPR number also gets a keyed hash (crypto_generichash,
 * BLAKE2b under a second key) of its 10 digits, so that a citizen can be
 * found by CPR number without opening every row.
 *
 * The keys live in a key file (hh_vault_load), never in the database:
 *
 *     # comment
 *     seal KEYID BASE64KEY [current]
 *     hash KEYID BASE64KEY [current]
 *
 * one current key of each kind; other keys are old ones, still read
 * while a rotation (hh_vault_rotate) re-seals the rows under them. The
 * file must be readable by its owner only (mode 0600 or stricter).
 *
 * How it reaches every read and write: hh_vault_attach() wraps the
 * store's citizen and case functions (a shim, like an SQLite VFS shim),
 * so that no domain path can forget to seal; the store itself only keeps
 * strings. Each row names the key it is sealed under (cpr_key, seal_key;
 * NULL for rows stored before sealing), so sealing old rows and rotating
 * keys go a batch at a time and resume where they stopped. */
#ifndef HH_DOMAIN_VAULT_H
#define HH_DOMAIN_VAULT_H

#include <stddef.h>

#include "core/arena.h"
#include "core/rc.h"
#include "store/store.h"

struct hh_vault;

#define HH_VAULT_KEYS_MAX 8  /* keys of each kind in one key file */
#define HH_VAULT_BATCH 500   /* rows per transaction when re-sealing */

/* ---- keys ------------------------------------------------------------ */

/* Loads the key file at path. *out is new (hh_vault_free). NOT_FOUND when
 * there is no file, FORBIDDEN when its group or others may access it,
 * INVALID when it is not a key file (err gets why, in English). */
enum hh_rc hh_vault_load(const char *path, struct hh_vault **out, char *err,
			 size_t errsz);
/* Makes new keys and writes them to a new key file at path (mode 0600).
 * *out is new. CONFLICT when the file exists, IO when it cannot write. */
enum hh_rc hh_vault_create(const char *path, struct hh_vault **out, char *err,
			   size_t errsz);
void hh_vault_free(struct hh_vault *v);

/* The key file's path and the ids of the current keys (borrowed). */
const char *hh_vault_path(const struct hh_vault *v);
const char *hh_vault_seal_id(const struct hh_vault *v);
const char *hh_vault_hash_id(const struct hh_vault *v);

/* Seals plain under the current key; *out is in a. */
enum hh_rc hh_vault_seal(const struct hh_vault *v, struct hh_arena *a,
			 const char *plain, const char **out);
/* Opens a sealed value with whichever known key it names; *out is in a.
 * NOT_FOUND when the key is not in the key file, INVALID when the value
 * is not one sealed by that key (a wrong key, or tampered with). */
enum hh_rc hh_vault_open(const struct hh_vault *v, struct hh_arena *a,
			 const char *sealed, const char **out);
/* 1 when s has the sealed form's prefix. */
int hh_vault_is_sealed(const char *s);
/* 1 when text s is a CPR number or holds one among other words: what
 * the vault seals in a case's data (r-agree: for text that must not
 * hold one at all, an agreement's). */
int hh_vault_holds_cpr(const char *s);
/* The keyed hash of CPR number cpr's 10 digits under hash key i (0: the
 * current one, then the others). NOT_FOUND when cpr is no CPR number or
 * there is no key i. */
enum hh_rc hh_vault_cpr_hash(const struct hh_vault *v, int i, const char *cpr,
			     unsigned char out[32]);

/* The keyed hash of a sign-in's account name (already lower-cased)
 * under the current hash key, apart from CPR hashes by a label: the key
 * of its row of failed sign-ins (domain/auth.c), the same on every
 * instance that has the same key file. v NULL (a store without a key
 * file: tests and tools; `serve` always has one) hashes without a key. */
void hh_vault_account_hash(const struct hh_vault *v, const char *account,
			   unsigned char out[32]);

/* A case's form values (JSON text) with every CPR number sealed, or
 * opened; *out is data itself when nothing changes, else in a. */
enum hh_rc hh_vault_seal_data(const struct hh_vault *v, struct hh_arena *a,
			      const char *data, const char **out);
enum hh_rc hh_vault_open_data(const struct hh_vault *v, struct hh_arena *a,
			      const char *data, const char **out);

/* ---- with a store ---------------------------------------------------- */

/* Wraps st's citizen and case functions so that CPR numbers are sealed
 * on every write and opened on every read. st takes v over (freed by
 * hh_store_close). CONFLICT when st already has a vault. */
enum hh_rc hh_vault_attach(struct hh_store *st, struct hh_vault *v);
/* For a domain write that seals outside the shim (x-ext: external cases,
 * domain/external.c), in its write transaction: OK when the vault
 * attached to tx's store holds the key the store notes as current (see
 * hh_vault_rotate), INTERNAL (logged) when not or when there is none. */
enum hh_rc hh_vault_keys_current(struct hh_tx *tx, struct hh_arena *a);
/* The vault attached to st (borrowed), or NULL. */
struct hh_vault *hh_vault_of(struct hh_store *st);

/* What every command does right after migrating: loads the key file
 * (key_file, or when NULL the file beside the database, db_path +
 * ".keys"), attaches it and seals the rows not yet sealed under its
 * current keys (rows stored before migration 0007, or left by an
 * interrupted rotation). When the key file is missing and the store holds
 * no sealed CPR number, a new one is created (mode 0600) and logged;
 * when it is missing but CPR numbers are sealed, or it lacks the keys
 * the store names, nothing is attached and err says why. */
enum hh_rc hh_vault_start(struct hh_store *st, const char *key_file,
			  const char *db_path, char *err, size_t errsz);

struct hh_vault_progress {
	int64_t citizens, cases; /* rows sealed anew */
	int64_t external;        /* x-ext: external cases sealed anew */
	int64_t webhooks;        /* hooks-rotate: webhook secrets sealed anew */
	int64_t parties;         /* p-parties: the parties' CPR numbers */
	int batches;
	int done;                /* 1: no row is left under another key */
};

/* Seals, batch rows per write transaction, every row of st not sealed
 * under the current keys of its vault (after opening it with the key it
 * names). Stops after max_batches transactions (0: when none is left);
 * what a stop or a crash leaves is sealed under the old key or the new,
 * each row naming its own, and the next call goes on. */
enum hh_rc hh_vault_reseal(struct hh_store *st, int batch, int max_batches,
			   struct hh_vault_progress *p);

struct hh_vault_rotation {
	int started;   /* 1: new keys were made; 0: an earlier rotation resumed */
	char seal_id[20], hash_id[20]; /* the new current keys */
	struct hh_vault_progress p;
	int dropped;   /* old keys removed from the key file */
};

/* Rotates the keys of st's vault: unless an earlier rotation is not
 * finished (the key file still holds old keys), makes a new seal key and
 * a new hash key current and saves the key file (the old keys kept);
 * re-seals and re-hashes every row under them (hh_vault_reseal, at most
 * max_batches, 0: all); when no row names an old key any more, drops the
 * old keys from the key file. Run it while no server writes to the
 * database: a server keeps sealing with the key it started with, and
 * once the rotation has finished it refuses such writes (the shim
 * checks, in each sealing write transaction, that it holds the key the
 * store notes as current) until it is restarted.
 * CONFLICT (err says which) when rows still name an old key after the
 * sweep. */
enum hh_rc hh_vault_rotate(struct hh_store *st, int batch, int max_batches,
			   struct hh_vault_rotation *r, char *err,
			   size_t errsz);

/* The citizen with CPR number cpr (any written form), found by its keyed
 * hash under each known hash key; NOT_FOUND when none. For the domain's
 * own use (matching an identity provider's CPR claim): no access rule. */
enum hh_rc hh_vault_citizen_by_cpr(struct hh_store *st, struct hh_arena *a,
				   const char *cpr, struct hh_citizen *out);

#endif
