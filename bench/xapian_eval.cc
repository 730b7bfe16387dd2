/* xapian_eval.cc - Xapian as a peer in the retrieval evaluation: the
 * implementation of xapian_eval.h. The indexing and query settings are
 * those of bench/xapian_bench.cc (see the header). */
#include "xapian_eval.h"

#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>
#include <vector>

#include <dirent.h>
#include <unistd.h>

#include <xapian.h>

#include "search_common.h"

struct xeval {
	std::string dir;
	Xapian::WritableDatabase *wdb = nullptr;
	Xapian::Database *db = nullptr;
	Xapian::Enquire *enquire = nullptr;
	Xapian::QueryParser parser;
	Xapian::TermGenerator tg;
	std::vector<std::string> keys;
	size_t errors = 0;
};

namespace {

void remove_dir(const std::string &dir)
{
	DIR *d = opendir(dir.c_str());
	if (d) {
		struct dirent *e;
		while ((e = readdir(d)))
			if (strcmp(e->d_name, ".") && strcmp(e->d_name, ".."))
				unlink((dir + "/" + e->d_name).c_str());
		closedir(d);
	}
	rmdir(dir.c_str());
}

} // namespace

extern "C" struct xeval *xeval_new(void)
{
	char tmpl[64];
	snprintf(tmpl, sizeof(tmpl), "%s/helhed-eval-xapian-XXXXXX",
		 access("/dev/shm", W_OK) == 0 ? "/dev/shm" : "/tmp");
	if (!mkdtemp(tmpl)) {
		perror("eval: xapian: mkdtemp");
		return nullptr;
	}
	xeval *x = new xeval;
	x->dir = tmpl;
	try {
		x->wdb = new Xapian::WritableDatabase(
			x->dir, Xapian::DB_CREATE_OR_OVERWRITE |
					Xapian::DB_BACKEND_GLASS |
					Xapian::DB_NO_SYNC);
		x->tg.set_stemmer(Xapian::Stem("danish"));
		x->tg.set_stemming_strategy(Xapian::TermGenerator::STEM_SOME);
		x->parser.set_stemmer(Xapian::Stem("danish"));
		x->parser.set_stemming_strategy(Xapian::QueryParser::STEM_SOME);
		x->parser.set_default_op(Xapian::Query::OP_OR);
	} catch (const Xapian::Error &e) {
		fprintf(stderr, "eval: xapian: %s\n", e.get_description().c_str());
		xeval_free(x);
		return nullptr;
	}
	return x;
}

extern "C" void xeval_free(struct xeval *x)
{
	if (!x)
		return;
	delete x->enquire;
	delete x->db;
	delete x->wdb;
	remove_dir(x->dir);
	delete x;
}

extern "C" int xeval_add(struct xeval *x, const char *key, const char *title,
			 const char *keywords, const char *summary,
			 const char *body)
{
	char *text = bench_body_text(body ? body : "");
	try {
		Xapian::Document doc;
		x->tg.set_document(doc);
		x->tg.index_text(title ? title : "", 8);
		x->tg.increase_termpos();
		x->tg.index_text(keywords ? keywords : "", 6);
		x->tg.increase_termpos();
		x->tg.index_text(summary ? summary : "", 3);
		x->tg.increase_termpos();
		x->tg.index_text(text, 2);
		x->wdb->add_document(doc); /* docid = keys.size() + 1 */
		x->keys.push_back(key);
	} catch (const Xapian::Error &e) {
		free(text);
		fprintf(stderr, "eval: xapian: %s\n", e.get_description().c_str());
		return -1;
	}
	free(text);
	return 0;
}

extern "C" int xeval_ready(struct xeval *x)
{
	try {
		x->wdb->commit();
		delete x->wdb;
		x->wdb = nullptr;
		x->db = new Xapian::Database(x->dir);
		x->enquire = new Xapian::Enquire(*x->db);
		/* ties by document order, as the other engines break them */
		x->enquire->set_docid_order(Xapian::Enquire::ASCENDING);
		x->parser.set_database(*x->db);
	} catch (const Xapian::Error &e) {
		fprintf(stderr, "eval: xapian: %s\n", e.get_description().c_str());
		return -1;
	}
	return 0;
}

extern "C" int xeval_search(struct xeval *x, const char *text,
			    const char **keys, int max)
{
	try {
		Xapian::Query q = x->parser.parse_query(
			text, Xapian::QueryParser::FLAG_DEFAULT);
		x->enquire->set_query(q);
		Xapian::MSet m = x->enquire->get_mset(0, (Xapian::doccount)max);
		int n = 0;
		for (Xapian::MSetIterator i = m.begin(); i != m.end() && n < max;
		     ++i) {
			Xapian::docid id = *i;
			if (id >= 1 && id <= x->keys.size())
				keys[n++] = x->keys[id - 1].c_str();
		}
		return n;
	} catch (const Xapian::Error &e) {
		/* a query the parser refuses finds nothing, as for a user */
		if (!x->errors++)
			fprintf(stderr, "eval: xapian: \"%s\": %s\n", text,
				e.get_description().c_str());
		return 0;
	}
}

extern "C" const char *xeval_version(void)
{
	return Xapian::version_string();
}
