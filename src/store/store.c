/* store.c - what every store backend shares: closing and the transaction
 * runner that retries BUSY. */
#include "store/store.h"

#include <time.h>

void hh_store_close(struct hh_store *s)
{
	if (s)
		s->close(s->cls);
}

enum hh_rc hh_store_run_tx(struct hh_store *s, int write, hh_tx_fn fn,
			   void *ctx)
{
	enum hh_rc rc = HH_ERR_BUSY;
	for (int attempt = 0; attempt < 8; attempt++) {
		if (attempt > 0) {
			/* 1, 2, 4 ... 64 ms: enough for a checkpoint or a
			 * competing writer to finish. */
			struct timespec ts = { 0, (1L << (attempt - 1)) * 1000000L };
			nanosleep(&ts, NULL);
		}
		struct hh_tx *tx;
		rc = s->tx_begin(s->cls, write, &tx);
		if (rc == HH_ERR_BUSY)
			continue;
		if (rc != HH_OK)
			return rc;
		rc = fn(tx, ctx);
		if (rc != HH_OK) {
			s->tx_rollback(tx);
			if (rc == HH_ERR_BUSY)
				continue;
			return rc;
		}
		rc = s->tx_commit(tx);
		if (rc != HH_ERR_BUSY)
			return rc;
	}
	return rc;
}
