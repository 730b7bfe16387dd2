/* test_markdown.c - Markdown rendering: structure renders, raw HTML and
 * unsafe links never reach the page. */
#include "testutil.h"

#include "domain/markdown.h"

/* Renders md and checks the whole output. */
static void expect_html(const char *md, const char *html)
{
	char *out = hh_markdown_html(md, strlen(md));
	assert_non_null(out);
	if (strcmp(out, html) != 0)
		fail_msg("markdown %s\nwant: %s\ngot:  %s", md, html, out);
	free(out);
}

/* Renders md; the output must contain each of want and none of refuse. */
static void expect_parts(const char *md, const char *const *want,
			 const char *const *refuse)
{
	char *out = hh_markdown_html(md, strlen(md));
	assert_non_null(out);
	for (int i = 0; want && want[i]; i++)
		if (!strstr(out, want[i]))
			fail_msg("markdown %s\nmissing: %s\ngot: %s", md, want[i],
				 out);
	for (int i = 0; refuse && refuse[i]; i++)
		if (strstr(out, refuse[i]))
			fail_msg("markdown %s\nmust not contain: %s\ngot: %s",
				 md, refuse[i], out);
	free(out);
}

static void headings(void **state)
{
	(void)state;
	expect_html("# Flytning\n\n## Før du flytter *nu*\n",
		    "<h1>Flytning</h1>\n<h2>Før du flytter <em>nu</em></h2>\n");
	expect_html("Titel\n=====\n", "<h1>Titel</h1>\n");
	expect_html("###### sjette", "<h6>sjette</h6>\n");
}

static void lists(void **state)
{
	(void)state;
	expect_html("- a\n- b\n",
		    "<ul>\n<li>a</li>\n<li>b</li>\n</ul>\n");
	expect_html("1. første\n2. anden\n",
		    "<ol>\n<li>første</li>\n<li>anden</li>\n</ol>\n");
	expect_html("3. x\n", "<ol start=\"3\">\n<li>x</li>\n</ol>\n");
}

static void links(void **state)
{
	(void)state;
	expect_html("[borger.dk](https://www.borger.dk/a?b=1&c=2 \"Borger\")",
		    "<p><a href=\"https://www.borger.dk/a?b=1&amp;c=2\" "
		    "title=\"Borger\">borger.dk</a></p>\n");
	expect_html("<https://example.dk>",
		    "<p><a href=\"https://example.dk\">https://example.dk</a>"
		    "</p>\n");
	expect_html("[mail](mailto:a@b.dk)",
		    "<p><a href=\"mailto:a@b.dk\">mail</a></p>\n");
	/* relative links to other articles */
	expect_html("[se også](/artikel/flytning)",
		    "<p><a href=\"/artikel/flytning\">se også</a></p>\n");
}

static void emphasis_and_code(void **state)
{
	(void)state;
	expect_html("**fed** og *kursiv* og `kode`",
		    "<p><strong>fed</strong> og <em>kursiv</em> og "
		    "<code>kode</code></p>\n");
	expect_html("    <b>indrykket</b>\n",
		    "<pre><code>&lt;b&gt;indrykket&lt;/b&gt;\n</code></pre>\n");
}

static void inline_html_is_text(void **state)
{
	(void)state;
	expect_html("a <b>fed</b> b",
		    "<p>a &lt;b&gt;fed&lt;/b&gt; b</p>\n");
	expect_html("x <script>alert(1)</script> y",
		    "<p>x &lt;script&gt;alert(1)&lt;/script&gt; y</p>\n");
	expect_html("<img src=x onerror=alert(1)> tekst",
		    "<p>&lt;img src=x onerror=alert(1)&gt; tekst</p>\n");
	expect_html("<!-- kommentar --> og <?php x ?>",
		    "<p>&lt;!-- kommentar --&gt; og &lt;?php x ?&gt;</p>\n");
	static const char *const no[] = { "<b>", "<script", "<img", "<!--",
					  NULL };
	expect_parts("<b>a</b> <script>b</script> <img src=x> <!-- c -->",
		     NULL, no);
}

static void html_blocks_are_text(void **state)
{
	(void)state;
	expect_html("<div onclick=\"x()\">\nhej\n</div>\n",
		    "<p>&lt;div onclick=&quot;x()&quot;&gt;\nhej\n&lt;/div&gt;"
		    "</p>\n");
	expect_html("<script>\nalert(1)\n</script>\n",
		    "<p>&lt;script&gt;\nalert(1)\n&lt;/script&gt;</p>\n");
	/* a block between paragraphs stays in its place */
	expect_html("før\n\n<iframe src=\"https://evil\"></iframe>\n\nefter\n",
		    "<p>før</p>\n<p>&lt;iframe src=&quot;https://evil&quot;&gt;"
		    "&lt;/iframe&gt;</p>\n<p>efter</p>\n");
	static const char *const no[] = { "<div", "<style", "<table", NULL };
	expect_parts("<style>\nbody{}\n</style>\n\n<table><tr><td>x</td></tr>"
		     "</table>\n\n<div>\n\n*md*\n\n</div>\n",
		     NULL, no);
}

static void javascript_links_are_not_emitted(void **state)
{
	(void)state;
	static const char *const no[] = { "javascript:", "JAVASCRIPT:",
					  "vbscript:", "href=\"data:text",
					  NULL };
	static const char *const want[] = { "<a href=\"\">x</a>", NULL };
	expect_parts("[x](javascript:alert(1))", want, no);
	expect_parts("[x](JAVASCRIPT:alert(1))", want, no);
	expect_parts("[x](vbscript:msgbox)", want, no);
	expect_parts("[x](data:text/html;base64,PHNjcmlwdD4=)", want, no);
	/* an autolink keeps its text but not the href */
	static const char *const want2[] = { "<a href=\"\">", NULL };
	static const char *const no2[] = { "href=\"javascript", NULL };
	expect_parts("<javascript:alert(1)>", want2, no2);
	/* a reference-style link too */
	expect_parts("[x][r]\n\n[r]: javascript:alert(1)\n", want, no);
}

static void images(void **state)
{
	(void)state;
	expect_html("![Kort](https://example.dk/kort.png)",
		    "<p><img src=\"https://example.dk/kort.png\" alt=\"Kort\" "
		    "/></p>\n");
	/* a data: image is allowed */
	expect_html("![prik](data:image/png;base64,iVBORw0KGgo=)",
		    "<p><img src=\"data:image/png;base64,iVBORw0KGgo=\" "
		    "alt=\"prik\" /></p>\n");
	/* other data: types and javascript: are dropped from src */
	expect_html("![x](data:text/html;base64,PHNjcmlwdD4=)",
		    "<p><img src=\"\" alt=\"x\" /></p>\n");
	expect_html("![x](javascript:alert(1))",
		    "<p><img src=\"\" alt=\"x\" /></p>\n");
	/* the alt text cannot break out of its attribute */
	static const char *const want[] = { "alt=\"a&quot; onerror=&quot;x\"",
					    NULL };
	expect_parts("![a\" onerror=\"x](https://e.dk/i.png)", want, NULL);
}

static void empty_input(void **state)
{
	(void)state;
	expect_html("", "");
	expect_html("\n\n  \n", "");
}

/* Only len bytes are read: the rest of the buffer is ignored. */
static void length_is_respected(void **state)
{
	(void)state;
	const char *md = "# kort<b>";
	char *out = hh_markdown_html(md, 6);
	assert_string_equal(out, "<h1>kort</h1>\n");
	free(out);
}

int main(void)
{
	hh_auth_init();
	hh_log_set_level(HH_LOG_ERROR);
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(headings),
		cmocka_unit_test(lists),
		cmocka_unit_test(links),
		cmocka_unit_test(emphasis_and_code),
		cmocka_unit_test(inline_html_is_text),
		cmocka_unit_test(html_blocks_are_text),
		cmocka_unit_test(javascript_links_are_not_emitted),
		cmocka_unit_test(images),
		cmocka_unit_test(empty_input),
		cmocka_unit_test(length_is_respected),
	};
	return cmocka_run_group_tests_name("domain/markdown", tests, NULL, NULL);
}
