/* memo.c - a letter as a MeMo 1.1 message (see memo.h). */
#include "render/memo.h"

#include <sodium.h>
#include <string.h>
#include <time.h>

#include "core/util.h"
#include "core/xml.h"

#define TEXT_MAX 256 /* memoTextType's maxLength, in characters */

void hh_uuid4(char out[HH_UUID_SIZE])
{
	unsigned char r[16];
	randombytes_buf(r, sizeof(r));
	r[6] = (unsigned char)((r[6] & 0x0f) | 0x40); /* version 4 */
	r[8] = (unsigned char)((r[8] & 0x3f) | 0x80); /* RFC 4122 variant */
	static const char hex[] = "0123456789abcdef";
	int o = 0;
	for (int i = 0; i < 16; i++) {
		if (i == 4 || i == 6 || i == 8 || i == 10)
			out[o++] = '-';
		out[o++] = hex[r[i] >> 4];
		out[o++] = hex[r[i] & 15];
	}
	out[o] = 0;
}

static int digits(const char *s, size_t n)
{
	if (!s || strlen(s) != n)
		return 0;
	for (size_t i = 0; i < n; i++)
		if (s[i] < '0' || s[i] > '9')
			return 0;
	return 1;
}

static int uuid4_ok(const char *s)
{
	if (!s || strlen(s) != 36)
		return 0;
	for (int i = 0; i < 36; i++) {
		char c = s[i];
		int hex = (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') ||
			  (c >= 'A' && c <= 'F');
		if (i == 8 || i == 13 || i == 18 || i == 23) {
			if (c != '-')
				return 0;
		} else if (!hex) {
			return 0;
		}
	}
	return s[14] == '4' && strchr("89abAB", s[19]) != NULL;
}

/* A text field: optional (NULL) or 1 to 256 characters of valid UTF-8. */
static int text_ok(const char *s, int required)
{
	if (!s)
		return !required;
	size_t n = strlen(s);
	return n && hh_utf8_valid(s, n) && hh_utf8_len(s) <= TEXT_MAX;
}

static void el(struct hh_buf *b, int depth, const char *name, const char *text)
{
	if (!text)
		return;
	for (int i = 0; i < depth; i++)
		hh_buf_putc(b, '\t');
	hh_buf_printf(b, "<%s>", name);
	hh_xml_text(b, text);
	hh_buf_printf(b, "</%s>\n", name);
}

static void open_el(struct hh_buf *b, int depth, const char *name)
{
	for (int i = 0; i < depth; i++)
		hh_buf_putc(b, '\t');
	hh_buf_printf(b, "<%s>\n", name);
}

static void close_el(struct hh_buf *b, int depth, const char *name)
{
	for (int i = 0; i < depth; i++)
		hh_buf_putc(b, '\t');
	hh_buf_printf(b, "</%s>\n", name);
}

/* The UTC time t as MeMo writes it ("2026-12-04T21:05:00Z"). */
static void utc(int64_t t, char out[32])
{
	time_t tt = (time_t)t;
	struct tm tm;
	gmtime_r(&tt, &tm);
	strftime(out, 32, "%Y-%m-%dT%H:%M:%SZ", &tm);
}

static const char *check(const struct hh_memo *m)
{
	if (!uuid4_ok(m->message_uuid))
		return "message_uuid";
	if (!text_ok(m->message_id, 0))
		return "message_id";
	if (!text_ok(m->label, 1))
		return "label";
	if (!digits(m->sender_cvr, 8))
		return "sender_cvr";
	if (!text_ok(m->sender_label, 1))
		return "sender_label";
	if (!text_ok(m->contact_point, 0))
		return "contact_point";
	if (!m->recipient_type ||
	    !((!strcmp(m->recipient_type, "CPR") && digits(m->recipient_id, 10)) ||
	      (!strcmp(m->recipient_type, "CVR") && digits(m->recipient_id, 8))))
		return "recipient_id";
	if (!text_ok(m->recipient_label, 0))
		return "recipient_label";
	if (!text_ok(m->case_id, 0) || (m->case_id && !text_ok(m->case_system, 1)))
		return "case_id";
	if (!text_ok(m->kle, 0) || (m->kle && !text_ok(m->kle_label, 1)))
		return "kle";
	if (!text_ok(m->filename, 1))
		return "filename";
	if (!m->pdf || !m->pdf_len)
		return "pdf";
	return NULL;
}

enum hh_rc hh_memo_xml(const struct hh_memo *m, struct hh_buf *out,
		       const char **field)
{
	const char *bad = check(m);
	if (field)
		*field = bad;
	if (bad)
		return HH_ERR_INVALID;
	struct hh_buf *b = out;
	hh_buf_puts(b, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
		       "<memo:Message xmlns:memo=\"https://DigitalPost.dk/MeMo-1\" "
		       "xmlns:grd=\"https://data.gov.dk/model/core/\" "
		       "xmlns:kle=\"http://kle-online.dk/\" "
		       "memoVersion=\"1.1\" memoSchVersion=\"1.1.0\">\n");
	open_el(b, 1, "memo:MessageHeader");
	el(b, 2, "memo:messageType", "DIGITALPOST");
	el(b, 2, "memo:messageUUID", m->message_uuid);
	el(b, 2, "memo:messageID", m->message_id);
	el(b, 2, "memo:label", m->label);
	el(b, 2, "memo:reply", m->reply ? "true" : "false");
	el(b, 2, "memo:mandatory", m->mandatory ? "true" : "false");
	el(b, 2, "memo:legalNotification",
	   m->legal_notification ? "true" : "false");
	open_el(b, 2, "memo:Sender");
	el(b, 3, "memo:senderID", m->sender_cvr);
	el(b, 3, "memo:idType", "CVR");
	el(b, 3, "memo:label", m->sender_label);
	if (m->contact_point) {
		open_el(b, 3, "memo:ContactPoint");
		el(b, 4, "memo:contactPointID", m->contact_point);
		close_el(b, 3, "memo:ContactPoint");
	}
	close_el(b, 2, "memo:Sender");
	open_el(b, 2, "memo:Recipient");
	el(b, 3, "memo:recipientID", m->recipient_id);
	el(b, 3, "memo:idType", m->recipient_type);
	el(b, 3, "memo:label", m->recipient_label);
	close_el(b, 2, "memo:Recipient");
	if (m->case_id || m->kle) {
		open_el(b, 2, "memo:ContentData");
		if (m->case_id) {
			open_el(b, 3, "memo:CaseID");
			el(b, 4, "memo:caseID", m->case_id);
			el(b, 4, "memo:caseSystem", m->case_system);
			close_el(b, 3, "memo:CaseID");
		}
		if (m->kle) {
			open_el(b, 3, "kle:KLEdata");
			el(b, 4, "kle:subjectKey", m->kle);
			el(b, 4, "kle:version", "1");
			el(b, 4, "kle:label", m->kle_label);
			close_el(b, 3, "kle:KLEdata");
		}
		close_el(b, 2, "memo:ContentData");
	}
	close_el(b, 1, "memo:MessageHeader");
	open_el(b, 1, "memo:MessageBody");
	char when[32];
	utc(m->created_at ? m->created_at : hh_now_us() / 1000000, when);
	el(b, 2, "memo:createdDateTime", when);
	open_el(b, 2, "memo:MainDocument");
	el(b, 3, "memo:label", m->label);
	open_el(b, 3, "memo:File");
	el(b, 4, "memo:encodingFormat", "application/pdf");
	el(b, 4, "memo:filename", m->filename);
	el(b, 4, "memo:language", "da");
	hh_buf_puts(b, "\t\t\t\t<memo:content>");
	size_t len = sodium_base64_ENCODED_LEN(m->pdf_len,
					       sodium_base64_VARIANT_ORIGINAL);
	hh_buf_reserve(b, len + 64);
	sodium_bin2base64(b->data + b->len, len, m->pdf, m->pdf_len,
			  sodium_base64_VARIANT_ORIGINAL);
	b->len += len - 1; /* without its NUL */
	hh_buf_puts(b, "</memo:content>\n");
	close_el(b, 3, "memo:File");
	close_el(b, 2, "memo:MainDocument");
	close_el(b, 1, "memo:MessageBody");
	hh_buf_puts(b, "</memo:Message>\n");
	return HH_OK;
}
