/* test_memo.c - letters as MeMo 1.1 messages: each validates against the
 * MeMo 1.1 schema (tests/memo/schema-1.1, with xmllint), carries the PDF
 * byte for byte, escapes what it must, and a message with a missing,
 * malformed or too long field is refused with nothing written. The
 * validator itself is shown to reject a broken message. */
#include "testutil.h"

#include <sodium.h>

#include "render/letter.h"
#include "render/memo.h"

#define SCHEMA "tests/memo/schema-1.1/MeMo_core.xsd"

struct fx {
	char *dir;
	struct hh_buf pdf;
};

static int setup(void **state)
{
	struct fx *f = hh_xcalloc(1, sizeof(*f));
	f->dir = tu_tmpdir();
	hh_buf_init(&f->pdf);
	struct hh_letter_doc d = {
		.sender = "Åstrup Kommune",
		.recipient = "Bo Ørum\nEngvej 3\n4991 Åstrup",
		.date = "4. december 2026",
		.title = "Afgørelse om hjælpemidler",
		.body = "Du får bevilget en rollator.",
	};
	assert_int_equal(hh_letter_pdf(&d, &f->pdf, NULL), HH_OK);
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct fx *f = *state;
	hh_buf_clear(&f->pdf);
	tu_rmdir(f->dir);
	free(f);
	return 0;
}

static struct hh_memo message(const struct fx *f, const char *uuid)
{
	return (struct hh_memo){
		.message_uuid = uuid,
		.message_id = "helhed-902-brev-17",
		.label = "Afgørelse om hjælpemidler & <rollator>",
		.reply = 1,
		.legal_notification = 1,
		.sender_cvr = "29189765",
		.sender_label = "Åstrup Kommune",
		.contact_point = "borgerservice",
		.recipient_type = "CPR",
		.recipient_id = "0101904321",
		.recipient_label = "Bo Ørum",
		.case_id = "27.24.00-G01-4-26",
		.case_system = "helhed",
		.kle = "27.24.00",
		.kle_label = "Hjælpemidler",
		.created_at = 1796380800,
		.filename = "afgoerelse.pdf",
		.pdf = f->pdf.data,
		.pdf_len = f->pdf.len,
	};
}

/* xmllint's exit status validating the file at path against the schema. */
static int validate(const char *path)
{
	char cmd[4400];
	snprintf(cmd, sizeof(cmd),
		 "xmllint --noout --schema " SCHEMA " '%s' 2>/dev/null", path);
	int st = system(cmd);
	assert_true(st != -1 && WIFEXITED(st));
	return WEXITSTATUS(st);
}

static char *write_file(const struct fx *f, const char *name, const char *text)
{
	char *path = hh_xmalloc(4200);
	snprintf(path, 4200, "%s/%s", f->dir, name);
	tu_write(path, text);
	return path;
}

static void test_valid_and_carries_the_pdf(void **state)
{
	struct fx *f = *state;
	char uuid[HH_UUID_SIZE];
	hh_uuid4(uuid);
	struct hh_memo m = message(f, uuid);
	struct hh_buf xml;
	hh_buf_init(&xml);
	assert_int_equal(hh_memo_xml(&m, &xml, NULL), HH_OK);
	char *path = write_file(f, "besked.xml", hh_buf_str(&xml));
	assert_int_equal(validate(path), 0);
	/* the escaped title, the ids and the reference are there */
	const char *s = hh_buf_str(&xml);
	tu_expect_in(s, "<memo:label>Afgørelse om hjælpemidler &amp; "
			"&lt;rollator&gt;</memo:label>");
	tu_expect_in(s, "<memo:messageUUID>");
	tu_expect_in(s, uuid);
	tu_expect_in(s, "<memo:recipientID>0101904321</memo:recipientID>");
	tu_expect_in(s, "<memo:caseID>27.24.00-G01-4-26</memo:caseID>");
	tu_expect_in(s, "<kle:subjectKey>27.24.00</kle:subjectKey>");
	tu_expect_in(s, "<memo:reply>true</memo:reply>");
	tu_expect_in(s, "<memo:createdDateTime>2026-12-04T");
	/* the PDF, base64, decodes to the same bytes */
	const char *b64 = strstr(s, "<memo:content>") + strlen("<memo:content>");
	const char *end = strstr(b64, "</memo:content>");
	unsigned char *bin = hh_xmalloc(f->pdf.len + 16);
	size_t bin_len = 0;
	assert_int_equal(sodium_base642bin(bin, f->pdf.len + 16, b64,
					   (size_t)(end - b64), NULL, &bin_len,
					   NULL, sodium_base64_VARIANT_ORIGINAL),
			 0);
	assert_int_equal(bin_len, f->pdf.len);
	assert_memory_equal(bin, f->pdf.data, bin_len);
	free(bin);
	free(path);

	/* the least a message needs validates too */
	m = message(f, uuid);
	m.message_id = m.contact_point = m.recipient_label = NULL;
	m.case_id = m.case_system = m.kle = m.kle_label = NULL;
	m.recipient_type = "CVR";
	m.recipient_id = "12345678";
	hh_buf_reset(&xml);
	assert_int_equal(hh_memo_xml(&m, &xml, NULL), HH_OK);
	path = write_file(f, "kort.xml", hh_buf_str(&xml));
	assert_int_equal(validate(path), 0);
	free(path);

	/* and the validator is no rubber stamp: without its label the
	 * message is refused */
	char *broken = hh_xstrdup(hh_buf_str(&xml));
	char *lab = strstr(broken, "\t\t<memo:label>");
	char *lab_end = strstr(lab, "</memo:label>\n") + strlen("</memo:label>\n");
	memmove(lab, lab_end, strlen(lab_end) + 1);
	path = write_file(f, "uden-titel.xml", broken);
	assert_int_not_equal(validate(path), 0);
	free(path);
	free(broken);
	hh_buf_clear(&xml);
}

static void test_refused(void **state)
{
	struct fx *f = *state;
	char uuid[HH_UUID_SIZE];
	hh_uuid4(uuid);
	char long_label[300];
	memset(long_label, 'a', 257);
	long_label[257] = 0;
	struct {
		const char *field;
		struct hh_memo m;
	} cases[8];
	for (int i = 0; i < 8; i++)
		cases[i].m = message(f, uuid);
	cases[0].field = "message_uuid";
	cases[0].m.message_uuid = "78212f5c-6d79-1012-8ed1-e2420243bd17";
	cases[1].field = "label";
	cases[1].m.label = long_label;
	cases[2].field = "recipient_id";
	cases[2].m.recipient_id = "010190432"; /* nine digits */
	cases[3].field = "recipient_id";
	cases[3].m.recipient_type = "CVR"; /* a CPR number as a CVR */
	cases[4].field = "sender_cvr";
	cases[4].m.sender_cvr = "2918976X";
	cases[5].field = "kle";
	cases[5].m.kle_label = NULL;
	cases[6].field = "pdf";
	cases[6].m.pdf_len = 0;
	cases[7].field = "label";
	cases[7].m.label = "\xc3\x28"; /* broken UTF-8 */
	struct hh_buf xml;
	hh_buf_init(&xml);
	hh_buf_puts(&xml, "x");
	for (int i = 0; i < 8; i++) {
		const char *field = NULL;
		assert_int_equal(hh_memo_xml(&cases[i].m, &xml, &field),
				 HH_ERR_INVALID);
		assert_non_null(field);
		assert_string_equal(field, cases[i].field);
	}
	assert_string_equal(hh_buf_str(&xml), "x");
	/* 256 characters (not bytes) is the limit: 256 × "ø" is fine */
	struct hh_buf l;
	hh_buf_init(&l);
	for (int i = 0; i < 256; i++)
		hh_buf_puts(&l, "ø");
	struct hh_memo m = message(f, uuid);
	m.label = hh_buf_str(&l);
	assert_int_equal(hh_memo_xml(&m, &xml, NULL), HH_OK);
	hh_buf_clear(&l);
	hh_buf_clear(&xml);
}

static void test_uuids(void **state)
{
	(void)state;
	enum { N = 2000 };
	char (*u)[HH_UUID_SIZE] = hh_xmalloc(N * sizeof(*u));
	for (int i = 0; i < N; i++) {
		hh_uuid4(u[i]);
		assert_int_equal(strlen(u[i]), 36);
		assert_int_equal(u[i][14], '4');
		assert_non_null(strchr("89ab", u[i][19]));
		for (int j = 0; j < i; j++)
			assert_string_not_equal(u[i], u[j]);
	}
	free(u);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_valid_and_carries_the_pdf,
						setup, teardown),
		cmocka_unit_test_setup_teardown(test_refused, setup, teardown),
		cmocka_unit_test(test_uuids),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
