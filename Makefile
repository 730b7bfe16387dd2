# Makefile - build, run and test helhed.
#
#   make run    install what is missing, build, serve on http://127.0.0.1:8080
#   make test   install what is missing, build, run every test
#   make asan   the unit and API suites under ASan+UBSan
#   make tsan   the unit and API suites under ThreadSanitizer
#   make bench  benchmarks beside their peers
#   make bench-search  the search engine beside SQLite FTS5 and Xapian
#   make bench-abuse   search latency during a sign-in flood and slow
#                      connections, beside the quiet server
#   make bench-tls     search over https through the HAProxy and nginx
#                      examples, beside helhed straight over HTTP
#   make bench-chat    2,000 waiting chat connections: delivery latency
#                      beside /healthz
#   make bench-cases   durable submissions beside bare SQLite; the queue
#                      and the overview with 100,000 cases
#   make bench-inquiries  inquiries logged durably beside bare SQLite; the
#                      agent's lists with 500,000 inquiries, beside /healthz
#   make bench-spool  Digital Post delivered durably through the spool,
#                      beside a plain C loop writing the same files
#   make bench-figures  the service figures on a generated year: the
#                      fold, the write path with and without it, every
#                      dashboard read beside one SQL query over the events
#   make bench-external  external-case reports durably beside a bare
#                      upsert (SQLite and PostgreSQL); Mit overblik over
#                      HTTP with 1,000,000 external cases, beside /healthz
#   make bench-parties  Mit overblik, the party page and the case page
#                      with 100,000 two-party cases (SQLite, PostgreSQL),
#                      beside /healthz and the bare SQL of the same rows
#   make eval   search quality beside SQLite FTS5 (own queries, DanFEVER)

CC ?= cc
# libcurl and rhonabwy: the OpenID Connect relying party (domain/oidc.c).
# pangocairo (with libhyphen): letters as PDF (render/).
PKGS = libmicrohttpd jansson sqlite3 libcmark libsodium libutf8proc \
	libcurl librhonabwy pangocairo
CFLAGS_BASE = -std=c11 -D_GNU_SOURCE -Wall -Wextra -Werror -Wshadow \
	-Wno-unused-parameter -Isrc -Ibuild/gen $(shell pkg-config --cflags $(PKGS) 2>/dev/null)
OPT ?= -O2 -g
CFLAGS = $(CFLAGS_BASE) $(OPT) $(EXTRA_CFLAGS)
LDLIBS = $(shell pkg-config --libs $(PKGS) 2>/dev/null) -lstemmer -lhyphen -lpthread -lm
LDFLAGS = $(EXTRA_LDFLAGS)

BUILD ?= build
MIGRATIONS = $(sort $(wildcard src/store/migrations/*.sql))

SRC = $(wildcard src/core/*.c src/store/*.c src/text/*.c src/search/*.c \
	src/domain/*.c src/http/*.c src/app/*.c src/api/*.c src/pages/*.c \
	src/render/*.c src/post/*.c)
OBJ = $(patsubst src/%.c,$(BUILD)/obj/%.o,$(SRC)) $(BUILD)/obj/gen/migrations.o \
	$(BUILD)/obj/gen/openapi.o
MAIN_OBJ = $(BUILD)/obj/main.o

TEST_SRC = $(wildcard tests/*/test_*.c)
TEST_BIN = $(patsubst tests/%.c,$(BUILD)/tests/%,$(TEST_SRC))
TEST_LDLIBS = $(LDLIBS) -lcmocka

.PHONY: all deps run test unit e2e asan tsan bench bench-search eval clean
all: $(BUILD)/helhed

deps:
	@./scripts/install-deps.sh

$(BUILD)/obj/%.o: src/%.c
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) -MMD -MP -c $< -o $@

$(BUILD)/gen/migrations.c: $(MIGRATIONS) scripts/embed-sql.sh
	@mkdir -p $(dir $@)
	./scripts/embed-sql.sh hh_sqlite_migrations $(MIGRATIONS) > $@

$(BUILD)/obj/gen/migrations.o: $(BUILD)/gen/migrations.c
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) -c $< -o $@

# x-openapi (issue 15): the API's OpenAPI description, served at
# /api/v1/openapi.json (docs/api.md)
$(BUILD)/gen/openapi.c: docs/openapi.json scripts/embed-text.sh
	@mkdir -p $(dir $@)
	./scripts/embed-text.sh hh_openapi_json docs/openapi.json > $@

$(BUILD)/obj/gen/openapi.o: $(BUILD)/gen/openapi.c
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) -c $< -o $@

$(BUILD)/lib.a: $(OBJ)
	rm -f $@
	ar rcs $@ $^

$(BUILD)/helhed: $(BUILD)/lib.a $(MAIN_OBJ)
	$(CC) $(LDFLAGS) -o $@ $(MAIN_OBJ) $(BUILD)/lib.a $(LDLIBS)

$(BUILD)/tests/%: tests/%.c $(BUILD)/lib.a tests/testutil.h
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) -Itests $< -o $@ $(BUILD)/lib.a $(TEST_LDLIBS) $(LDFLAGS)

# The store test suite is #included by each backend's test binary.
STORE_SUITE = tests/store/store_suite.h tests/store/store_suite.c \
	tests/store/store_suite_faults.c tests/store/store_suite_seal.c \
	tests/store/store_suite_inquiries.c \
	tests/store/store_suite_desk.c \
	tests/store/store_suite_appointments.c \
	tests/store/store_suite_inbox.c tests/store/store_suite_messages.c \
	tests/store/store_suite_tune.c tests/store/store_suite_cases.c \
	tests/store/store_suite_external.c \
	tests/store/store_suite_parties.c
$(BUILD)/tests/store/test_store_sqlite: $(STORE_SUITE) tests/store/sqlite_query.h
$(BUILD)/tests/store/test_sqlite: tests/store/sqlite_query.h
# appointments: the API and page tests share their fixture.
$(BUILD)/tests/api/test_appointments_api $(BUILD)/tests/pages/test_booking_pages: \
	tests/api/appointments_fixture.h
# delivery: the Digital Post tests share their fixture.
$(BUILD)/tests/domain/test_messages $(BUILD)/tests/api/test_delivery: \
	tests/domain/messages_fixture.h tests/api/real_server.h
# the letter's whole way (letters, delivery, the spool) in a real server
$(BUILD)/tests/api/test_letter_path: tests/api/real_server.h
$(BUILD)/tests/api/test_backup: tests/api/real_server.h # o-backup
# The case tests share their fixture.
$(BUILD)/tests/domain/test_cases $(BUILD)/tests/domain/test_case_flows \
	$(BUILD)/tests/domain/test_vault: tests/domain/cases_fixture.h
# casework tools: the domain tests share the case fixture.
$(BUILD)/tests/domain/test_casetools: tests/domain/cases_fixture.h
# letters: the domain and API tests share their fixture.
$(BUILD)/tests/domain/test_letters $(BUILD)/tests/api/test_letters \
	$(BUILD)/tests/pages/test_letter_pages: \
	tests/domain/letters_fixture.h
# the citizen's inbox: the domain and API tests share their fixture
$(BUILD)/tests/domain/test_inbox $(BUILD)/tests/api/test_inbox: \
	tests/domain/inbox_fixture.h
# feedback: the API and page tests read the database through
# sqlite_query.h
$(BUILD)/tests/api/test_feedback_api $(BUILD)/tests/pages/test_feedback_pages: \
	tests/store/sqlite_query.h
# fig-pages (issue 12): the chart tests read the SVG back with libxml2
# (the program itself does not link it).
$(BUILD)/tests/render/test_chart: private CFLAGS += $(shell pkg-config --cflags libxml-2.0)
$(BUILD)/tests/render/test_chart: private TEST_LDLIBS += $(shell pkg-config --libs libxml-2.0)
# x-hooks: the receiver in test_webhooks checks signatures with OpenSSL, not helhed's libsodium
$(BUILD)/tests/domain/test_webhooks: private TEST_LDLIBS += -lcrypto
# the figures' API and page tests share their fixture
$(BUILD)/tests/api/test_figures_api $(BUILD)/tests/pages/test_figures_pages: \
	tests/api/figures_fixture.h
# s-edit (issue 13): the editors' page tests read the database through
# sqlite_query.h
$(BUILD)/tests/pages/test_editor_pages: tests/store/sqlite_query.h
# s-http (issue 13): the search log after a clean stop of a real server
$(BUILD)/tests/api/test_searchlog_stop: tests/api/real_server.h \
	tests/store/sqlite_query.h
# s-tune (issue 13)
$(BUILD)/tests/api/test_search_tune: tests/store/sqlite_query.h

# The build runs as many jobs as the machine has cores, once deps has
# installed what is missing (so nothing compiles before its headers exist).
JOBS ?= $(shell nproc 2>/dev/null || echo 2)

run: deps
	@$(MAKE) --no-print-directory -j$(JOBS) $(BUILD)/helhed
	@mkdir -p var
	$(BUILD)/helhed serve --config none --demo --db var/helhed.db --content content

# Every test binary prints its cmocka summary; scripts/run-tests.sh adds
# them up into the closing "N passed, N failed" line.
unit: $(BUILD)/helhed $(TEST_BIN)

test: deps
	@$(MAKE) --no-print-directory -j$(JOBS) $(BUILD)/helhed $(TEST_BIN) fuzz-build
	@./scripts/run-tests.sh $(BUILD)

asan: deps
	$(MAKE) BUILD=build-asan OPT="-O1 -g -fno-omit-frame-pointer" \
		EXTRA_CFLAGS="-fsanitize=address,undefined -fno-sanitize-recover=all" \
		EXTRA_LDFLAGS="-fsanitize=address,undefined" build-asan/helhed unit
	HELHED_NO_E2E=1 ASAN_OPTIONS=detect_leaks=1 \
		LSAN_OPTIONS=suppressions=$(CURDIR)/tests/lsan.supp \
		./scripts/run-tests.sh build-asan

# The same suites under ThreadSanitizer: the server's worker threads, the
# search index's readers and writers, the store's connection pool.
tsan: deps
	$(MAKE) BUILD=build-tsan OPT="-O1 -g" EXTRA_CFLAGS="-fsanitize=thread" \
		EXTRA_LDFLAGS="-fsanitize=thread" build-tsan/helhed unit
	HELHED_NO_E2E=1 \
		TSAN_OPTIONS="halt_on_error=1 suppressions=$(CURDIR)/tests/tsan.supp" \
		./scripts/run-tests.sh build-tsan

# ---- fuzzing (libFuzzer): every parser that takes outside input ---------
FUZZ_TARGETS = search analyze json markdown article multipart form \
	feedback # feedback: the comment scrubber
# s-edit (issue 13): synonym rules, pin queries and the editors' diff
FUZZ_TARGETS += editor
# kle (issue 15): KL's emneplan XML (domain/kle.c)
FUZZ_TARGETS += kle
# x-decl (issue 15): a case system's declaration (domain/casesystems.c)
FUZZ_TARGETS += casesystem
# o-tls (issue 17): the trusted proxies' list and X-Forwarded-For (core/netlist.c)
FUZZ_TARGETS += proxies
FUZZ_BIN = $(patsubst %,build-fuzz/fuzz/fuzz_%,$(FUZZ_TARGETS))
FUZZ_SECONDS ?= 60

fuzz-build:
	@$(MAKE) --no-print-directory BUILD=build-fuzz CC=clang OPT="-O1 -g" \
		EXTRA_CFLAGS="-fsanitize=fuzzer-no-link,address,undefined" \
		build-fuzz/lib.a $(FUZZ_BIN)

build-fuzz/fuzz/fuzz_%: tests/fuzz/fuzz_%.c build-fuzz/lib.a
	@mkdir -p $(dir $@)
	clang $(CFLAGS_BASE) -O1 -g -fsanitize=fuzzer,address,undefined $< \
		-o $@ build-fuzz/lib.a $(LDLIBS)

# Each target runs FUZZ_SECONDS on a scratch copy of its seed corpus.
fuzz: deps fuzz-build
	@for t in $(FUZZ_TARGETS); do \
		d=$$(mktemp -d); cp tests/fuzz/corpus/$$t/* $$d/; \
		echo "== fuzz_$$t ($(FUZZ_SECONDS) s)"; \
		build-fuzz/fuzz/fuzz_$$t -max_total_time=$(FUZZ_SECONDS) \
			-print_final_stats=1 $$d || exit 1; rm -rf $$d; \
	done

clean:
	rm -rf build build-asan build-tsan build-fuzz build-deb

-include $(OBJ:.o=.d) $(MAIN_OBJ:.o=.d)

# ---- benchmarks --------------------------------------------------------
$(BUILD)/bench/%: bench/%.c $(BUILD)/lib.a
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) $< -o $@ $(BUILD)/lib.a $(LDLIBS)

bench: deps $(BUILD)/helhed $(BUILD)/bench/gen_corpus $(BUILD)/bench/abuse_bench \
		$(BUILD)/bench/inquiries_bench $(BUILD)/bench/chat_bench \
		$(BUILD)/bench/letters_bench $(BUILD)/bench/spool_bench \
		$(BUILD)/bench/inbox_bench $(BUILD)/bench/cases_bench \
		$(BUILD)/bench/casepage_bench $(BUILD)/bench/figures_bench
	./bench/run.sh $(BUILD)
	./bench/abuse.sh $(BUILD)
	./bench/inquiries.sh $(BUILD)
	./bench/chat.sh $(BUILD)
	taskset -c 0 $(BUILD)/bench/letters_bench # letters
	$(BUILD)/bench/spool_bench
	./bench/inbox.sh $(BUILD)
	./bench/casepage.sh $(BUILD)
	$(BUILD)/bench/figures_bench # the service figures

# The search benchmark: helhed's index beside SQLite FTS5 (in C, with
# search_bench) and Xapian (C++, xapian_bench), then wrk on the search API.
# Both programs share search_common.c, compiled as C.
CXX ?= g++
XAPIAN_CFLAGS = $(shell pkg-config --cflags xapian-core 2>/dev/null)
XAPIAN_LIBS = $(shell pkg-config --libs xapian-core 2>/dev/null || echo -lxapian)
CXXFLAGS = -std=c++17 -Wall -Wextra -Werror -Wshadow $(XAPIAN_CFLAGS) \
	$(OPT) $(EXTRA_CFLAGS)
BENCH_COMMON = $(BUILD)/bench/search_common.o

# lib.a: it includes the library's headers (s-http: buf.h's inline puts
# left an object built before it with an undefined hh_buf_putc)
$(BENCH_COMMON): bench/search_common.c bench/search_common.h $(BUILD)/lib.a
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) -c $< -o $@

$(BUILD)/bench/search_bench: bench/search_bench.c bench/search_common.h \
		$(BENCH_COMMON) $(BUILD)/lib.a
	$(CC) $(CFLAGS) $< -o $@ $(BENCH_COMMON) $(BUILD)/lib.a $(LDLIBS)

# s-score: the engine's instructions and answers, to compare two builds
# (bench/search_instr.c; docs/search.md)
$(BUILD)/bench/search_instr: bench/search_instr.c bench/search_common.h \
		$(BENCH_COMMON) $(BUILD)/lib.a
	$(CC) $(CFLAGS) $< -o $@ $(BENCH_COMMON) $(BUILD)/lib.a $(LDLIBS)

$(BUILD)/bench/xapian_bench: bench/xapian_bench.cc bench/search_common.h \
		$(BENCH_COMMON) $(BUILD)/lib.a
	$(CXX) $(CXXFLAGS) $< -o $@ $(BENCH_COMMON) $(BUILD)/lib.a \
		$(XAPIAN_LIBS) $(LDLIBS) $(LDFLAGS)

bench-search: deps $(BUILD)/helhed $(BUILD)/bench/gen_corpus \
		$(BUILD)/bench/search_bench $(BUILD)/bench/xapian_bench
	./bench/search.sh $(BUILD)

# The case benchmark: durable submissions through hh_case_submit beside bare
# SQLite inserts, then queue and overview latency over HTTP with 100,000
# seeded cases. cases_bench speaks HTTP with libcurl.
.PHONY: bench-cases
$(BUILD)/bench/cases_bench: bench/cases_bench.c $(BUILD)/lib.a
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) $< -o $@ $(BUILD)/lib.a $(LDLIBS) -lcurl $(LDFLAGS)

bench-cases: deps $(BUILD)/helhed $(BUILD)/bench/cases_bench
	./bench/cases.sh $(BUILD)

# x-hooks (issue 15): webhook deliveries per second to a local receiver
# beside bare libcurl POSTs, and the time from an event to its delivery.
$(BUILD)/bench/webhooks_bench: bench/webhooks_bench.c $(BUILD)/lib.a
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) $< -o $@ $(BUILD)/lib.a $(LDLIBS) -lcurl $(LDFLAGS)

# casework tools: the case page with 100,000 cases beside its main query
# through SQLite alone (bench/casepage.sh).
.PHONY: bench-casepage
$(BUILD)/bench/casepage_bench: bench/casepage_bench.c $(BUILD)/lib.a
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) $< -o $@ $(BUILD)/lib.a $(LDLIBS) -lcurl $(LDFLAGS)

bench-casepage: deps $(BUILD)/helhed $(BUILD)/bench/cases_bench \
		$(BUILD)/bench/casepage_bench
	./bench/casepage.sh $(BUILD)

# p-bench (issue 16): Mit overblik and the case page with 100,000
# two-party cases, over HTTP beside /healthz and the bare SQL, on SQLite
# and PostgreSQL (bench/parties.sh).
.PHONY: bench-parties
$(BUILD)/bench/parties_bench: bench/parties_bench.c $(BUILD)/lib.a
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) $< -o $@ $(BUILD)/lib.a $(LDLIBS) -lcurl $(LDFLAGS)

bench-parties: deps $(BUILD)/helhed $(BUILD)/bench/parties_bench
	./bench/parties.sh $(BUILD)

# chat: 2,000 waiting chat connections against the real server, the
# delivery latency of messages to them, and /healthz beside it.
.PHONY: bench-chat
$(BUILD)/bench/chat_bench: bench/chat_bench.c
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) $< -o $@ -lpthread $(LDFLAGS)

bench-chat: deps $(BUILD)/helhed $(BUILD)/bench/chat_bench
	./bench/chat.sh $(BUILD)

# Search latency for an ordinary client during a sign-in flood and a
# slow-connection attack, beside the same server when quiet.
.PHONY: bench-abuse
$(BUILD)/bench/abuse_bench: bench/abuse_bench.c
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) $< -o $@ -lcurl -lpthread $(LDFLAGS)

bench-abuse: deps $(BUILD)/helhed $(BUILD)/bench/abuse_bench
	./bench/abuse.sh $(BUILD)

# o-tls (issue 17): search over https through the HAProxy and nginx
# examples beside helhed straight over HTTP (docs/tls.md).
.PHONY: bench-tls
bench-tls: deps $(BUILD)/helhed
	./bench/tls.sh $(BUILD)

# The inquiry benchmark (volume): inquiries logged through hh_inquiry_create
# beside bare SQLite inserts, then the agent's lists over HTTP with 500,000
# inquiries beside /healthz. inquiries_bench speaks HTTP with libcurl.
.PHONY: bench-inquiries
$(BUILD)/bench/inquiries_bench: bench/inquiries_bench.c $(BUILD)/lib.a
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) $< -o $@ $(BUILD)/lib.a $(LDLIBS) -lcurl $(LDFLAGS)

bench-inquiries: deps $(BUILD)/helhed $(BUILD)/bench/inquiries_bench
	./bench/inquiries.sh $(BUILD)

# x-ext (issue 15): external-case reports durable beside a bare upsert
# (SQLite, then PostgreSQL on a throwaway cluster), and Mit overblik with
# 1,000,000 external cases over HTTP and in process, on both backends
# (bench/external.sh; 2 to 4 minutes, HELHED_BENCH_* shrink it).
.PHONY: bench-external
$(BUILD)/bench/external_bench: bench/external_bench.c $(BUILD)/lib.a
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) $< -o $@ $(BUILD)/lib.a $(LDLIBS) -lcurl $(LDFLAGS)

bench-external: deps $(BUILD)/helhed $(BUILD)/bench/external_bench
	./bench/external.sh $(BUILD)

# delivery: Digital Post messages delivered per second through the spool
# transport, durable, beside a plain C loop writing the same files.
.PHONY: bench-spool
$(BUILD)/bench/spool_bench: bench/spool_bench.c $(BUILD)/lib.a
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) $< -o $@ $(BUILD)/lib.a $(LDLIBS) $(LDFLAGS)

bench-spool: deps $(BUILD)/bench/spool_bench
	$(BUILD)/bench/spool_bench $(HELHED_BENCH_SPOOL)

# Retrieval quality on helhed's own queries and on DanFEVER, beside FTS5
# and Xapian (s-rank: eval links the Xapian peer, bench/xapian_eval.cc).
$(BUILD)/bench/xapian_eval.o: bench/xapian_eval.cc bench/xapian_eval.h \
		bench/search_common.h
	@mkdir -p $(dir $@)
	$(CXX) $(CXXFLAGS) -c $< -o $@

$(BUILD)/bench/eval: bench/eval.c bench/xapian_eval.h \
		$(BUILD)/bench/xapian_eval.o $(BENCH_COMMON) $(BUILD)/lib.a
	$(CC) $(CFLAGS) -Ibench -c $< -o $(BUILD)/bench/eval.o
	$(CXX) $(BUILD)/bench/eval.o -o $@ $(BUILD)/bench/xapian_eval.o \
		$(BENCH_COMMON) $(BUILD)/lib.a $(XAPIAN_LIBS) $(LDLIBS) $(LDFLAGS)

eval: deps $(BUILD)/bench/eval
	$(BUILD)/bench/eval content tests/eval/queries.tsv tests/eval/danfever

# letters: letters rendered per second on one core (PDF with Pango + MeMo
# XML) beside the same words written by Cairo alone; sizes of a letter.
.PHONY: bench-letters
$(BUILD)/bench/letters_bench: bench/letters_bench.c $(BUILD)/lib.a
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) $< -o $@ $(BUILD)/lib.a $(LDLIBS) $(LDFLAGS)

bench-letters: deps $(BUILD)/bench/letters_bench
	taskset -c 0 $(BUILD)/bench/letters_bench
# p-letters: what the invitation letter (PDF and message, laid out inside
# the submission's transaction) costs a submission, beside the same
# submission without the parties' letter templates.
.PHONY: bench-party-letters
$(BUILD)/bench/party_letters_bench: bench/party_letters_bench.c $(BUILD)/lib.a
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) $< -o $@ $(BUILD)/lib.a $(LDLIBS) $(LDFLAGS)

bench-party-letters: deps $(BUILD)/bench/party_letters_bench
	d=$$(mktemp -d) && $(BUILD)/bench/party_letters_bench $$d 400; r=$$?; rm -rf $$d; exit $$r
# The citizen's inbox: the inbox page, a letter page and their API over
# HTTP with 100,000 cases and 300,000 sent letters, beside /healthz and
# beside the same list query alone through sqlite3. inbox_bench seeds
# through the store and speaks HTTP with libcurl.
.PHONY: bench-inbox
$(BUILD)/bench/inbox_bench: bench/inbox_bench.c $(BUILD)/lib.a
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) $< -o $@ $(BUILD)/lib.a $(LDLIBS) $(LDFLAGS)

bench-inbox: deps $(BUILD)/helhed $(BUILD)/bench/inbox_bench
	./bench/inbox.sh $(BUILD)

# ---- fig-year: a generated year of service data (issue 12) ----------------
# make demo-year: a year for 901 Nordskov (100,000 citizens, about 500,000
# inquiries and 100,000 cases), the agencies and seven other municipalities
# into demo-year.db (12 CPU minutes, 2.1 GB; docs/demo-year.md), then serve it with
# ./build/helhed serve --db demo-year.db. DEMO_YEAR_ARGS passes options
# (--seed N --scale F --from YYYY-MM-DD --days N).
# make bench-demo-year: the generator's time, events per second and the
# database's size beside bare SQLite writing as many rows.
.PHONY: demo-year bench-demo-year
demo-year: deps $(BUILD)/helhed
	$(BUILD)/helhed demo-year --db demo-year.db $(DEMO_YEAR_ARGS)
	@echo "Serve it: ./$(BUILD)/helhed serve --db demo-year.db"

bench-demo-year: deps $(BUILD)/helhed
	./bench/demo-year.sh $(BUILD) $(HELHED_BENCH_YEAR_SCALE)
# the service figures: a generated year folded, the write path with and
# without keeping the aggregates current, the dashboard's reads beside one
# SQL query over the raw events (bench/figures_bench.c)
.PHONY: bench-figures
bench-figures: deps $(BUILD)/bench/figures_bench
	$(BUILD)/bench/figures_bench
# fig-hist: every figures view over HTTP on a generated year (make
# demo-year first, or HELHED_BENCH_YEAR_DB=FILE), p50/p99 of
# HELHED_BENCH_N requests each, beside one SQL query over the raw events
# (bench/figures-http.sh)
HELHED_BENCH_YEAR_DB ?= demo-year.db
HELHED_BENCH_N ?= 30
.PHONY: bench-figures-http
bench-figures-http: deps $(BUILD)/helhed
	./bench/figures-http.sh $(BUILD) $(HELHED_BENCH_YEAR_DB) $(HELHED_BENCH_N)

# ---- kle (issue 15): KL's emneplan XML, read with libxml2's streaming
# reader (domain/kle.c, `helhed import-kle`), so the program links it now
PKGS += libxml-2.0

# ---- pg-base (issue 14): the PostgreSQL backend -------------------------
# libpq; PostgreSQL's dialect of the migrations (src/store/migrations-pg/,
# same numbers as SQLite's); the stubs of the store functions not ported
# yet, generated from store.h (scripts/pg-stubs.sh); the store suite on a
# throwaway cluster (tests/pg/cluster.sh) in test_store_pg.
PKGS += libpq
MIGRATIONS_PG = $(sort $(wildcard src/store/migrations-pg/*.sql))
PG_GEN_OBJ = $(BUILD)/obj/gen/migrations_pg.o $(BUILD)/obj/gen/pg_stubs.o
$(BUILD)/lib.a: $(PG_GEN_OBJ)

$(BUILD)/gen/migrations_pg.c: $(MIGRATIONS_PG) scripts/embed-sql.sh
	@mkdir -p $(dir $@)
	./scripts/embed-sql.sh hh_pg_migrations $(MIGRATIONS_PG) > $@

$(BUILD)/gen/pg_stubs.c: src/store/store.h scripts/pg-stubs.sh
	@mkdir -p $(dir $@)
	./scripts/pg-stubs.sh src/store/store.h > $@

$(BUILD)/obj/gen/migrations_pg.o: $(BUILD)/gen/migrations_pg.c
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) -c $< -o $@

$(BUILD)/obj/gen/pg_stubs.o: $(BUILD)/gen/pg_stubs.c src/store/postgres_int.h
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) -c $< -o $@

$(BUILD)/tests/store/test_store_pg: $(STORE_SUITE) tests/store/sqlite_query.h \
	tests/store/pg_fixture.h tests/pg/cluster.sh

# ---- pg-suites (issue 14): the domain and API suites on PostgreSQL too --
# testutil.h opens the tests' store through tests/store/pg_fixture.h
# (HELHED_TEST_BACKEND=postgres; scripts/run-tests.sh runs the domain and
# API binaries once more that way), so every test binary depends on it.
$(TEST_BIN): tests/store/pg_fixture.h tests/store/pg_suite_fixture.h

# ---- pg-multi (issue 14): several instances on one PostgreSQL ----------
# test_pg_notify: LISTEN/NOTIFY between two stores on one database, and
# the catch-up from the event log (on the cluster of tests/pg/cluster.sh).
$(BUILD)/tests/store/test_pg_notify: tests/store/pg_fixture.h tests/pg/cluster.sh
# the time from a write on one instance to the search on another (p50,
# p99 over HELHED_BENCH_N articles; bench/pg_multi.mjs)
.PHONY: bench-pg-multi
bench-pg-multi: deps $(BUILD)/helhed
	HELHED_BIN=$(BUILD)/helhed node bench/pg_multi.mjs

# pg-throttle: statements and time of a sign-in with the throttle in the
# database, beside HELHED_PEER_BIN (a build from before) when given
.PHONY: bench-pg-signin
bench-pg-signin: deps $(BUILD)/helhed
	HELHED_BIN=$(BUILD)/helhed node bench/pg_signin.mjs

# ---- pg-ops (issue 14): helhed copy, /metrics of the store, bench-pg -----
# test_copy copies the demo database into a throwaway PostgreSQL
# (tests/store/pg_fixture.h).
$(BUILD)/tests/store/test_copy: tests/store/pg_fixture.h tests/pg/cluster.sh
$(BUILD)/tests/api/test_db_metrics: tests/store/pg_fixture.h tests/pg/cluster.sh
$(BUILD)/tests/api/test_db_metrics: private CFLAGS += -Itests/store
# make bench-pg: durable form submissions on PostgreSQL with 1, 2 and 3
# instances beside bare libpq and SQLite; search and case-queue latency
# with 100,000 cases on PostgreSQL beside SQLite (bench/pg.sh).
.PHONY: bench-pg
$(BUILD)/bench/pg_bench: bench/pg_bench.c $(BUILD)/lib.a
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) $< -o $@ $(BUILD)/lib.a $(LDLIBS) $(LDFLAGS)

bench-pg: deps $(BUILD)/helhed $(BUILD)/bench/pg_bench $(BUILD)/bench/cases_bench
	./bench/pg.sh $(BUILD)

# kle (issue 15): helhed import-kle on a generated emneplan of the real
# one's size (about 5 MB), beside xmllint --stream reading it (bench/kle.sh)
.PHONY: bench-kle
bench-kle: deps $(BUILD)/helhed
	./bench/kle.sh $(BUILD)

# ---- o-deb (issue 17): the Debian package and the systemd service --------
# main.c tells systemd when it is ready (sd_notify: Type=notify); make deb
# compiles helhed in build-deb with Debian's hardening flags (dpkg-buildflags:
# stack protector, _FORTIFY_SOURCE; half a minute) and packs
# build-deb/deb/helhed_VERSION_amd64.deb (scripts/build-deb.sh,
# docs/operations.md). The package test (tests/deb/test_deb.sh) packs the
# objects of the ordinary build instead, so make test compiles nothing twice.
PKGS += libsystemd
DEB_BUILD = build-deb
DEB_FLAGS = DEB_BUILD_MAINT_OPTIONS=hardening=+all dpkg-buildflags
.PHONY: deb
deb: deps
	@$(MAKE) --no-print-directory -j$(JOBS) BUILD=$(DEB_BUILD) \
		OPT="$(shell $(DEB_FLAGS) --get CFLAGS 2>/dev/null)" \
		EXTRA_CFLAGS="$(shell $(DEB_FLAGS) --get CPPFLAGS 2>/dev/null)" \
		$(DEB_BUILD)/helhed
	./scripts/build-deb.sh $(DEB_BUILD)

# the package's binary: the same objects, linked with Debian's hardening
# link flags (full RELRO, bind now; build-deb.sh asks for it)
$(BUILD)/deb/helhed: $(BUILD)/lib.a $(MAIN_OBJ)
	@mkdir -p $(dir $@)
	$(CC) $(LDFLAGS) $(shell $(DEB_FLAGS) --get LDFLAGS 2>/dev/null) \
		-o $@ $(MAIN_OBJ) $(BUILD)/lib.a $(LDLIBS)

# ---- o-backup (issue 17): helhed backup on a store with 100,000 cases and
# 10,000 articles (time and size beside the sqlite3 shell's .backup and a
# plain cp), and a reader's p50/p99 latency during the backup beside
# without it (bench/backup.sh).
.PHONY: bench-backup
$(BUILD)/bench/backup_bench: bench/backup_bench.c
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) $< -o $@ -lcurl $(LDFLAGS)

bench-backup: deps $(BUILD)/helhed $(BUILD)/bench/gen_corpus \
		$(BUILD)/bench/cases_bench $(BUILD)/bench/backup_bench
	./bench/backup.sh $(BUILD)
