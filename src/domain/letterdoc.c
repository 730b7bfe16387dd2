/* letterdoc.c - a letter as it is printed (see letterdoc.h). */
#include "domain/letterdoc.h"

#include <string.h>

#include "core/buf.h"
#include "core/dktime.h"
#include "core/util.h"
#include "domain/contact.h"

static int blank(const char *s)
{
	return !s || !*s;
}

int hh_citizen_has_address(const struct hh_citizen *c)
{
	return c && !blank(c->address) && !blank(c->postcode) && !blank(c->city);
}

/* "Vejnavn 1\n4100 Nordskov\nTlf. 72 10 00 00\n..." */
static const char *sender_lines(struct hh_arena *a, const struct hh_org_contact *k)
{
	struct hh_buf b;
	hh_buf_init(&b);
	if (!blank(k->address))
		hh_buf_printf(&b, "%s\n", k->address);
	if (!blank(k->postcode) || !blank(k->city))
		hh_buf_printf(&b, "%s %s\n", k->postcode ? k->postcode : "",
			      k->city ? k->city : "");
	if (!blank(k->phone))
		hh_buf_printf(&b, "Tlf. %s\n", k->phone);
	if (!blank(k->email))
		hh_buf_printf(&b, "%s\n", k->email);
	if (!blank(k->web))
		hh_buf_printf(&b, "%s\n", k->web);
	if (b.len && b.data[b.len - 1] == '\n')
		b.len--;
	const char *s = b.len ? hh_arena_strndup(a, b.data, b.len) : NULL;
	hh_buf_clear(&b);
	return s;
}

static const char *recipient_block(struct hh_arena *a, const struct hh_citizen *c)
{
	if (!hh_citizen_has_address(c))
		return hh_arena_strdup(a, c->name);
	return hh_arena_printf(a, "%s\n%s\n%s %s", c->name, c->address,
			       c->postcode, c->city);
}

enum hh_rc hh_letter_doc_build(struct hh_tx *tx, struct hh_arena *a,
			       const struct hh_letter *l, int64_t date,
			       struct hh_letter_doc *doc)
{
	memset(doc, 0, sizeof(*doc));
	struct hh_org org;
	enum hh_rc rc = tx->store->org_get(tx, a, l->org_id, &org);
	if (rc != HH_OK)
		return rc;
	doc->sender = org.name;
	struct hh_org_contact k = { 0 };
	rc = hh_org_contact_get_tx(tx, a, l->org_id, &k);
	if (rc == HH_OK)
		doc->sender_lines = sender_lines(a, &k);
	else if (rc != HH_ERR_NOT_FOUND)
		return rc;

	if (l->citizen_id) {
		struct hh_citizen c;
		rc = tx->store->citizen_get(tx, a, l->citizen_id, &c);
		if (rc != HH_OK)
			return rc;
		/* name and address protection (p-letters): a protected
		 * citizen's address is printed on no letter, not even their
		 * own (its PDF is read by staff, the print batch, the
		 * inbox); such letters go by Digital Post only
		 * (domain/messages.c, docs/parties.md) */
		int protected = 0;
		rc = tx->store->citizen_protected_get(tx, l->citizen_id, &protected);
		if (rc != HH_OK)
			return rc;
		doc->recipient = protected ? hh_arena_strdup(a, c.name)
					   : recipient_block(a, &c);
	} else {
		/* a letter always has a recipient; one without a citizen is
		   a draft the domain refuses to send */
		doc->recipient = "";
	}

	if (!date)
		date = l->sent_at ? l->sent_at : hh_now_us() / 1000000;
	doc->date = hh_date_da(a, date);
	doc->created_at = date;
	if (l->case_journal_no)
		doc->reference = hh_arena_printf(a, "Sagsnr. %s", l->case_journal_no);
	else if (l->case_id)
		doc->reference = hh_arena_printf(a, "Sagsnr. %lld",
						 (long long)l->case_id);
	doc->title = l->title;
	doc->body = l->body;

	const char *author = l->author_name;
	if (!author && l->author_id) {
		struct hh_user u;
		rc = tx->store->user_get(tx, a, l->author_id, &u);
		if (rc == HH_OK)
			author = u.name;
		else if (rc != HH_ERR_NOT_FOUND)
			return rc;
	}
	doc->closing = author ? hh_arena_printf(a, "Med venlig hilsen\n\n%s\n%s",
						author, org.name)
			      : hh_arena_printf(a, "Med venlig hilsen\n\n%s", org.name);
	return HH_OK;
}
