/* vault_int.h - private to vault.c and vaultstore.c: the keys a vault
 * holds and what rotation does to the key file. */
#ifndef HH_DOMAIN_VAULT_INT_H
#define HH_DOMAIN_VAULT_INT_H

#include "domain/vault.h"

#define HH_VAULT_ID_MAX 16

struct hh_vault_key {
	char id[HH_VAULT_ID_MAX + 1];
	unsigned char key[32];
};

/* Loaded once and then only read, so threads share it without a lock;
 * only hh_vault_rotate (a command of its own) changes it. */
struct hh_vault {
	char *path;
	struct hh_vault_key seal[HH_VAULT_KEYS_MAX], hash[HH_VAULT_KEYS_MAX];
	int n_seal, n_hash;
	int cur_seal, cur_hash; /* index of the current key of each kind */
};

/* Adds a new random key of a kind (seal or hash) and makes it current;
 * CONFLICT when the file holds HH_VAULT_KEYS_MAX of them. */
enum hh_rc hh_vault_new_key(struct hh_vault *v, int seal);
/* Writes the key file (atomically: a new file renamed over the old);
 * must_be_new: CONFLICT if it exists. */
enum hh_rc hh_vault_save(const struct hh_vault *v, int must_be_new, char *err,
			 size_t errsz);
/* Forgets every key but the current ones. */
void hh_vault_drop_old(struct hh_vault *v);

#endif
