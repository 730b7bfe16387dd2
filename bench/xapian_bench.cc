/* xapian_bench.cc - index build time, index memory and query latency of
 * Xapian on a generated corpus, measured as search_bench.c measures helhed
 * and SQLite FTS5 (the shared code is in search_common.c).
 *
 * The database is Xapian's default backend, glass, in DB_DIR (bench/search.sh
 * puts it on tmpfs, so it lives in memory), opened with DB_NO_SYNC: the
 * in-memory backend (Xapian::InMemory) is deprecated and not what anyone
 * runs. Each article is one document; TermGenerator with the Danish
 * stemmer (STEM_SOME: stemmed and unstemmed terms) indexes title,
 * keywords, summary and body with wdf increments 8, 6, 3, 2 (helhed's field
 * weights 4, 3, 1.5, 1 in whole numbers). The document data is
 * "slug<TAB>title". Queries: QueryParser with the Danish stemmer,
 * STEM_SOME, default operator OR, FLAG_DEFAULT, on a read-only Database
 * opened after the commit; get_mset(0, 10) and each hit's data.
 *
 * Memory: the size of the database files after the commit (tmpfs: memory)
 * and the process's RSS growth during the build.
 *
 * Usage: xapian_bench CORPUS_DIR QUERIES DB_DIR
 * Prints RESULT and NOTE lines (see bench_report in search_common.h). */
#include <dirent.h>
#include <sys/stat.h>

#include <cstdio>
#include <cstdlib>
#include <string>
#include <vector>

#include <xapian.h>

#include "search_common.h"

namespace {

struct xapian_ctx {
	Xapian::Enquire *enquire;
	Xapian::QueryParser *parser;
	size_t errors;
};

int xapian_query(void *p, const char *text)
{
	xapian_ctx *c = static_cast<xapian_ctx *>(p);
	try {
		Xapian::Query q = c->parser->parse_query(
			text, Xapian::QueryParser::FLAG_DEFAULT);
		c->enquire->set_query(q);
		Xapian::MSet m = c->enquire->get_mset(0, 10);
		int n = 0;
		for (Xapian::MSetIterator i = m.begin(); i != m.end(); ++i) {
			/* fetch what a result list shows, as the others do */
			if (!i.get_document().get_data().empty())
				n++;
		}
		return n;
	} catch (const Xapian::Error &e) {
		if (!c->errors++)
			fprintf(stderr, "xapian: \"%s\": %s\n", text,
				e.get_description().c_str());
		return 0;
	}
}

/* The bytes of the files in dir (glass keeps a flat folder). */
size_t dir_bytes(const char *dir)
{
	size_t total = 0;
	DIR *d = opendir(dir);
	if (!d)
		return 0;
	struct dirent *e;
	while ((e = readdir(d))) {
		std::string path = std::string(dir) + "/" + e->d_name;
		struct stat st;
		if (e->d_name[0] != '.' && stat(path.c_str(), &st) == 0 &&
		    S_ISREG(st.st_mode))
			total += (size_t)st.st_size;
	}
	closedir(d);
	return total;
}

int run_xapian(const bench_corpus *corpus, const bench_queries *qs,
	       const char *db_dir)
{
	/* the body as helhed indexes it (without link targets), made before
	 * the clock starts, as for FTS5 */
	std::vector<std::string> bodies(corpus->n);
	for (size_t i = 0; i < corpus->n; i++) {
		char *body = bench_body_text(corpus->docs[i].body_md);
		bodies[i] = body;
		free(body);
	}
	size_t rss0 = bench_rss();
	double t0 = bench_cpu(), w0 = bench_wall();
	{
		Xapian::WritableDatabase db(db_dir,
					    Xapian::DB_CREATE_OR_OVERWRITE |
						    Xapian::DB_BACKEND_GLASS |
						    Xapian::DB_NO_SYNC);
		Xapian::TermGenerator tg;
		tg.set_stemmer(Xapian::Stem("danish"));
		tg.set_stemming_strategy(Xapian::TermGenerator::STEM_SOME);
		for (size_t i = 0; i < corpus->n; i++) {
			const bench_doc *a = &corpus->docs[i];
			Xapian::Document doc;
			tg.set_document(doc);
			tg.index_text(a->title, 8);
			tg.increase_termpos();
			tg.index_text(a->keywords, 6);
			tg.increase_termpos();
			tg.index_text(a->summary, 3);
			tg.increase_termpos();
			tg.index_text(bodies[i], 2);
			doc.set_data(std::string(a->slug) + "\t" + a->title);
			db.add_document(doc);
		}
		db.commit();
	}
	double build_s = bench_cpu() - t0, build_wall_s = bench_wall() - w0;
	size_t rss1 = bench_rss();
	size_t bytes = dir_bytes(db_dir);

	Xapian::Database db(db_dir);
	Xapian::Enquire enquire(db);
	Xapian::QueryParser parser;
	parser.set_stemmer(Xapian::Stem("danish"));
	parser.set_stemming_strategy(Xapian::QueryParser::STEM_SOME);
	parser.set_default_op(Xapian::Query::OP_OR);
	xapian_ctx c = { &enquire, &parser, 0 };
	bench_latency lat;
	bench_latency_run(qs, xapian_query, &c, &lat);
	bench_report("xapian", corpus->n, build_s, build_wall_s, bytes,
		     rss1 > rss0 ? rss1 - rss0 : 0, &lat);
	printf("NOTE\txapian: Xapian %s, glass database files: %.1f MB%s\n",
	       Xapian::version_string(), (double)bytes / 1048576.0,
	       c.errors ? ", some queries failed (see stderr)" : "");
	return 0;
}

} // namespace

int main(int argc, char **argv)
{
	if (argc != 4) {
		fprintf(stderr,
			"usage: xapian_bench CORPUS_DIR QUERIES DB_DIR\n");
		return 2;
	}
	bench_corpus corpus;
	bench_queries qs;
	if (bench_corpus_load(&corpus, argv[1]) ||
	    bench_queries_load(&qs, argv[2]))
		return 1;
	int rc = 1;
	try {
		rc = run_xapian(&corpus, &qs, argv[3]);
	} catch (const Xapian::Error &e) {
		fprintf(stderr, "xapian: %s\n", e.get_description().c_str());
	}
	bench_queries_clear(&qs);
	bench_corpus_clear(&corpus);
	return rc;
}
