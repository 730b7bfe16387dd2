/* main.c - the helhed command: serve, import, export, migrate, backup,
 * restore, user, token. */
#include <errno.h>
#include <jansson.h>
#include <sodium.h>
#include <systemd/sd-daemon.h> /* o-deb: Type=notify */
#include <signal.h>
#include <stddef.h>
#include <sys/resource.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <termios.h>
#include <pthread.h>
#include <time.h>
#include <unistd.h>

#include "app/app.h"
#include "app/chat.h"
#include "app/hooks.h"
#include "app/postman.h"
#include "api/api.h"
#include "pages/pages.h"
#include "core/conf.h" /* o-deb: helhed.conf */
#include "core/dktime.h"
#include "core/limit.h"
#include "core/log.h"
#include "core/netlist.h" /* o-tls: --trusted-proxies */
#include "core/opts.h" /* t-main: one option parser */
#include "core/util.h"
#include "domain/auth.h"
#include "domain/orgs.h"
#include "domain/content.h"
#include "domain/demo.h"
#include "domain/demoyear.h" /* fig-year */
#include "domain/letters.h"
#include "domain/demoletters.h" /* the citizen's inbox */
#include "domain/figures.h" /* the service figures */
#include "domain/health.h"
#include "domain/kle.h" /* kle (issue 15): helhed import-kle */
#include "domain/messages.h"
#include "domain/oidc.h"
#include "domain/views.h"
#include "domain/searchlog.h"
#include "domain/searchfeed.h"
#include "domain/searchtune.h" /* s-edit: synonyms in the store, pins */
#include "domain/vault.h"
#include "post/spool.h"
#include "store/postgres.h" /* pg-base: the backend by address */
#include "store/copy.h" /* pg-ops: helhed copy */
#include "store/backup.h" /* o-backup: helhed backup, restore */
#include "search/index.h"
#include "search/synonyms.h"

#define VERSION "0.1.0"

static const char *prog = "helhed";

/* The key file CPR numbers are sealed with (HELHED_KEY_FILE or
 * --key-file); NULL: the file beside the database (domain/vault.h). */
static const char *key_file;

static const char usage_main[] =
	"Usage: helhed COMMAND [OPTIONS]\n"
	"\n"
	"helhed is a citizen-service platform for Danish municipalities and\n"
	"public authorities: a shared knowledge base and the staff tools\n"
	"around it.\n"
	"\n"
	"Commands:\n"
	"  serve            serve the web site and the API\n"
	"  import DIR       import organisations, articles and life events\n"
	"  export DIR       export them in the same format\n"
	"  import-kle FILE  import KL's KLE emneplan (XML) for KLE titles\n"
	"  migrate          bring the database schema up to date\n"
	"  backup FILE      a consistent copy of the SQLite store, while it serves\n"
	"  restore FILE     put a backup back in place of the SQLite store\n"
	"  user add         add a staff user\n"
	"  token add        add an API token for an organisation\n"
	"  search QUERY     search the knowledge base from the command line\n"
	"  rotate-key       new keys for the CPR numbers sealed in the database\n"
	"  print-batch      the print batch of letters for the mail room\n"
	"  demo-year        generate a year of demo service data (figures)\n"
	"  figures-rebuild  fold the whole event log into the service figures\n"
	"  copy             copy a SQLite database into PostgreSQL, ids kept\n"
	"\n"
	"Run 'helhed COMMAND --help' for a command's options.\n"
	"Options: --help, --version\n"
	"\n"
	"CPR numbers are sealed in the database with the keys in a key file:\n"
	"--key-file FILE on every command, or HELHED_KEY_FILE; by default\n"
	"DB.keys beside the database DB, made (mode 0600) on first use. A key\n"
	"file that group or others may read is refused. Back it up apart\n"
	"from the database: without it the CPR numbers cannot be read.\n"
	"\n"
	"Every command reads the settings in /etc/helhed/helhed.conf when it\n"
	"exists (HELHED_CONFIG=FILE for another, HELHED_CONFIG=none for none);\n"
	"flags and HELHED_* variables win over it (helhed serve --help).\n";

static const char usage_serve[] =
	"Usage: helhed serve [OPTIONS]\n"
	"\n"
	"Serves helhed over HTTP. On the first start with an empty database\n"
	"the content folder is imported (with demo users when --demo).\n"
	"\n"
	"Settings come from the flags, else the HELHED_* environment, else the\n"
	"configuration file, else the defaults (docs/operations.md).\n"
	"\n"
	"  --config FILE       configuration file of \"key = value\" lines\n"
	"                      (HELHED_CONFIG, default /etc/helhed/helhed.conf\n"
	"                      when it exists; \"none\": no file)\n"
	"  --log-level LEVEL   debug, info, warn or error (HELHED_LOG_LEVEL,\n"
	"                      default info; above info, no request lines)\n"
	"  --listen HOST:PORT  address to listen on (HELHED_LISTEN,\n"
	"                      default 127.0.0.1:8080; port 0 picks one)\n"
	"  --db FILE           SQLite database (HELHED_DB, default var/helhed.db),\n"
	"                      or a PostgreSQL address postgresql://... (its\n"
	"                      pool: 2 connections a thread, HELHED_DB_POOL;\n"
	"                      docs/postgres.md)\n"
	"  --demo              demo mode: demo users and demo sign-in\n"
	"                      (HELHED_DEMO=1)\n"
	"  --threads N         worker threads, 1-256 (HELHED_THREADS, default 4)\n"
	"  --content DIR       content to import on first start\n"
	"                      (HELHED_CONTENT, default content with --demo)\n"
	"  --web DIR           static assets (HELHED_WEB, default web)\n"
	"  --quiet             no request log lines (HELHED_QUIET=1)\n"
	"  --dict FILE         Danish word list for compound splitting\n"
	"                      (HELHED_DICT, default /usr/share/dict/danish)\n"
	"  --synonyms FILE     search synonyms (HELHED_SYNONYMS, default\n"
	"                      content/synonyms.txt)\n"
	"\n"
	"Running in front of citizens:\n"
	"  --public-url URL    the address citizens reach helhed at,\n"
	"                      http(s)://HOST[:PORT] without a path, for every\n"
	"                      absolute link: Open311 discovery, the OpenID\n"
	"                      Connect redirects (HELHED_PUBLIC_URL, default\n"
	"                      http://LISTEN); the Host header is never used.\n"
	"                      https:// also sends Strict-Transport-Security\n"
	"                      and makes every cookie Secure (docs/tls.md)\n"
	"  --secure-cookies    mark cookies Secure (HELHED_SECURE_COOKIES=1);\n"
	"                      on by default, except with --demo\n"
	"  --no-secure-cookies cookies also over plain HTTP\n"
	"                      (HELHED_SECURE_COOKIES=0; refused with an\n"
	"                      https public URL)\n"
	"  --trusted-proxies LIST\n"
	"                      the reverse proxies in front (HELHED_TRUSTED_PROXIES):\n"
	"                      addresses and CIDR ranges, IPv4 and IPv6, e.g.\n"
	"                      \"127.0.0.1, 10.0.0.0/24\". Only a request whose\n"
	"                      socket peer is one of them has its\n"
	"                      X-Forwarded-For (walked from the right past the\n"
	"                      proxies: the client) and X-Forwarded-Proto\n"
	"                      (https: Secure cookies) believed; default none\n"
	"  --trust-proxy       deprecated: --trusted-proxies 127.0.0.0/8,::1\n"
	"                      (HELHED_TRUST_PROXY=1)\n"
	"  --max-conn-per-client N\n"
	"                      connections at once from one address, 0 for no\n"
	"                      cap; the trusted proxies are spared\n"
	"                      (HELHED_MAX_CONN_PER_CLIENT, default 64)\n"
	"  --write-limits C/A/T\n"
	"                      writes per minute per client address, signed-in\n"
	"                      account and API token, 0 for none\n"
	"                      (HELHED_WRITE_LIMITS, default 600/120/6000)\n"
	"  --body-memory MB    request bodies held at once, all requests\n"
	"                      together (HELHED_BODY_MEMORY, default 64)\n"
	"  --no-password-login staff sign in only through the organisation's\n"
	"                      OpenID Connect provider (HELHED_PASSWORD_LOGIN=0)\n"
	"  --key-file FILE     keys CPR numbers are sealed with (HELHED_KEY_FILE,\n"
	"                      default FILE.keys beside --db, made on first\n"
	"                      start, mode 0600)\n"
	"  --spool DIR         Digital Post spool folder (HELHED_SPOOL, default\n"
	"                      DB.spool beside --db; made with mode 0750); see\n"
	"                      docs/digital-post.md\n"
	"  --print-time HH:MM  Danish time of the daily print batch\n"
	"                      (HELHED_PRINT_TIME, default 14:00; \"off\": none)\n"
	"  --webhooks-allow-http-loopback\n"
	"                      webhook subscriptions may post over http:// to\n"
	"                      this machine (127.0.0.1, ::1, localhost): for\n"
	"                      tests only; else https:// only, and deliveries\n"
	"                      never to loopback (docs/webhooks.md)\n"
	"  --webhooks-keep-days N\n"
	"                      delivered and failed webhook deliveries are\n"
	"                      deleted N days after (HELHED_WEBHOOKS_KEEP_DAYS,\n"
	"                      default 30)\n"
	"  --help              this text\n"
	"\n"
	"OpenID Connect (citizens through the MitID broker, staff through the\n"
	"organisation's provider); without an issuer the sign-in button is not\n"
	"shown. The secrets are read from files that only the service user\n"
	"may read (a secret given as a value is refused):\n"
	"  --oidc-citizen-issuer URL        HELHED_OIDC_CITIZEN_ISSUER\n"
	"  --oidc-citizen-client-id ID      HELHED_OIDC_CITIZEN_CLIENT_ID\n"
	"  --oidc-citizen-client-secret-file FILE\n"
	"                      HELHED_OIDC_CITIZEN_CLIENT_SECRET_FILE\n"
	"  --oidc-citizen-redirect-base URL HELHED_OIDC_CITIZEN_REDIRECT_BASE\n"
	"                      helhed's public address for citizens (default\n"
	"                      --public-url); the callback is\n"
	"                      URL/borger/oidc/callback, after sign-out URL/\n"
	"  --oidc-citizen-scope S           HELHED_OIDC_CITIZEN_SCOPE (openid)\n"
	"  --oidc-staff-issuer URL          HELHED_OIDC_STAFF_ISSUER\n"
	"  --oidc-staff-client-id ID        HELHED_OIDC_STAFF_CLIENT_ID\n"
	"  --oidc-staff-client-secret-file FILE\n"
	"                      HELHED_OIDC_STAFF_CLIENT_SECRET_FILE\n"
	"  --oidc-staff-redirect-base URL   HELHED_OIDC_STAFF_REDIRECT_BASE\n"
	"                      (default --public-url); the callback is\n"
	"                      URL/personale/oidc/callback\n"
	"  --oidc-staff-scope S             HELHED_OIDC_STAFF_SCOPE (openid)\n"
	"  --oidc-staff-groups MAP          HELHED_OIDC_STAFF_GROUPS: groups to\n"
	"                      organisation and roles, e.g.\n"
	"                      \"soroe-sagsbehandlere=soroe:caseworker,\n"
	"                      soroe-redaktion=soroe:editor+manager\"\n"
	"  --oidc-groups-claim NAME         HELHED_OIDC_GROUPS_CLAIM (groups)\n"
	"  --oidc-loa-claim NAME            HELHED_OIDC_LOA_CLAIM (NemLog-in's\n"
	"                      https://data.gov.dk/concept/core/nsis/loa)\n"
	"  --oidc-cpr-claim NAME            HELHED_OIDC_CPR_CLAIM (NemLog-in's\n"
	"                      https://data.gov.dk/model/core/eid/cprNumber)\n"
	"  --oidc-secret-post               send the client secret in the body\n"
	"                      (client_secret_post; HELHED_OIDC_SECRET_POST=1)\n"
	"  --oidc-cookie-key-file FILE      HELHED_OIDC_COOKIE_KEY_FILE: 64 hex\n"
	"                      digits sealing sign-ins in progress; needed when\n"
	"                      several instances serve one address (default: a\n"
	"                      random key per process)\n";

static const char usage_import[] =
	"Usage: helhed import DIR [--db FILE] [--users]\n"
	"\n"
	"Imports DIR (see docs/content-format.md). Existing articles are\n"
	"updated when they differ; a bad file is reported as FILE:LINE and\n"
	"skipped whole. Exit status 1 when any file was skipped.\n"
	"\n"
	"  --db FILE   SQLite database (HELHED_DB, default var/helhed.db)\n"
	"  --users     also import users.json (demo staff users)\n"
	"  --force-declarations  replace case systems an organisation has\n"
	"              declared already (case-systems.json); without it they\n"
	"              are kept, each said on stderr\n"
	"  --key-file FILE  keys for CPR numbers (HELHED_KEY_FILE)\n"
	"  --help      this text\n";

static const char usage_import_kle[] =
	"Usage: helhed import-kle FILE [--db FILE]\n"
	"\n"
	"Imports KL's KLE emneplan, the XML file a subscribing municipality\n"
	"downloads from KL (KLE-XML 2.0, root element KLE-Emneplan; see\n"
	"docs/content-format.md), so that the KLE numbers of articles, case\n"
	"types and cases are shown with their titles. In one transaction:\n"
	"new numbers are added, changed titles and days written, numbers the\n"
	"file no longer has marked out of use (never deleted). The same file\n"
	"again changes nothing. A bad file is reported as FILE:LINE and\n"
	"nothing is written (exit status 1).\n"
	"\n"
	"  --db FILE   SQLite database or postgresql:// address (HELHED_DB,\n"
	"              default var/helhed.db)\n"
	"  --key-file FILE  keys for CPR numbers (HELHED_KEY_FILE)\n"
	"  --help      this text\n";

static const char usage_export[] =
	"Usage: helhed export DIR [--db FILE]\n"
	"\n"
	"Writes organisations, life events, case types and every article to DIR\n"
	"in the canonical format, so that export, import, export gives the same\n"
	"files. Users, citizens and cases are not exported: no password hash\n"
	"and no CPR number, in clear or sealed, leaves the database this way.\n"
	"\n"
	"  --db FILE   SQLite database (HELHED_DB, default var/helhed.db)\n"
	"  --key-file FILE  keys for CPR numbers (HELHED_KEY_FILE)\n"
	"  --help      this text\n";

static const char usage_migrate[] =
	"Usage: helhed migrate [--db FILE] [--dry-run]\n"
	"\n"
	"Applies pending numbered migrations, seals CPR numbers stored before\n"
	"they were sealed, and prints the schema version. A database at a\n"
	"newer schema than this helhed's (a newer helhed used it) is refused:\n"
	"helhed does not downgrade. Back the database up before an upgrade\n"
	"(helhed backup; docs/backup.md).\n"
	"\n"
	"  --db FILE   SQLite database (HELHED_DB, default var/helhed.db)\n"
	"  --dry-run   list the migrations that would run (level and file)\n"
	"              and change nothing, not even the key file\n"
	"  --key-file FILE  keys for CPR numbers (HELHED_KEY_FILE)\n"
	"  --help      this text\n";

/* o-backup (issue 17) */
static const char usage_backup[] =
	"Usage: helhed backup FILE [--db DB] [--with-keys] [--key-file KEYS]\n"
	"                          [--step-pages N] [--pause-ms MS]\n"
	"\n"
	"Writes a consistent copy of the SQLite store DB to FILE, also while\n"
	"helhed serves it: SQLite's online backup API under one read\n"
	"transaction, so the copy holds every change committed before it\n"
	"began and none after, and the server's writers go on meanwhile. The\n"
	"copy is written beside FILE, must pass SQLite's integrity_check, is\n"
	"synced to disk and only then renamed to FILE: a failed backup leaves\n"
	"FILE as it was. Restore it with 'helhed restore FILE'.\n"
	"\n"
	"The key file the CPR numbers are sealed with is not in the database.\n"
	"With --with-keys it is copied to FILE.keys (mode 0600), so that the\n"
	"backup restores alone; keep FILE.keys as secret as the key file. Else\n"
	"back the key file up apart: without it the CPR numbers in a backup\n"
	"cannot be read.\n"
	"\n"
	"A PostgreSQL store is backed up with PostgreSQL's tools: pg_dump, or\n"
	"base backups with WAL archiving (docs/backup.md).\n"
	"\n"
	"  --db DB          SQLite database (HELHED_DB, default var/helhed.db)\n"
	"  --with-keys      also copy the key file to FILE.keys\n"
	"  --key-file KEYS  the key file (HELHED_KEY_FILE, default DB.keys)\n"
	"  --step-pages N   pages copied a step, 1-1000000 (default 1024: 4 MB\n"
	"                   with helhed's 4 KiB pages)\n"
	"  --pause-ms MS    a pause between steps, 0-1000 (default 0), to\n"
	"                   spread the copy's disk reads on a busy machine\n"
	"  --help           this text\n";

static const char usage_restore[] =
	"Usage: helhed restore FILE [--db DB] [--keys FILE.keys] [--key-file KEYS]\n"
	"\n"
	"Puts the backup FILE in place of the SQLite store DB. FILE is checked\n"
	"first: SQLite's integrity_check, that it is a helhed store, and that\n"
	"its schema is not newer than this helhed's (a downgrade is refused).\n"
	"It is then copied beside DB, migrated to this helhed's schema there,\n"
	"and its CPR numbers opened with the keys that belong to it; only then\n"
	"is it renamed over DB, in one step. The store it replaces is kept as\n"
	"DB.before-restore. When a check fails nothing is changed.\n"
	"\n"
	"Stop the server first: restore refuses a store that a helhed server\n"
	"or command has open (each holds a shared lock on the database file\n"
	"while it has it open; restore takes it exclusively).\n"
	"\n"
	"The keys: FILE.keys beside the backup ('helhed backup --with-keys')\n"
	"or --keys; they become the key file KEYS (the one they replace is\n"
	"kept as KEYS.before-restore). Without them the key file already at\n"
	"KEYS must hold the keys the backup's CPR numbers are sealed under,\n"
	"or the restore is refused and says so.\n"
	"\n"
	"  --db DB          the SQLite store to replace (HELHED_DB, default\n"
	"                   var/helhed.db)\n"
	"  --keys FILE      the key file backed up with FILE (default FILE.keys\n"
	"                   when there is one)\n"
	"  --key-file KEYS  the store's key file (HELHED_KEY_FILE, default\n"
	"                   DB.keys)\n"
	"  --help           this text\n";

/* the service figures */
static const char usage_figures_rebuild[] =
	"Usage: helhed figures-rebuild [--db FILE]\n"
	"\n"
	"Forgets the service figures' facts and aggregates and folds the\n"
	"whole event log again (docs/figures.md); the figures are the same\n"
	"afterwards unless the event log or the fold's rules changed.\n"
	"\n"
	"  --db FILE   SQLite database (HELHED_DB, default var/helhed.db)\n"
	"  --key-file FILE  keys for CPR numbers (HELHED_KEY_FILE)\n"
	"  --help      this text\n";

static const char usage_rotate[] =
	"Usage: helhed rotate-key [--db FILE] [--key-file FILE] [--batch N]\n"
	"\n"
	"Makes a new key for sealing CPR numbers and a new key for their look-up\n"
	"hash, saves them in the key file beside the old ones, re-seals and\n"
	"re-hashes every CPR number in the database under them (N rows per\n"
	"transaction), and then removes the old keys from the key file.\n"
	"\n"
	"Stop the server first and start it again after: a server still holding\n"
	"the old key file refuses to write cases and citizens once the rotation\n"
	"has finished. If rotate-key is stopped halfway, run it again: every row\n"
	"names its key, the old keys stay until no row needs them, and the next\n"
	"run goes on where this one stopped. Back up the new key file.\n"
	"\n"
	"  --db FILE        SQLite database (HELHED_DB, default var/helhed.db)\n"
	"  --key-file FILE  the key file (HELHED_KEY_FILE, default FILE.keys\n"
	"                   beside the database)\n"
	"  --batch N        rows per transaction, 1-100000 (default 500)\n"
	"  --help           this text\n";

static const char usage_print[] =
	"Usage: helhed print-batch [--day YYYY-MM-DD] [--db FILE] [--spool DIR]\n"
	"\n"
	"Makes the print batch: for each organisation, one PDF of every letter\n"
	"to a citizen exempt from Digital Post that is not printed yet, in\n"
	"SPOOL/print/DAY-ORGANISATION.pdf, and marks them printed. Running it\n"
	"again prints only letters that came since. `helhed serve` makes it\n"
	"every day at --print-time.\n"
	"\n"
	"  --day YYYY-MM-DD  the batch's date (default today, Danish time)\n"
	"  --db FILE         SQLite database (HELHED_DB, default var/helhed.db)\n"
	"  --spool DIR       spool folder (HELHED_SPOOL, default DB.spool)\n"
	"  --key-file FILE   keys for CPR numbers (HELHED_KEY_FILE)\n"
	"  --help            this text\n";

static const char usage_user[] =
	"Usage: helhed user add --email EMAIL --name NAME --organisation CODE\n"
	"                       --roles ROLE[,ROLE...] [--db FILE]\n"
	"\n"
	"Adds a staff user. Roles: agent, caseworker, editor, manager, admin.\n"
	"The password (8 characters or more) is read from HELHED_PASSWORD or,\n"
	"on a terminal, asked for without echo.\n";

static const char usage_token[] =
	"Usage: helhed token add --organisation CODE --name NAME\n"
	"                        --roles ROLE[,ROLE...] [--db FILE]\n"
	"\n"
	"Adds an API bearer token bound to the organisation and roles and\n"
	"prints it once; only its hash is stored. Roles: agent, caseworker,\n"
	"editor, manager, admin, and case-system for an authority's own case\n"
	"system reporting its cases (docs/external-cases.md).\n";

static const char usage_demo_year[] =
	"Usage: helhed demo-year [--db FILE] [--seed N] [--from YYYY-MM-DD]\n"
	"                        [--days N] [--scale F] [--content DIR]\n"
	"\n"
	"Generates a year of service data for the figures and the benchmark:\n"
	"901 Nordskov Kommune with 100,000 citizens (about 500,000 inquiries\n"
	"and 100,000 cases at scale 1), the agencies it works with, 902\n"
	"Aastrup and six made-up municipalities (903-908) of other sizes and\n"
	"service levels. Everything is written through the same functions as\n"
	"the running system, backdated, so the event log is what production\n"
	"would hold. The same options on an empty database give the same\n"
	"year. An empty database gets the demo content first (as the first\n"
	"start of 'helhed serve --demo'); a database that holds a generated\n"
	"year already is refused. Durability is relaxed while it runs\n"
	"(no fsync per commit): if it stops, delete the file and run again.\n"
	"See docs/demo-year.md.\n"
	"\n"
	"  --db FILE        SQLite database (HELHED_DB, default var/helhed.db)\n"
	"  --seed N         the generator's seed (default 1)\n"
	"  --from DATE      the first day (default: the first day of the month\n"
	"                   12 months before this month)\n"
	"  --days N         how many days, 1 to 1000 (default 365); the\n"
	"                   period must end by today\n"
	"  --scale F        volumes times F, above 0 and at most 10 (default\n"
	"                   1.0; 0.01 makes a small year)\n"
	"  --content DIR    content to load into an empty database (default\n"
	"                   content)\n"
	"  --key-file FILE  keys for CPR numbers (HELHED_KEY_FILE)\n"
	"  --help           this text\n"
	"\n"
	"Then: helhed serve --db FILE\n";

static int bad_usage(const char *cmd, const char *fmt, const char *arg)
{
	return hh_opts_usage_error(cmd, fmt, arg);
}

/* o-backup: a store at a newer schema than this build's, said the
 * same way by every command. */
static void schema_too_new(const char *cmd, const char *db, int current,
			   int latest)
{
	int restore = cmd && !strcmp(cmd, "restore");
	fprintf(stderr,
		"%s%s%s: %s is at schema version %d, newer than this helhed "
		"(%s) knows (%d): a newer helhed has used it. helhed does not "
		"downgrade a store: %s (docs/backup.md).\n",
		prog, cmd ? " " : "", cmd ? cmd : "", db, current, VERSION,
		latest,
		restore ? "restore it with that newer helhed, or restore a "
			  "backup taken before the upgrade"
			: "run the newer helhed again, or restore a backup "
			  "taken before the upgrade");
}

/* o-backup: after a failed open, whether the store is newer than this
 * build (printed as such); 0 when not, or when it cannot be read. */
static int explain_too_new(const char *cmd, const char *db)
{
	struct hh_store *raw;
	int current = 0, latest = 0, newer = 0;
	if (hh_store_open(db, 1, &raw) != HH_OK)
		return 0;
	if (hh_health_schema(raw, &current, &latest) == HH_OK &&
	    current > latest) {
		schema_too_new(cmd, db, current, latest);
		newer = 1;
	}
	hh_store_close(raw);
	return newer;
}

static int open_store(const char *db, int pool, struct hh_store **st)
{
	/* pg-base: the key file's default lies beside a database file; a
	 * PostgreSQL address has no "beside" */
	if (hh_store_is_postgres(db) && !key_file) {
		fprintf(stderr, "%s: with a PostgreSQL database, give the key "
			"file: --key-file FILE (HELHED_KEY_FILE)\n", prog);
		return 1;
	}
	/* Create the folder of the default location; others must exist. */
	if (!strcmp(db, "var/helhed.db"))
		mkdir("var", 0755);
	const char *stage;
	enum hh_rc rc = hh_health_open(db, key_file, pool, st, NULL, &stage);
	if (rc == HH_ERR_INVALID && !strcmp(stage, "migrate") &&
	    explain_too_new(NULL, db))
		return 1;
	if (rc != HH_OK) {
		fprintf(stderr, "%s: cannot %s the database %s (%s)\n", prog,
			stage, db, hh_rc_name(rc));
		return 1;
	}
	return 0;
}

/* ---- progress bar ---------------------------------------------------- */

static void progress_bar(void *ctx, int done, int total)
{
	(void)ctx;
	static int last = -1;
	if (total <= 0)
		return;
	int pct = (int)((long)done * 100 / total);
	if (pct == last && done != total)
		return;
	last = pct;
	char bar[41];
	int fill = pct * 40 / 100;
	for (int i = 0; i < 40; i++)
		bar[i] = i < fill ? '#' : '.';
	bar[40] = 0;
	fprintf(stderr, "\r[%s] %3d%%  %d/%d articles", bar, pct, done, total);
	if (done == total)
		fputc('\n', stderr);
	fflush(stderr);
}

static void print_stats(const struct hh_import_stats *s)
{
	printf("imported: %d organisations, %d users, %d demo citizens, "
	       "%d case types, %d life events; articles: %d new, %d updated, "
	       "%d unchanged, %d files skipped\n",
	       s->organisations, s->users, s->citizens, s->case_types,
	       s->life_events, s->articles_created,
	       s->articles_updated, s->articles_unchanged, s->files_failed);
}

/* ---- serve ----------------------------------------------------------- */

static void print_demo_users(const char *content)
{
	char path[4096];
	snprintf(path, sizeof(path), "%s/users.json", content);
	json_error_t e;
	json_t *users = json_load_file(path, 0, &e);
	if (!json_is_array(users)) {
		json_decref(users);
		return;
	}
	printf("Demo sign-in for staff at /log-ind (demo passwords, never use "
	       "in production):\n");
	size_t i;
	json_t *u;
	json_array_foreach(users, i, u)
	{
		json_t *roles = json_object_get(u, "roles");
		printf("  %-32s %-14s %s (%s)\n",
		       json_string_value(json_object_get(u, "email")),
		       json_string_value(json_object_get(u, "password")),
		       json_string_value(json_array_get(roles, 0)),
		       json_string_value(json_object_get(u, "organisation")));
	}
	json_decref(users);
	snprintf(path, sizeof(path), "%s/citizens.json", content);
	json_t *cits = json_load_file(path, 0, &e);
	if (json_array_size(cits)) {
		printf("Demo sign-in for citizens at /borger/log-ind (clearly marked, "
		       "only with --demo):\n");
		json_array_foreach(cits, i, u)
			printf("  %s (%s)\n",
			       json_string_value(json_object_get(u, "name")),
			       json_string_value(json_object_get(u, "municipality")));
	}
	json_decref(cits);
}

/* The search engine: analyser, synonyms and the index built from the
 * store. Prints what it did on stdout when verbose. */
struct engine {
	struct hh_analyzer an;
	struct hh_synonyms syn;
	struct hh_index *index;
	struct hh_index_follower *follow; /* keeps index current */
	struct hh_search_tuning *tuning; /* s-edit: synonyms, pins */
};

static int engine_start(struct engine *e, struct hh_store *st,
			const char *dict, const char *synonyms, int verbose)
{
	int64_t t0 = hh_mono_us();
	long words = hh_analyzer_init(&e->an, dict);
	if (words < 0)
		fprintf(stderr, "%s: warning: no word list at %s, so compound "
				"words are not split (install wdanish)\n",
			prog, dict);
	long rules = hh_synonyms_load(&e->syn, &e->an, synonyms, stderr);
	if (rules < 0)
		fprintf(stderr, "%s: warning: no synonyms at %s\n", prog, synonyms);
	e->index = hh_index_new(&e->an, &e->syn);
	int64_t t1 = hh_mono_us();
	enum hh_rc rc = hh_index_build(e->index, st);
	if (rc != HH_OK) {
		fprintf(stderr, "%s: cannot build the search index (%s)\n", prog,
			hh_rc_name(rc));
		return 1;
	}
	/* Articles changed from now on (by the API, the editor's pages)
	 * reach the index through the store's change callbacks. */
	if (hh_index_follow(e->index, st, &e->follow) != HH_OK) {
		fprintf(stderr, "%s: cannot follow the store's changes\n", prog);
		return 1;
	}
	/* s-edit: the synonyms live in the store (the file seeds it on the
	 * first start) and take effect at once when an editor adds one;
	 * editors' pinned queries come first */
	int seeded = 0;
	if (hh_synonyms_seed(st, &e->an, synonyms, 1, NULL, &seeded) != HH_OK ||
	    hh_search_tuning_start(e->index, st, &e->an, &e->tuning) != HH_OK) {
		fprintf(stderr, "%s: cannot load the synonyms and pinned queries "
				"from the store\n", prog);
		return 1;
	}
	if (verbose) {
		struct hh_index_stats is;
		hh_index_stats(e->index, &is);
		printf("search index: %zu articles, %zu terms in %.1f ms "
		       "(word list and synonyms %.1f ms)\n",
		       is.live_docs, is.terms,
		       (double)(hh_mono_us() - t1) / 1000.0,
		       (double)(t1 - t0) / 1000.0);
	}
	return 0;
}

static void engine_stop(struct engine *e)
{
	hh_search_tuning_stop(e->tuning); /* s-edit */
	hh_index_unfollow(e->follow);
	hh_index_free(e->index);
	hh_synonyms_clear(&e->syn);
	hh_analyzer_clear(&e->an);
}

/* On the first start of an empty database, imports the content folder
 * (with demo users when demo) and notes that it did. Returns 0, or 1
 * after printing why not. */
static int first_start(struct hh_store *st, const char *db,
		       const char *content, int demo)
{
	int loaded = 0;
	enum hh_rc rc = hh_health_content_loaded(st, &loaded);
	if (rc != HH_OK) {
		fprintf(stderr, "%s: cannot read %s (%s)\n", prog, db,
			hh_rc_name(rc));
		return 1;
	}
	if (loaded || !content)
		return 0;
	/* A mistyped folder must not mark the database as loaded with
	 * nothing in it: later starts would never import. */
	struct stat cs;
	if (stat(content, &cs) != 0 || !S_ISDIR(cs.st_mode)) {
		fprintf(stderr, "%s: no content folder '%s'\n", prog, content);
		return 1;
	}
	struct hh_import_stats stats;
	printf("First start: importing %s into %s ...\n", content, db);
	rc = hh_content_import(st, content, demo, stderr,
			       isatty(2) ? progress_bar : NULL, NULL, &stats);
	print_stats(&stats);
	if (rc != HH_OK && rc != HH_ERR_INVALID) {
		fprintf(stderr, "%s: import failed (%s)\n", prog, hh_rc_name(rc));
		return 1;
	}
	if (demo) { /* a few working days of inquiries (domain/demo.h) */
		struct hh_demo_stats ds;
		rc = hh_demo_inquiries(st, content, hh_now_us() / 1000000, stderr,
				       &ds);
		if (rc != HH_OK) /* the demo works without them */
			fprintf(stderr, "%s: demo inquiries not made (%s)\n", prog,
				hh_rc_name(rc));
		else if (!ds.already)
			printf("demo inquiries: %d in %d organisations, %d chats, "
			       "%d cases created at the desk\n",
			       ds.inquiries, ds.organisations, ds.chats, ds.cases);
		/* letters: some of those cases decided, their letters sent */
		int n_letters = 0;
		rc = hh_demo_letters(st, stderr, &n_letters);
		if (rc != HH_OK)
			fprintf(stderr, "%s: demo letters not made (%s)\n", prog,
				hh_rc_name(rc));
		else if (n_letters)
			printf("demo letters: %d decided cases with their letters "
			       "sent\n", n_letters);
		/* letters in the demo citizens' inboxes (domain/demoletters.h) */
		int letters = 0;
		rc = hh_demo_inbox_letters(st, hh_now_us() / 1000000, stderr, &letters);
		if (rc != HH_OK) /* the demo works without them */
			fprintf(stderr, "%s: demo letters not made (%s)\n", prog,
				hh_rc_name(rc));
		else if (letters)
			printf("demo letters: %d in the demo citizens' inboxes\n",
			       letters);
	}
	hh_health_mark_content_loaded(st);
	return 0;
}

/* ---- o-deb (issue 17): the configuration file, secrets, systemd ------- */

#define HH_CONF_DEFAULT "/etc/helhed/helhed.conf"

/* Reads the secret in the file at path (one line; the spaces and line
 * end around it dropped) into *out (new). A file anyone may read is
 * refused. Returns 0, or 2 after printing why. */
static int read_secret(const char *what, const char *path, char **out)
{
	*out = NULL;
	FILE *f = fopen(path, "r");
	struct stat st;
	if (!f || fstat(fileno(f), &st) != 0) {
		fprintf(stderr, "%s serve: cannot read %s from %s (%s); not "
			"started\n", prog, what, path, strerror(errno));
		if (f)
			fclose(f);
		return 2;
	}
	if (st.st_mode & (S_IROTH | S_IWOTH)) {
		fprintf(stderr, "%s serve: %s in %s may be read by anyone (mode "
			"%04o): make it mode 0640 or 0600, readable by the "
			"service user only; not started\n", prog, what, path,
			(unsigned)(st.st_mode & 07777));
		fclose(f);
		return 2;
	}
	char buf[4096];
	size_t n = fread(buf, 1, sizeof(buf) - 1, f);
	fclose(f);
	buf[n] = '\0';
	char *s = buf;
	while (*s == ' ' || *s == '\t' || *s == '\n' || *s == '\r')
		s++;
	size_t len = strlen(s);
	while (len && (s[len - 1] == ' ' || s[len - 1] == '\t' ||
		       s[len - 1] == '\n' || s[len - 1] == '\r'))
		len--;
	s[len] = '\0';
	if (!len || strchr(s, '\n')) {
		fprintf(stderr, "%s serve: %s in %s must be one line, not %s; not "
			"started\n", prog, what, path, len ? "several" : "empty");
		sodium_memzero(buf, sizeof(buf));
		return 2;
	}
	*out = hh_xstrdup(s);
	sodium_memzero(buf, sizeof(buf));
	return 0;
}

/* systemd (Type=notify): a line to $NOTIFY_SOCKET when there is one;
 * nothing otherwise (sd_notify does nothing without the variable). */
static void notify(const char *state)
{
	int r = sd_notify(0, state);
	if (r < 0)
		hh_log(HH_LOG_WARN, "cannot tell systemd '%s' (%s)", state,
		       strerror(-r));
}

/* ---- t-main: the options of every command, one table ------------------ */

/* The commands, as bits of hh_opt.commands. */
enum {
	C_SERVE = 1u << 0,
	C_IMPORT = 1u << 1,
	C_KLE = 1u << 2,
	C_EXPORT = 1u << 3,
	C_MIGRATE = 1u << 4,
	C_BACKUP = 1u << 5,
	C_RESTORE = 1u << 6,
	C_FIGURES = 1u << 7,
	C_USER = 1u << 8,
	C_TOKEN = 1u << 9,
	C_SEARCH = 1u << 10,
	C_ROTATE = 1u << 11,
	C_PRINT = 1u << 12,
	C_YEAR = 1u << 13,
	C_COPY = 1u << 14,
	/* every command that opens the store: --db and --key-file */
	C_STORE = C_SERVE | C_IMPORT | C_KLE | C_EXPORT | C_MIGRATE | C_BACKUP |
		  C_RESTORE | C_FIGURES | C_USER | C_TOKEN | C_SEARCH | C_ROTATE |
		  C_PRINT | C_YEAR,
	C_ALL = C_STORE | C_COPY,
};

/* What the flags, the environment and helhed.conf say, for any command;
 * a command reads the fields its options fill (opts[] below). */
struct settings {
	const char *db, *key_file;
	/* serve */
	const char *listen, *log_level, *content, *web, *dict, *synonyms;
	const char *public_url, *secure, *trusted_proxies, *write_limits;
	const char *spool, *print_time, *secret_file[3];
	struct hh_opt_num threads, per_client, body_memory, webhooks_keep;
	int demo, quiet, trust_proxy, webhooks_http, password_login;
	int secret_post;
	struct hh_oidc_config oc;
	/* what the checks made of them */
	char public_buf[512];
	int public_https, level, print_minute;
	long write_limit[3];
	/* the other commands */
	int users, force, dry_run, with_keys, json, staff;
	struct hh_opt_num step, pause_ms, batch, limit, days;
	const char *keys_in, *email, *name, *org, *roles, *municipality;
	const char *day, *seed, *from, *scale, *copy_from, *copy_to;
	struct hh_demo_year_opts year;
};

#define AT(f) offsetof(struct settings, f)
#define CITIZEN oc.client[HH_OIDC_CITIZEN]
#define STAFF oc.client[HH_OIDC_STAFF]

static int check_listen(void *sv, const struct hh_opt *o, const char *cmd)
{
	struct settings *s = sv;
	if (!strchr(s->listen, ':'))
		return bad_usage(cmd, "--listen must be HOST:PORT, not '%s'",
				 s->listen);
	return 0;
}

/* o-tls (issue 17): the trusted proxies; --trust-proxy, the old
 * switch that believed anyone's headers, now means loopback only,
 * which is what its one documented use (a proxy on this machine)
 * needed; an explicit list wins over it */
static int check_trust_proxy(void *sv, const struct hh_opt *o, const char *cmd)
{
	struct settings *s = sv;
	const char *listen = s->listen; /* checked before: HOST:PORT */
	if (s->trust_proxy && !s->trusted_proxies) {
		/* r-tls: on an address other machines reach, the old switch
		 * meant a balancer elsewhere (postgres-ops.md said so); now
		 * it would be one client for every limit and capped at
		 * max_conn_per_client connections: refused, not degraded */
		int host_n = (int)(strrchr(listen, ':') - listen);
		int loopback = (host_n == 9 && !strncmp(listen, "localhost", 9)) ||
			       (host_n > 4 && !strncmp(listen, "127.", 4));
		if (!loopback)
			return bad_usage("serve", "--trust-proxy now believes only a "
					 "proxy on this machine, but helhed listens "
					 "on %s: give the proxies' addresses in "
					 "trusted_proxies (--trusted-proxies, "
					 "HELHED_TRUSTED_PROXIES) instead (docs/tls.md)",
					 listen);
		hh_log(HH_LOG_WARN, "--trust-proxy (trust_proxy, HELHED_TRUST_PROXY) "
		       "is deprecated: it means --trusted-proxies "
		       "127.0.0.0/8,::1 (a proxy on this machine); give that");
		s->trusted_proxies = "127.0.0.0/8 ::1";
	}
	return 0;
}

static int check_trusted_proxies(void *sv, const struct hh_opt *o,
				 const char *cmd)
{
	struct settings *s = sv;
	const char *trusted_proxies = s->trusted_proxies;
	if (trusted_proxies) {
		struct hh_netlist nets;
		char why[200];
		if (hh_netlist_parse(trusted_proxies, &nets, why, sizeof(why)))
			return bad_usage("serve", "--trusted-proxies: %s", why);
	}
	return 0;
}

static int check_write_limits(void *sv, const struct hh_opt *o,
			      const char *cmd)
{
	struct settings *s = sv;
	const char *write_limits = s->write_limits;
	long *wl = s->write_limit;
	if (sscanf(write_limits, "%ld/%ld/%ld", &wl[0], &wl[1], &wl[2]) != 3 ||
	    wl[0] < 0 || wl[1] < 0 || wl[2] < 0 || wl[0] > 1000000 ||
	    wl[1] > 1000000 || wl[2] > 1000000 ||
	    strspn(write_limits, "0123456789/") != strlen(write_limits))
		return bad_usage(cmd,
				 "--write-limits must be CLIENT/ACCOUNT/TOKEN writes "
				 "a minute, not '%s'",
				 write_limits);
	return 0;
}

static int check_secure_cookies(void *sv, const struct hh_opt *o,
				const char *cmd)
{
	struct settings *s = sv;
	if (s->secure && strcmp(s->secure, "0") && strcmp(s->secure, "1"))
		return bad_usage(cmd, "HELHED_SECURE_COOKIES must be 0 or 1, not '%s'",
				 s->secure);
	return 0;
}

/* o-tls: the public address is the base of every absolute link,
 * so it is an origin: scheme, host and port, no path (the pages
 * link from /; a path here would not be served), one trailing
 * slash dropped */
static int check_public_url(void *sv, const struct hh_opt *o, const char *cmd)
{
	struct settings *s = sv;
	const char *public_url = s->public_url, *secure_s = s->secure;
	char *public_buf = s->public_buf;
	if (public_url) {
		size_t n = strlen(public_url);
		if (n && public_url[n - 1] == '/')
			n--;
		int https = !strncmp(public_url, "https://", 8);
		const char *host = public_url + (https ? 8 : 7);
		size_t host_n = n >= (size_t)(host - public_url)
					? n - (size_t)(host - public_url) : 0;
		if ((!https && strncmp(public_url, "http://", 7)) || !host_n ||
		    n >= sizeof(s->public_buf) ||
		    strcspn(host, "/?#@ \t\\\"'<>") < host_n)
			return bad_usage("serve", "--public-url must be http(s)://HOST "
					 "or http(s)://HOST:PORT, without a path, "
					 "not '%s'", public_url);
		snprintf(public_buf, sizeof(s->public_buf), "%.*s", (int)n, public_url);
		public_url = public_buf;
	}
	int public_https = public_url && !strncmp(public_url, "https://", 8);
	if (public_https && secure_s && !strcmp(secure_s, "0"))
		return bad_usage("serve", "--no-secure-cookies (secure_cookies = no) "
				 "with the https public URL %s: cookies sent over "
				 "https are always Secure", public_url);
	s->public_url = public_url;
	s->public_https = public_https;
	return 0;
}

/* o-deb: the level of the log lines; below info, no request lines */
static int check_log_level(void *sv, const struct hh_opt *o, const char *cmd)
{
	struct settings *s = sv;
	static const char *const level_names[] = { "debug", "info", "warn",
						   "error" };
	s->level = -1;
	for (int i = 0; i < 4; i++)
		if (!strcmp(s->log_level, level_names[i]))
			s->level = i;
	if (s->level < 0)
		return bad_usage(cmd, "--log-level must be debug, info, warn "
				 "or error, not '%s'", s->log_level);
	return 0;
}

/* the OpenID Connect secrets, by file only (a secret given as a value,
 * by flag or variable, is refused: HH_OPT_REFUSED); kept to the end of
 * the process */
static char *serve_secrets[3];

static int check_secret_file(void *sv, const struct hh_opt *o, const char *cmd)
{
	struct settings *s = sv;
	static const char *const secret_what[3] = {
		"the citizens' OpenID Connect client secret",
		"the staff's OpenID Connect client secret",
		"the OpenID Connect cookie key"
	};
	const char **dest[3] = { &s->oc.client[HH_OIDC_CITIZEN].client_secret,
				 &s->oc.client[HH_OIDC_STAFF].client_secret,
				 &s->oc.cookie_key };
	int i = (int)((o->at - AT(secret_file)) / sizeof(s->secret_file[0]));
	if (!s->secret_file[i])
		return 0;
	free(serve_secrets[i]);
	if (read_secret(secret_what[i], s->secret_file[i], &serve_secrets[i]))
		return 2;
	*dest[i] = serve_secrets[i];
	return 0;
}

static int check_print_time(void *sv, const struct hh_opt *o, const char *cmd)
{
	struct settings *s = sv;
	int ph, pm;
	char pend;
	s->print_minute = -1;
	if (strcmp(s->print_time, "off")) {
		if (sscanf(s->print_time, "%d:%d%c", &ph, &pm, &pend) != 2 ||
		    ph < 0 || ph > 23 || pm < 0 || pm > 59)
			return bad_usage(cmd, "--print-time must be HH:MM or off, "
					 "not '%s'", s->print_time);
		s->print_minute = ph * 60 + pm;
	}
	return 0;
}

static int check_day(void *sv, const struct hh_opt *o, const char *cmd)
{
	struct settings *s = sv;
	int64_t t;
	if (s->day && (strlen(s->day) != 10 || !hh_iso8601_parse(s->day, &t)))
		return bad_usage(cmd, "--day must be YYYY-MM-DD, not '%s'", s->day);
	return 0;
}

static int check_seed(void *sv, const struct hh_opt *o, const char *cmd)
{
	struct settings *s = sv;
	const char *seed_s = s->seed;
	char *end;
	errno = 0;
	s->year.seed = strtoull(seed_s, &end, 10);
	if (*end || !*seed_s || *seed_s == '-' || errno)
		return bad_usage(cmd, "--seed must be a whole number, not '%s'",
				 seed_s);
	return 0;
}

static int check_scale(void *sv, const struct hh_opt *o, const char *cmd)
{
	struct settings *s = sv;
	char *end;
	s->year.scale = strtod(s->scale, &end);
	if (*end || !(s->year.scale > 0) || s->year.scale > 10)
		return bad_usage(cmd,
				 "--scale must be above 0 and at most 10, not '%s'",
				 s->scale);
	return 0;
}

/* demo-year's first day; with --days (checked before it), a year of the
 * past: figures of days to come would be invented */
static int check_from(void *sv, const struct hh_opt *o, const char *cmd)
{
	struct settings *s = sv;
	const char *from_s = s->from;
	struct hh_demo_year_opts *yo = &s->year;
	yo->days = (int)s->days.value;
	if (from_s) {
		int y, m, d;
		char tail;
		if (strlen(from_s) != 10 ||
		    sscanf(from_s, "%4d-%2d-%2d%c", &y, &m, &d, &tail) != 3 ||
		    m < 1 || m > 12 || d < 1 || d > 31)
			return bad_usage(cmd,
					 "--from must be a date YYYY-MM-DD, not '%s'", from_s);
		yo->from_day = hh_days_from_civil(y, m, d);
		int64_t yy;
		int mm, dd;
		hh_civil_from_days(yo->from_day, &yy, &mm, &dd);
		if (mm != m || dd != d)
			return bad_usage(cmd, "--from: no such date '%s'", from_s);
	} else {
		yo->from_day = hh_demo_year_default_from(hh_now_us() / 1000000);
	}
	int64_t today = hh_dk_local(hh_now_us() / 1000000) / 86400;
	if (yo->from_day + yo->days > today + 1)
		return bad_usage(cmd, "%s", "--from and --days must end by today");
	return 0;
}

#define STR(cmds, flag, env, conf, ct, field, def)                          \
	{ cmds, flag, HH_OPT_STR, env, conf, ct, 0, 0, AT(field), def, 0,    \
	  NULL, 0, NULL }
#define CHECKED(cmds, flag, env, conf, ct, field, def, check)               \
	{ cmds, flag, HH_OPT_STR, env, conf, ct, 0, 0, AT(field), def, 0,    \
	  NULL, 0, check }
#define NUM(cmds, flag, env, conf, field, def, min, max)                    \
	{ cmds, flag, HH_OPT_INT, env, conf, HH_CONF_INT, min, max,          \
	  AT(field), def, 0, NULL, 0, NULL }
#define SWITCH(cmds, flag, env, conf, field, on)                            \
	{ cmds, flag, HH_OPT_SWITCH, env, conf, HH_CONF_BOOL, 0, 0,          \
	  AT(field), NULL, on, NULL, 0, NULL }
#define REFUSED(flag, env)                                                  \
	{ C_SERVE, flag, HH_OPT_REFUSED, env, NULL, 0, 0, 0, 0, NULL, 0,     \
	  NULL, 0, NULL }
/* a variable and helhed.conf key that no flag sets (read elsewhere) */
#define ENV_ONLY(env, conf, ct, min, max)                                   \
	{ 0, NULL, HH_OPT_STR, env, conf, ct, min, max, 0, NULL, 0, NULL, 0, \
	  NULL }

/* Every option of every command: its flag, its HELHED_* variable and
 * helhed.conf key (docs/operations.md lists them), where it goes, its
 * default and its check. The checks run in this order, so that each
 * command reports the first bad value as it always did. */
static const struct hh_opt opts[] = {
	/* --config is read by serve_config before anything else */
	{ C_SERVE, "config", HH_OPT_IGNORED, NULL, NULL, 0, 0, 0, 0, NULL, 0,
	  NULL, 0, NULL },
	STR(C_STORE, "db", "HELHED_DB", "db", HH_CONF_STR, db, "var/helhed.db"),
	ENV_ONLY("HELHED_DB_POOL", "db_pool", HH_CONF_INT, 1, 1024),
	STR(C_STORE, "key-file", "HELHED_KEY_FILE", "key_file", HH_CONF_SECRET,
	    key_file, NULL),
	/* serve, in the order of its checks */
	NUM(C_SERVE, "threads", "HELHED_THREADS", "threads", threads, "4", 1,
	    256),
	CHECKED(C_SERVE, "listen", "HELHED_LISTEN", "listen", HH_CONF_HOSTPORT,
		listen, "127.0.0.1:8080", check_listen),
	{ C_SERVE, "trust-proxy", HH_OPT_SWITCH, "HELHED_TRUST_PROXY",
	  "trust_proxy", HH_CONF_BOOL, 0, 0, AT(trust_proxy), NULL, 1, NULL, 0,
	  check_trust_proxy },
	CHECKED(C_SERVE, "trusted-proxies", "HELHED_TRUSTED_PROXIES",
		"trusted_proxies", HH_CONF_NETS, trusted_proxies, NULL,
		check_trusted_proxies),
	NUM(C_SERVE, "max-conn-per-client", "HELHED_MAX_CONN_PER_CLIENT",
	    "max_conn_per_client", per_client, "64", 0, 100000),
	{ C_SERVE, "body-memory", HH_OPT_INT, "HELHED_BODY_MEMORY",
	  "body_memory", HH_CONF_INT, 1, 65536, AT(body_memory), "64", 0,
	  " MB", 0, NULL },
	CHECKED(C_SERVE, "write-limits", "HELHED_WRITE_LIMITS", "write_limits",
		HH_CONF_LIMITS, write_limits, "600/120/6000", check_write_limits),
	/* HELHED_SECURE_COOKIES, "1" or "0", or the flags */
	{ C_SERVE, "secure-cookies", HH_OPT_CONST, "HELHED_SECURE_COOKIES",
	  "secure_cookies", HH_CONF_BOOL, 0, 0, AT(secure), "1", 0, NULL, 0,
	  check_secure_cookies },
	{ C_SERVE, "no-secure-cookies", HH_OPT_CONST, NULL, NULL, 0, 0, 0,
	  AT(secure), "0", 0, NULL, 0, NULL },
	CHECKED(C_SERVE, "public-url", "HELHED_PUBLIC_URL", "public_url",
		HH_CONF_URL, public_url, NULL, check_public_url),
	CHECKED(C_SERVE, "log-level", "HELHED_LOG_LEVEL", "log_level",
		HH_CONF_LEVEL, log_level, "info", check_log_level),
	CHECKED(C_SERVE, "oidc-citizen-client-secret-file",
		"HELHED_OIDC_CITIZEN_CLIENT_SECRET_FILE",
		"oidc_citizen_client_secret_file", HH_CONF_SECRET,
		secret_file[0], NULL, check_secret_file),
	CHECKED(C_SERVE, "oidc-staff-client-secret-file",
		"HELHED_OIDC_STAFF_CLIENT_SECRET_FILE",
		"oidc_staff_client_secret_file", HH_CONF_SECRET, secret_file[1],
		NULL, check_secret_file),
	CHECKED(C_SERVE, "oidc-cookie-key-file", "HELHED_OIDC_COOKIE_KEY_FILE",
		"oidc_cookie_key_file", HH_CONF_SECRET, secret_file[2], NULL,
		check_secret_file),
	CHECKED(C_SERVE, "print-time", "HELHED_PRINT_TIME", "print_time",
		HH_CONF_TIME, print_time, "14:00", check_print_time),
	NUM(C_SERVE, "webhooks-keep-days", "HELHED_WEBHOOKS_KEEP_DAYS",
	    "webhooks_keep_days", webhooks_keep, "30", 1, 3650),
	/* serve, unchecked here */
	SWITCH(C_SERVE, "demo", "HELHED_DEMO", "demo", demo, 1),
	SWITCH(C_SERVE, "quiet", "HELHED_QUIET", "quiet", quiet, 1),
	SWITCH(C_SERVE, "no-password-login", "HELHED_PASSWORD_LOGIN",
	       "password_login", password_login, 0),
	SWITCH(C_SERVE, "webhooks-allow-http-loopback", NULL, NULL,
	       webhooks_http, 1),
	STR(C_SERVE, "content", "HELHED_CONTENT", "content", HH_CONF_STR,
	    content, NULL),
	STR(C_SERVE, "web", "HELHED_WEB", "web", HH_CONF_STR, web, "web"),
	STR(C_SERVE | C_SEARCH, "dict", "HELHED_DICT", "dict", HH_CONF_STR, dict,
	    "/usr/share/dict/danish"),
	STR(C_SERVE, "synonyms", "HELHED_SYNONYMS", "synonyms", HH_CONF_STR,
	    synonyms, NULL),
	STR(C_SEARCH, "synonyms", "HELHED_SYNONYMS", NULL, 0, synonyms,
	    "content/synonyms.txt"),
	ENV_ONLY("HELHED_HYPHEN_DICT", "hyphen_dict", HH_CONF_STR, 0, 0),
	ENV_ONLY("HELHED_CHAT_LIMITS", "chat_limits", HH_CONF_STR, 0, 0),
	STR(C_SERVE | C_PRINT, "spool", "HELHED_SPOOL", "spool", HH_CONF_STR,
	    spool, NULL),
	/* serve: OpenID Connect */
	STR(C_SERVE, "oidc-citizen-issuer", "HELHED_OIDC_CITIZEN_ISSUER",
	    "oidc_citizen_issuer", HH_CONF_URL, CITIZEN.issuer, NULL),
	STR(C_SERVE, "oidc-citizen-client-id", "HELHED_OIDC_CITIZEN_CLIENT_ID",
	    "oidc_citizen_client_id", HH_CONF_STR, CITIZEN.client_id,
	    NULL),
	REFUSED("oidc-citizen-client-secret",
		"HELHED_OIDC_CITIZEN_CLIENT_SECRET"),
	STR(C_SERVE, "oidc-citizen-redirect-base",
	    "HELHED_OIDC_CITIZEN_REDIRECT_BASE", "oidc_citizen_redirect_base",
	    HH_CONF_URL, CITIZEN.redirect_base, NULL),
	STR(C_SERVE, "oidc-citizen-scope", "HELHED_OIDC_CITIZEN_SCOPE",
	    "oidc_citizen_scope", HH_CONF_STR, CITIZEN.scope, NULL),
	STR(C_SERVE, "oidc-staff-issuer", "HELHED_OIDC_STAFF_ISSUER",
	    "oidc_staff_issuer", HH_CONF_URL, STAFF.issuer, NULL),
	STR(C_SERVE, "oidc-staff-client-id", "HELHED_OIDC_STAFF_CLIENT_ID",
	    "oidc_staff_client_id", HH_CONF_STR, STAFF.client_id, NULL),
	REFUSED("oidc-staff-client-secret", "HELHED_OIDC_STAFF_CLIENT_SECRET"),
	STR(C_SERVE, "oidc-staff-redirect-base",
	    "HELHED_OIDC_STAFF_REDIRECT_BASE", "oidc_staff_redirect_base",
	    HH_CONF_URL, STAFF.redirect_base, NULL),
	STR(C_SERVE, "oidc-staff-scope", "HELHED_OIDC_STAFF_SCOPE",
	    "oidc_staff_scope", HH_CONF_STR, STAFF.scope, NULL),
	STR(C_SERVE, "oidc-staff-groups", "HELHED_OIDC_STAFF_GROUPS",
	    "oidc_staff_groups", HH_CONF_STR, oc.staff_groups, NULL),
	STR(C_SERVE, "oidc-groups-claim", "HELHED_OIDC_GROUPS_CLAIM",
	    "oidc_groups_claim", HH_CONF_STR, oc.groups_claim, NULL),
	STR(C_SERVE, "oidc-loa-claim", "HELHED_OIDC_LOA_CLAIM",
	    "oidc_loa_claim", HH_CONF_STR, oc.loa_claim, NULL),
	STR(C_SERVE, "oidc-cpr-claim", "HELHED_OIDC_CPR_CLAIM",
	    "oidc_cpr_claim", HH_CONF_STR, oc.cpr_claim, NULL),
	REFUSED("oidc-cookie-key", "HELHED_OIDC_COOKIE_KEY"),
	SWITCH(C_SERVE, "oidc-secret-post", "HELHED_OIDC_SECRET_POST",
	       "oidc_secret_post", secret_post, 1),
	/* import */
	SWITCH(C_IMPORT, "users", NULL, NULL, users, 1),
	SWITCH(C_IMPORT, "force-declarations", NULL, NULL, force, 1),
	/* migrate */
	SWITCH(C_MIGRATE, "dry-run", NULL, NULL, dry_run, 1),
	/* backup, restore */
	SWITCH(C_BACKUP, "with-keys", NULL, NULL, with_keys, 1),
	NUM(C_BACKUP, "step-pages", NULL, NULL, step, "1024", 1, 1000000),
	{ C_BACKUP, "pause-ms", HH_OPT_INT, NULL, NULL, 0, 0, 1000,
	  AT(pause_ms), "0", 0, NULL, HH_OPT_EMPTY_ZERO, NULL },
	STR(C_RESTORE, "keys", NULL, NULL, 0, keys_in, NULL),
	/* user, token; --email is the user's, and a token refuses it
	 * after taking its value, as it always did */
	STR(C_USER, "email", NULL, NULL, 0, email, NULL),
	{ C_TOKEN, "email", HH_OPT_UNKNOWN, NULL, NULL, 0, 0, 0, 0, NULL, 0,
	  NULL, 0, NULL },
	STR(C_USER | C_TOKEN, "name", NULL, NULL, 0, name, NULL),
	STR(C_USER | C_TOKEN, "organisation", NULL, NULL, 0, org, NULL),
	STR(C_USER | C_TOKEN, "roles", NULL, NULL, 0, roles, NULL),
	/* search */
	SWITCH(C_SEARCH, "json", NULL, NULL, json, 1),
	SWITCH(C_SEARCH, "staff", NULL, NULL, staff, 1),
	STR(C_SEARCH, "municipality", NULL, NULL, 0, municipality, NULL),
	NUM(C_SEARCH, "limit", NULL, NULL, limit, "10", 1, 100),
	/* rotate-key, print-batch */
	NUM(C_ROTATE, "batch", NULL, NULL, batch, "500", 1, 100000),
	CHECKED(C_PRINT, "day", NULL, NULL, 0, day, NULL, check_day),
	/* demo-year, in the order of its checks */
	CHECKED(C_YEAR, "seed", NULL, NULL, 0, seed, "1", check_seed),
	NUM(C_YEAR, "days", NULL, NULL, days, "365", 1, 1000),
	CHECKED(C_YEAR, "scale", NULL, NULL, 0, scale, "1.0", check_scale),
	CHECKED(C_YEAR, "from", NULL, NULL, 0, from, NULL, check_from),
	STR(C_YEAR, "content", NULL, NULL, 0, content, "content"),
	/* copy */
	STR(C_COPY, "from", NULL, NULL, 0, copy_from, NULL),
	STR(C_COPY, "to", NULL, NULL, 0, copy_to, NULL),
	SWITCH(C_COPY, "quiet", NULL, NULL, quiet, 1),
	{ C_ALL, "help", HH_OPT_HELP, NULL, NULL, 0, 0, 0, 0, NULL, 0, NULL, 0,
	  NULL },
	{ 0 }
};

/* Loads the configuration file into the environment (core/conf.h):
 * --config FILE (or --config=FILE; serve only), else HELHED_CONFIG, else
 * /etc/helhed/helhed.conf when it exists; "none" reads no file. The other
 * commands read it too, for the database and the key file the service
 * uses (sudo -u helhed helhed user add ...). A file that names secret
 * files must not be readable by everyone: refused, as it tells where the
 * secrets are and who may read them is the point. Its keys are the conf
 * keys of opts[] (above).
 * Returns -1 to go on, else the exit status (the error printed). */
static int serve_config(const char *cmd, int argc, char **argv)
{
	const char *path = NULL;
	const char *stop = strcmp(cmd, "serve") ? "" : "; not started";
	for (int i = 1; strcmp(cmd, "serve") == 0 && i < argc; i++) {
		if (!strcmp(argv[i], "--"))
			break;
		if (!strcmp(argv[i], "--config")) {
			if (i + 1 == argc)
				return bad_usage(cmd, "%s", "--config needs a FILE");
			path = argv[++i];
		} else if (!strncmp(argv[i], "--config=", 9)) {
			path = argv[i] + 9;
		}
	}
	int given = 1;
	if (!path)
		path = hh_opts_env("HELHED_CONFIG", NULL);
	if (!path) {
		path = HH_CONF_DEFAULT;
		given = 0;
	}
	if (!strcmp(path, "none"))
		return -1;
	char err[1024];
	int secret = 0;
	unsigned mode = 0;
	struct hh_conf_key keys[sizeof(opts) / sizeof(opts[0])];
	hh_opts_conf_keys(opts, keys, sizeof(keys) / sizeof(keys[0]));
	enum hh_rc rc = hh_conf_load(path, keys, &secret, &mode, err,
				     sizeof(err));
	if (rc == HH_ERR_NOT_FOUND && !given)
		return -1;
	if (rc != HH_OK) {
		fprintf(stderr, "%s %s: %s%s\n", prog, cmd, err, stop);
		return 2;
	}
	if (mode & S_IWOTH) { /* anyone could name their own key file */
		fprintf(stderr, "%s %s: anyone may change %s (mode %04o): make "
			"it mode 0640, owner root, group helhed%s\n", prog, cmd,
			path, mode, stop);
		return 2;
	}
	if (secret && (mode & S_IROTH)) {
		fprintf(stderr, "%s %s: %s names secret files and anyone may "
			"read it (mode %04o): make it mode 0640, owner root, group "
			"helhed%s\n", prog, cmd, path, mode, stop);
		return 2;
	}
	return -1;
}

static int cmd_serve(struct settings *cli, int nargs, char **args)
{
	/* the settings, checked (opts[]) */
	const char *listen = cli->listen, *db = cli->db, *content = cli->content;
	const char *web = cli->web, *dict = cli->dict, *synonyms = cli->synonyms;
	const char *public_url = cli->public_url, *secure_s = cli->secure;
	const char *trusted_proxies = cli->trusted_proxies, *spool = cli->spool;
	long threads = cli->threads.value, per_client = cli->per_client.value;
	long body_memory = cli->body_memory.value;
	long webhooks_keep = cli->webhooks_keep.value, *wl = cli->write_limit;
	int demo = cli->demo, quiet = cli->quiet, webhooks_http = cli->webhooks_http;
	int password_login = cli->password_login, level = cli->level;
	int public_https = cli->public_https, print_minute = cli->print_minute;
	struct hh_oidc_config oc = cli->oc;
	oc.client[HH_OIDC_CITIZEN].secret_post = cli->secret_post;
	oc.client[HH_OIDC_STAFF].secret_post = cli->secret_post;
	/* the OpenID Connect redirect and post-logout URIs: the public
	 * address unless set apart */
	oc.public_url = public_url;
	if (!content && demo)
		content = "content";
	hh_log_set_level((enum hh_log_level)level);
	/* made after every other check, so that a usage error has nothing
	 * to free */
	char oidc_err[256];
	struct hh_oidc *oidc = NULL;
	if (hh_oidc_new(&oc, &oidc, oidc_err, sizeof(oidc_err)) != HH_OK)
		return bad_usage("serve", "%s", oidc_err);
	if (!password_login && !hh_oidc_enabled(oidc, HH_OIDC_STAFF))
		hh_log(HH_LOG_WARN, "password sign-in is off and no staff OpenID "
		       "Connect provider is set up: staff cannot sign in");

	struct hh_store *st;
	/* pg-base: PostgreSQL's pool is 2x the threads (a request may wait
	 * on the network, not on a file lock) */
	if (open_store(db, hh_store_is_postgres(db) ? 2 * (int)threads
						  : (int)threads + 2, &st)) {
		hh_oidc_free(oidc);
		return 1;
	}
	/* delivery: the spool folder, made on start */
	if (!spool && hh_store_is_postgres(db)) { /* pg-base: as the key file */
		hh_health_close(st);
		hh_oidc_free(oidc);
		return bad_usage("serve", "with a PostgreSQL database, give "
				 "--spool DIR (%s)", "HELHED_SPOOL");
	}
	char *spool_dir = spool ? hh_xstrdup(spool) : hh_spool_default_dir(db);
	struct hh_transport *transport = NULL;
	if (hh_spool_open(spool_dir, &transport) != HH_OK) {
		fprintf(stderr, "%s: cannot make the spool folder %s\n", prog,
			spool_dir);
		free(spool_dir);
		hh_health_close(st);
		hh_oidc_free(oidc);
		return 1;
	}
	char print_dir[4200];
	snprintf(print_dir, sizeof(print_dir), "%s/print", spool_dir);
	int64_t t0 = hh_mono_us();
	if (first_start(st, db, content, demo)) {
		hh_transport_free(transport);
		free(spool_dir);
		hh_health_close(st);
		hh_oidc_free(oidc);
		return 1;
	}

	char syn_default[4096];
	if (!synonyms) {
		snprintf(syn_default, sizeof(syn_default), "%s/synonyms.txt",
			 content ? content : "content");
		synonyms = syn_default;
	}
	/* pg-multi: LISTEN for other instances' changes before the index
	 * is built, so that none is missed (told once subscribed, below) */
	hh_pg_follow_prepare(st);
	struct engine eng;
	if (engine_start(&eng, st, dict, synonyms, 1) ||
	    hh_searchlog_init(st) != HH_OK) {
		hh_transport_free(transport);
		free(spool_dir);
		hh_health_close(st);
		hh_oidc_free(oidc);
		return 1;
	}
	struct hh_app app = {
		.store = st,
		.demo = demo,
		.webhooks_allow_http = webhooks_http,
		.index = eng.index,
		.secure_cookies = public_https ? 1
				  : secure_s ? !strcmp(secure_s, "1") : !demo,
		.too_many_page = hh_page_too_many,
		.oidc = oidc,
		.password_login_off = !password_login,
		.print_dir = print_dir,
	};
	struct hh_limiter **lims[3] = { &app.writes_by_client,
					&app.writes_by_account,
					&app.writes_by_token };
	for (int i = 0; i < 3; i++)
		if (wl[i] > 0)
			*lims[i] = hh_limiter_new(65536, (int)wl[i],
						  60000000 / wl[i]);
	/* appointments: bookings and moves without sign-in, 20 at once and
	 * then one every 3 minutes per address */
	app.anon_writes_by_client = hh_limiter_new(65536, 20, 180000000);
	long ncpu = sysconf(_SC_NPROCESSORS_ONLN);
	struct hh_server_config cfg = {
		.listen = listen,
		.threads = (int)threads,
		/* What anyone may send before we know who they are; a
		 * route's own larger limit (uploads: files in citizens'
		 * forms) applies once the session is checked. */
		.body_limit = 64 * 1024,
		.body_budget = (size_t)body_memory << 20,
		.per_client = (int)per_client,
		.idle_timeout_s = 15,
		/* password hashing: a worker per core (4 at most: each
		 * hash holds 64 MiB), at a lower priority than the request
		 * threads, so a flood of sign-ins uses the cores only when
		 * nobody else needs them */
		.slow_workers = ncpu < 1 ? 1 : ncpu > 4 ? 4 : (int)ncpu,
		.slow_queue = 64,
		.trusted_proxies = trusted_proxies,
		.hsts = public_https,
		.session_ok = hh_app_session_ok,
		.gate = hh_app_gate,
		.web_dir = web,
		.log_requests = !quiet && level <= HH_LOG_INFO,
		.not_found = hh_page_not_found,
		.too_large = hh_page_too_large,
		.busy = hh_page_busy,
	};
	/* Block the stop signals before threads start, so only sigwait
	 * below sees them. */
	sigset_t set;
	sigemptyset(&set);
	sigaddset(&set, SIGTERM);
	sigaddset(&set, SIGINT);
	pthread_sigmask(SIG_BLOCK, &set, NULL);
	signal(SIGPIPE, SIG_IGN);
	/* chat: every waiting chat connection holds a file descriptor,
	 * so take all the process may have (the soft limit is often 1024) */
	struct rlimit nofile;
	if (getrlimit(RLIMIT_NOFILE, &nofile) == 0 &&
	    nofile.rlim_cur < nofile.rlim_max) {
		nofile.rlim_cur = nofile.rlim_max;
		setrlimit(RLIMIT_NOFILE, &nofile);
	}
	enum hh_rc rc = hh_server_start(&cfg, hh_routes, &app, &app.server);
	/* delivery: the Digital Post worker */
	if (rc == HH_OK) {
		struct hh_postman_config pc = { .store = st,
						.transport = transport,
						.print_dir = print_dir,
						.print_minute = print_minute };
		rc = hh_postman_start(&pc, &app.postman);
		if (rc != HH_OK)
			hh_server_stop(app.server, 1000);
	}
	/* x-hooks: the webhook worker */
	if (rc == HH_OK) {
		struct hh_hooks_config hc = {
			.store = st, .allow_loopback = webhooks_http,
			.keep_days = (int)webhooks_keep };
		rc = hh_hooks_start(&hc, &app.hooks);
		if (rc != HH_OK) {
			hh_postman_stop(app.postman);
			hh_server_stop(app.server, 1000);
		}
	}
	if (rc != HH_OK) {
		engine_stop(&eng);
		hh_transport_free(transport);
		free(spool_dir);
		hh_health_close(st);
		hh_oidc_free(oidc);
		for (int i = 0; i < 3; i++)
			hh_limiter_free(*lims[i]);
		hh_limiter_free(app.anon_writes_by_client);
		return 1;
	}
	/* The URL shows the host we listen on (an empty host and
	 * "localhost" mean 127.0.0.1, as in hh_server_start), so that it
	 * works when listening on one particular address. */
	const char *host = listen;
	int host_len = (int)(strrchr(listen, ':') - listen);
	if (host_len == 0 || (host_len == 9 && !strncmp(listen, "localhost", 9))) {
		host = "127.0.0.1";
		host_len = 9;
	}
	char own_url[128];
	snprintf(own_url, sizeof(own_url), "http://%.*s:%d", host_len, host,
		 hh_server_port(app.server));
	app.public_url = public_url ? public_url : own_url;
	/* chat: a committed message wakes the requests waiting for it */
	hh_store_subscribe(st, hh_app_chat_changed, &app);
	/* pg-multi: other instances' changes reach the same subscribers */
	if (hh_pg_follow_start(st) != HH_OK)
		hh_log(HH_LOG_ERROR, "cannot follow other instances' changes");
	atomic_store(&app.ready, 1);
	printf("helhed %s serving http://%.*s:%d/ (database %s, spool %s, "
	       "started in %.1f ms)\n",
	       VERSION, host_len, host, hh_server_port(app.server), db, spool_dir,
	       (double)(hh_mono_us() - t0) / 1000.0);
	if (demo && content)
		print_demo_users(content);
	fflush(stdout);
	/* o-deb: systemd's Type=notify: ready as /readyz now says; the
	 * watchdog, when the unit sets one, is fed from the loop below */
	notify("READY=1\nSTATUS=serving");
	uint64_t watchdog_us = 0;
	int watchdog = sd_watchdog_enabled(0, &watchdog_us) > 0;
	/* Wait for a stop signal, flushing view counts and the search log
	 * every second: the search log holds at most 100,000 queued
	 * searches, which at 20,000 searches a second (the benchmark's
	 * rate) every 5 s would have overrun, and entries were dropped. */
	int sig;
	for (;;) {
		struct timespec ts = { 1, 0 };
		sig = sigtimedwait(&set, NULL, &ts);
		if (sig == SIGTERM || sig == SIGINT)
			break;
		if (watchdog)
			notify("WATCHDOG=1");
		hh_views_flush(st);
		hh_searchlog_flush(st);
	}
	notify("STOPPING=1"); /* o-deb */
	hh_log(HH_LOG_INFO, "%s received: finishing requests in progress",
	       sig == SIGTERM ? "SIGTERM" : "SIGINT");
	atomic_store(&app.ready, 0);
	hh_pg_follow_stop(st); /* pg-multi: before its subscribers go */
	hh_server_stop(app.server, 10000);
	/* delivery: the pass in progress ends before the store closes */
	hh_postman_stop(app.postman);
	hh_hooks_stop(app.hooks); /* x-hooks: likewise */
	hh_transport_free(transport);
	free(spool_dir);
	hh_store_unsubscribe(st, hh_app_chat_changed, &app);
	hh_chat_limits_free(&app);
	hh_views_flush(st);
	hh_searchlog_flush(st);
	engine_stop(&eng);
	hh_health_close(st);
	for (int i = 0; i < 3; i++)
		hh_limiter_free(*lims[i]);
	hh_limiter_free(app.anon_writes_by_client);
	hh_oidc_free(oidc);
	hh_log(HH_LOG_INFO, "stopped");
	return 0;
}

/* ---- import / export / migrate ---------------------------------------- */

static int cmd_import(struct settings *cli, int nargs, char **args)
{
	const char *db = cli->db, *dir = args[0];
	int users = (cli->users ? HH_IMPORT_USERS : 0) |
		    (cli->force ? HH_IMPORT_FORCE : 0); /* x-fix */
	struct hh_store *st;
	if (open_store(db, 1, &st))
		return 1;
	struct hh_import_stats stats;
	enum hh_rc rc = hh_content_import(st, dir, users, stderr,
					  isatty(2) ? progress_bar : NULL, NULL,
					  &stats);
	print_stats(&stats);
	/* s-edit: the folder's synonyms.txt (rules not in the store yet) and
	 * pins.json, as export writes them */
	if (rc == HH_OK) {
		char path[4200];
		int syn = 0, pins = 0;
		snprintf(path, sizeof(path), "%s/synonyms.txt", dir);
		rc = hh_synonyms_seed(st, NULL, path, 0, stderr, &syn);
		if (rc == HH_OK)
			rc = hh_pins_import(st, dir, stderr, &pins);
		if (rc == HH_OK && (syn || pins))
			printf("synonyms: %d new; pinned queries: %d\n", syn, pins);
	}
	hh_health_close(st);
	if (rc == HH_OK)
		return 0;
	if (rc != HH_ERR_INVALID)
		fprintf(stderr, "%s import: failed (%s)\n", prog, hh_rc_name(rc));
	return 1;
}

/* kle (issue 15): `helhed import-kle FILE` */
static int cmd_import_kle(struct settings *cli, int nargs, char **args)
{
	const char *db = cli->db, *file = args[0];
	struct hh_store *st;
	if (open_store(db, 1, &st))
		return 1;
	struct hh_kle_import_stats s;
	enum hh_rc rc = hh_kle_import(st, file, stderr, &s);
	hh_health_close(st);
	if (rc != HH_OK) {
		if (rc != HH_ERR_INVALID && rc != HH_ERR_IO)
			fprintf(stderr, "%s import-kle: failed (%s)\n", prog,
				hh_rc_name(rc));
		else
			fprintf(stderr, "%s import-kle: nothing imported\n", prog);
		return 1;
	}
	printf("KLE emneplan published %s: %d main groups, %d groups, "
	       "%d subjects\n",
	       s.published, s.main_groups, s.groups, s.subjects);
	printf("added %d, changed %d, retired %d, unchanged %d\n", s.added,
	       s.changed, s.retired, s.unchanged);
	return 0;
}

static int cmd_export(struct settings *cli, int nargs, char **args)
{
	const char *db = cli->db, *dir = args[0];
	struct hh_store *st;
	if (open_store(db, 1, &st))
		return 1;
	int n = 0;
	enum hh_rc rc = hh_content_export(st, dir, stderr, &n);
	int n_syn = 0, n_pins = 0; /* s-edit: synonyms and pins too */
	if (rc == HH_OK)
		rc = hh_search_tuning_export(st, dir, &n_syn, &n_pins);
	hh_health_close(st);
	if (rc != HH_OK) {
		fprintf(stderr, "%s export: failed (%s)\n", prog, hh_rc_name(rc));
		return 1;
	}
	printf("exported %d articles to %s\n", n, dir);
	if (n_syn || n_pins)
		printf("exported %d synonym rules and %d pinned queries\n",
		       n_syn, n_pins);
	return 0;
}

/* o-backup (issue 17, point 6): what migrate would do, changing nothing:
 * the store is opened without migrating, and without the key file. */
static int migrate_dry_run(const char *db)
{
	char name[256];
	int latest = 0;
	while (hh_store_migration_name(hh_store_is_postgres(db) ? "postgres"
								 : "sqlite",
				       latest + 1, name, sizeof(name)))
		latest++;
	struct stat fs;
	if (!hh_store_is_postgres(db) && stat(db, &fs) != 0) {
		printf("%s: no database yet; the first start makes it and applies "
		       "all %d migrations\n", db, latest);
		return 0;
	}
	/* SQLite: read only, so that not even the journal mode changes;
	 * PostgreSQL: the store's open writes nothing */
	struct hh_store *st = NULL;
	int current = 0;
	enum hh_rc rc;
	const char *backend = "sqlite";
	if (!hh_store_is_postgres(db)) {
		rc = hh_store_sqlite_schema(db, &current);
	} else {
		rc = hh_store_open(db, 1, &st);
		if (rc == HH_OK) {
			rc = hh_health_schema(st, &current, &latest);
			backend = st->name;
		}
	}
	int r = 0;
	if (rc != HH_OK) {
		fprintf(stderr, "%s migrate: cannot read the schema version of "
				"%s\n", prog, db);
		r = 1;
	} else if (current > latest) {
		schema_too_new("migrate", db, current, latest);
		r = 1;
	} else if (current == latest) {
		printf("%s: schema version %d (latest %d); no migration would "
		       "run\n", db, current, latest);
	} else {
		printf("%s: schema version %d (latest %d); these %d migrations "
		       "would run (dry run: nothing changed):\n",
		       db, current, latest, latest - current);
		for (int v = current + 1; v <= latest; v++) {
			hh_store_migration_name(backend, v, name, sizeof(name));
			printf("  %3d  %s\n", v, name);
		}
	}
	if (st)
		hh_store_close(st);
	return r;
}

static int cmd_migrate(struct settings *cli, int nargs, char **args)
{
	const char *db = cli->db;
	int dry = cli->dry_run;
	if (dry)
		return migrate_dry_run(db);
	struct hh_store *st;
	if (open_store(db, 1, &st))
		return 1;
	int cur, latest;
	if (hh_health_schema(st, &cur, &latest) != HH_OK) {
		fprintf(stderr, "%s migrate: cannot read the schema version of %s\n",
			prog, db);
		hh_health_close(st);
		return 1;
	}
	printf("%s: schema version %d (latest %d)\n", db, cur, latest);
	hh_health_close(st);
	return 0;
}

/* ---- o-backup (issue 17, point 5): backup, restore ----------------------- */

static int cmd_backup(struct settings *cli, int nargs, char **args)
{
	const char *db = cli->db, *file = args[0];
	int with_keys = cli->with_keys;
	long step = cli->step.value, pause_ms = cli->pause_ms.value;
	if (hh_store_is_postgres(db)) {
		fprintf(stderr,
			"%s backup: %s is a PostgreSQL database; helhed backup "
			"copies a SQLite store. Back PostgreSQL up with its own "
			"tools: pg_dump -Fc for a nightly copy, or pg_basebackup "
			"with WAL archiving to restore to any moment; see "
			"docs/backup.md. Back the key file (--key-file) up apart.\n",
			prog, db);
		return 1;
	}
	if (hh_store_is_postgres(file))
		return bad_usage("backup", "%s", "FILE is a file, not a database "
						 "address");
	char keys[4200];
	snprintf(keys, sizeof(keys), "%s%s", key_file ? key_file : db,
		 key_file ? "" : ".keys");
	struct stat ks;
	if (with_keys && stat(keys, &ks) != 0) {
		fprintf(stderr, "%s backup: no key file %s to copy with "
				"--with-keys (give it with --key-file); nothing "
				"written\n", prog, keys);
		return 1;
	}
	char why[1024] = "";
	struct hh_backup_stats bs;
	enum hh_rc rc = hh_store_backup(db, file, (int)step, (int)pause_ms * 1000,
					&bs, why, sizeof(why));
	if (rc != HH_OK) {
		fprintf(stderr, "%s backup: %s\n%s backup: no backup written "
				"(%s)\n", prog, why, prog, hh_rc_name(rc));
		return 1;
	}
	printf("%s: %lld pages, %.1f MB, schema version %d, copied in %.2f s "
	       "(%d steps), integrity_check ok in %.2f s\n",
	       file, (long long)bs.pages, (double)bs.bytes / 1e6, bs.schema,
	       (double)bs.copy_us / 1e6, bs.steps, (double)bs.check_us / 1e6);
	if (with_keys) {
		char to[4200];
		snprintf(to, sizeof(to), "%s.keys", file);
		if (hh_store_copy_private_file(keys, to) != HH_OK) {
			fprintf(stderr, "%s backup: cannot copy the key file %s to "
					"%s: the database is backed up, its keys "
					"are not\n", prog, keys, to);
			return 1;
		}
		printf("%s: the key file %s (mode 0600)\n", to, keys);
	} else {
		printf("the key file %s is not in this backup: back it up apart "
		       "(or use --with-keys)\n", keys);
	}
	return 0;
}

static void remove_sqlite_file(const char *path)
{
	static const char *const tails[] = { "", "-journal", "-wal", "-shm" };
	char p[4300];
	for (size_t i = 0; i < sizeof(tails) / sizeof(tails[0]); i++) {
		snprintf(p, sizeof(p), "%s%s", path, tails[i]);
		unlink(p);
	}
}

static int cmd_restore(struct settings *cli, int nargs, char **args)
{
	const char *db = cli->db, *file = args[0], *keys_in = cli->keys_in;
	if (hh_store_is_postgres(db) || hh_store_is_postgres(file)) {
		fprintf(stderr,
			"%s restore: restore puts a backup of a SQLite store back; "
			"a PostgreSQL database is restored with pg_restore, or "
			"from a base backup and its archived WAL (docs/backup.md)\n",
			prog);
		return 1;
	}
	/* the keys that come with the backup, and where the store's go */
	char keys_beside[4200], keys_to[4200];
	struct stat ks;
	snprintf(keys_beside, sizeof(keys_beside), "%s.keys", file);
	if (!keys_in && stat(keys_beside, &ks) == 0)
		keys_in = keys_beside;
	if (keys_in && stat(keys_in, &ks) != 0) {
		fprintf(stderr, "%s restore: no key file %s; nothing changed\n",
			prog, keys_in);
		return 1;
	}
	snprintf(keys_to, sizeof(keys_to), "%s%s", key_file ? key_file : db,
		 key_file ? "" : ".keys");

	/* 1. a copy beside the store, checked */
	char tmp[4200], why[1024] = "", folder[4200];
	snprintf(folder, sizeof(folder), "%s", db);
	char *slash = strrchr(folder, '/');
	if (slash && slash != folder)
		*slash = 0;
	else
		snprintf(folder, sizeof(folder), "%s", slash ? "/" : ".");
	if (stat(folder, &ks) != 0 || !S_ISDIR(ks.st_mode)) {
		fprintf(stderr, "%s restore: no folder %s for %s; nothing "
				"changed\n", prog, folder, db);
		return 1;
	}
	snprintf(tmp, sizeof(tmp), "%s.restore-%ld", db, (long)getpid());
	int schema = 0, latest = 0;
	char name[256];
	while (hh_store_migration_name("sqlite", latest + 1, name, sizeof(name)))
		latest++;
	enum hh_rc rc = hh_store_backup_load(file, tmp, &schema, why,
					     sizeof(why));
	if (rc != HH_OK) {
		remove_sqlite_file(tmp);
		fprintf(stderr, "%s restore: %s\n%s restore: refused; nothing "
				"changed\n", prog, why, prog);
		return 1;
	}
	if (schema > latest) {
		remove_sqlite_file(tmp);
		schema_too_new("restore", file, schema, latest);
		fprintf(stderr, "%s restore: refused; nothing changed\n", prog);
		return 1;
	}
	/* 2. migrated there, its CPR numbers opened with its keys */
	struct hh_store *st;
	const char *stage;
	int applied = 0;
	const char *keys_check = keys_in ? keys_in : keys_to;
	rc = hh_health_open(tmp, keys_check, 1, &st, &applied, &stage);
	if (rc != HH_OK) {
		remove_sqlite_file(tmp);
		if (!strcmp(stage, "seal CPR numbers in"))
			fprintf(stderr,
				"%s restore: the keys of this backup are missing: "
				"its CPR numbers are sealed under keys that %s "
				"does not hold%s (the reason is above). Give the "
				"key file backed up with it, with --keys FILE "
				"('helhed backup --with-keys' writes FILE.keys); "
				"refused, nothing changed\n",
				prog, keys_check,
				stat(keys_check, &ks) ? " (there is no such file)"
						      : "");
		else
			fprintf(stderr, "%s restore: cannot %s the backup's copy "
					"(%s); refused, nothing changed\n",
				prog, stage, hh_rc_name(rc));
		return 1;
	}
	int now = schema;
	hh_health_schema(st, &now, &latest);
	hh_health_close(st);

	/* 3. in place, atomically, unless someone holds the store */
	char aside[4300];
	snprintf(aside, sizeof(aside), "%s.before-restore", db);
	struct stat ds;
	int had = stat(db, &ds) == 0 && ds.st_size > 0;
	rc = hh_store_sqlite_replace(tmp, db, aside, why, sizeof(why));
	if (rc != HH_OK) {
		remove_sqlite_file(tmp);
		fprintf(stderr, "%s restore: %s\n%s restore: refused; nothing "
				"changed\n", prog, why, prog);
		return 1;
	}
	printf("restored %s into %s: schema version %d, migrated to %d (%d "
	       "migrations); integrity_check ok\n",
	       file, db, schema, now, applied);
	if (had)
		printf("the store it replaced is kept as %s\n", aside);
	/* 4. its keys */
	if (keys_in && strcmp(keys_in, keys_to) &&
	    !(stat(keys_to, &ks) == 0 &&
	      hh_store_same_file_content(keys_in, keys_to))) {
		char old[4300];
		snprintf(old, sizeof(old), "%s.before-restore", keys_to);
		if (stat(keys_to, &ks) == 0 &&
		    hh_store_copy_private_file(keys_to, old) != HH_OK) {
			fprintf(stderr, "%s restore: cannot keep the key file %s "
					"as %s; the store is restored, its keys "
					"are not: copy %s to %s (mode 0600)\n",
				prog, keys_to, old, keys_in, keys_to);
			return 1;
		}
		if (hh_store_copy_private_file(keys_in, keys_to) != HH_OK) {
			fprintf(stderr, "%s restore: cannot write the key file %s; "
					"the store is restored, its keys are not: "
					"copy %s to %s (mode 0600)\n",
				prog, keys_to, keys_in, keys_to);
			return 1;
		}
		printf("the key file %s is now the backup's %s%s\n", keys_to,
		       keys_in, stat(old, &ks) == 0 ? " (the one it replaced "
						      "is kept as .before-restore)"
						    : "");
	} else {
		printf("the key file %s opens its CPR numbers\n", keys_to);
	}
	return 0;
}

/* the service figures: `helhed figures-rebuild` */
static int cmd_figures_rebuild(struct settings *cli, int nargs, char **args)
{
	const char *db = cli->db;
	struct hh_store *st;
	if (open_store(db, 1, &st))
		return 1;
	int64_t t0 = hh_now_us();
	enum hh_rc rc = hh_figures_rebuild(st);
	hh_health_close(st);
	if (rc != HH_OK) {
		fprintf(stderr, "%s figures-rebuild: failed (%s)\n", prog,
			hh_rc_name(rc));
		return 1;
	}
	printf("figures rebuilt in %.1f s\n", (double)(hh_now_us() - t0) / 1e6);
	return 0;
}

/* ---- user / token ---------------------------------------------------- */

static char *read_password(void)
{
	const char *env = getenv("HELHED_PASSWORD");
	if (env)
		return hh_xstrdup(env);
	if (!isatty(0))
		return NULL;
	struct termios t, quiet;
	tcgetattr(0, &t);
	quiet = t;
	quiet.c_lflag &= ~(tcflag_t)ECHO;
	fprintf(stderr, "Password: ");
	tcsetattr(0, TCSANOW, &quiet);
	char buf[1100];
	char *ok = fgets(buf, sizeof(buf), stdin);
	tcsetattr(0, TCSANOW, &t);
	fputc('\n', stderr);
	if (!ok)
		return NULL;
	buf[strcspn(buf, "\r\n")] = 0;
	return hh_xstrdup(buf);
}

static int cmd_user_or_token(struct settings *cli, int token)
{
	const char *cmd = token ? "token" : "user";
	const char *email = cli->email, *name = cli->name, *org = cli->org;
	const char *roles_s = cli->roles, *db = cli->db;
	if ((!token && !email) || !name || !org || !roles_s)
		return bad_usage(cmd, "%s",
				 token ? "--organisation, --name and --roles "
					 "are required"
				       : "--email, --name, --organisation and "
					 "--roles are required");
	unsigned roles;
	if (hh_roles_parse(roles_s, &roles) != HH_OK)
		return bad_usage(cmd, "unknown role in '%s'", roles_s);
	struct hh_store *st;
	if (open_store(db, 1, &st))
		return 1;
	enum hh_rc rc;
	if (token) {
		char tok[HH_TOKEN_CHARS];
		rc = hh_auth_token_add(st, org, name, roles, "cli", tok);
		if (rc == HH_OK)
			printf("%s\n", tok);
	} else {
		char *pw = read_password();
		if (!pw) {
			hh_health_close(st);
			fprintf(stderr, "%s user: no password (set HELHED_PASSWORD "
					"or run on a terminal)\n", prog);
			return 2;
		}
		int64_t id;
		rc = hh_auth_user_add(st, org, email, name, pw, roles, "cli", &id);
		free(pw);
		if (rc == HH_OK)
			printf("added user %lld: %s\n", (long long)id, email);
	}
	hh_health_close(st);
	if (rc == HH_ERR_CONFLICT) {
		fprintf(stderr, "%s %s: %s already exists\n", prog, cmd,
			token ? "a token like this" : email);
		return 1;
	}
	if (rc == HH_ERR_INVALID) {
		fprintf(stderr, "%s %s: invalid input (unknown organisation "
				"'%s', or an email, name or password of the "
				"wrong form; passwords need 8+ characters)\n",
			prog, cmd, org);
		return 1;
	}
	if (rc != HH_OK) {
		fprintf(stderr, "%s %s: failed (%s)\n", prog, cmd, hh_rc_name(rc));
		return 1;
	}
	return 0;
}

static const char usage_search[] =
	"Usage: helhed search QUERY [--json] [--municipality CODE] [--limit N]\n"
	"                    [--staff] [--db FILE]\n"
	"\n"
	"Searches the knowledge base in the database, as a citizen (or, with\n"
	"--staff, as staff) in the given municipality, and prints the results.\n";

static int cmd_search(struct settings *cli, int nargs, char **args)
{
	const char *db = cli->db, *dict = cli->dict, *synonyms = cli->synonyms;
	const char *muni = cli->municipality;
	int json_out = cli->json, staff = cli->staff;
	long limit = cli->limit.value;
	/* the words may be given as one argument or several */
	struct hh_buf qb;
	hh_buf_init(&qb);
	for (int i = 0; i < nargs; i++) {
		if (i > 0)
			hh_buf_putc(&qb, ' ');
		hh_buf_puts(&qb, args[i]);
	}
	if (!hh_utf8_valid(qb.data, qb.len)) {
		hh_buf_clear(&qb);
		return bad_usage("search", "%s", "the query is not valid UTF-8");
	}
	struct hh_store *st;
	if (open_store(db, 1, &st)) {
		hh_buf_clear(&qb);
		return 1;
	}
	struct engine eng;
	if (engine_start(&eng, st, dict, synonyms, 0)) {
		hh_health_close(st);
		hh_buf_clear(&qb);
		return 1;
	}
	struct hh_arena a;
	hh_arena_init(&a);
	struct hh_search_query q = { .text = qb.data, .limit = (int)limit,
				     .staff = staff };
	int rcode = 0;
	if (muni) {
		struct hh_org org;
		if (hh_org_by_code(st, &a, muni, &org) != HH_OK ||
		    org.kind != HH_ORG_MUNICIPALITY) {
			fprintf(stderr, "%s search: no municipality has code '%s'\n",
				prog, muni);
			rcode = 2;
			goto out;
		}
		q.municipality_id = org.id;
	}
	struct hh_search_result res;
	hh_index_search(eng.index, &q, &a, &res);
	if (json_out) {
		json_t *hits = json_array();
		for (int i = 0; i < res.n_hits; i++)
			json_array_append_new(
				hits, json_pack("{s:s, s:s, s:s, s:s*, s:f, s:s}",
						"slug", res.hits[i].slug, "title",
						res.hits[i].title, "summary",
						res.hits[i].summary, "organisation",
						res.hits[i].org_code, "score",
						res.hits[i].score, "snippet_html",
						res.hits[i].snippet_html));
		json_t *j = json_pack("{s:s, s:i, s:o, s:s*}", "query", q.text,
				      "total", res.total, "results", hits,
				      "did_you_mean", res.did_you_mean);
		char *out = json_dumps(j, JSON_INDENT(2));
		puts(out);
		free(out);
		json_decref(j);
	} else {
		printf("%d result%s for \"%s\"\n", res.total,
		       res.total == 1 ? "" : "s", q.text);
		if (res.did_you_mean)
			printf("Mente du: %s\n", res.did_you_mean);
		for (int i = 0; i < res.n_hits; i++)
			printf("%2d. %-45s %s%s%s\n", i + 1, res.hits[i].slug,
			       res.hits[i].title, res.hits[i].org_code ? " – " : "",
			       res.hits[i].org_code ? res.hits[i].org_code : "");
	}
out:
	hh_arena_clear(&a);
	engine_stop(&eng);
	hh_health_close(st);
	hh_buf_clear(&qb);
	return rcode;
}

/* ---- rotate-key ------------------------------------------------------ */

static int cmd_rotate_key(struct settings *cli, int nargs, char **args)
{
	const char *db = cli->db;
	long batch = cli->batch.value;
	/* opening seals what an earlier, interrupted run left behind */
	struct hh_store *st;
	if (open_store(db, 1, &st))
		return 1;
	struct hh_vault_rotation r;
	char err[1024] = "";
	enum hh_rc rc = hh_vault_rotate(st, (int)batch, 0, &r, err, sizeof(err));
	const char *path = hh_vault_path(hh_vault_of(st));
	if (rc == HH_OK || r.seal_id[0])
		printf("%s keys %s (seal) and %s (hash) in %s\n",
		       r.started ? "new" : "resumed rotation to", r.seal_id,
		       r.hash_id, path);
	if (r.p.batches)
		printf("re-sealed %lld citizens, %lld cases, %lld external "
		       "cases and %lld webhook secrets in %d transactions\n",
		       (long long)r.p.citizens, (long long)r.p.cases,
		       (long long)r.p.external, (long long)r.p.webhooks,
		       r.p.batches);
	if (rc == HH_OK)
		printf("%s\n", r.dropped ? "old keys removed from the key file"
					 : "no old keys to remove");
	hh_health_close(st);
	if (rc != HH_OK) {
		fprintf(stderr, "%s rotate-key: %s (%s)\n", prog,
			err[0] ? err : "failed", hh_rc_name(rc));
		return 1;
	}
	return 0;
}

/* ---- print-batch (delivery) ------------------------------------------ */

static int cmd_print_batch(struct settings *cli, int nargs, char **args)
{
	const char *db = cli->db, *spool = cli->spool, *day = cli->day;
	int64_t now = hh_now_us() / 1000000;
	char today[11];
	if (!day) { /* checked when given (check_day) */
		time_t lt = (time_t)hh_dk_local(now);
		struct tm tm;
		gmtime_r(&lt, &tm);
		strftime(today, sizeof(today), "%Y-%m-%d", &tm);
		day = today;
	}
	struct hh_store *st;
	if (open_store(db, 1, &st))
		return 1;
	char *dir = spool ? hh_xstrdup(spool) : hh_spool_default_dir(db);
	struct hh_transport *tr = NULL;
	int rcode = 0;
	if (hh_spool_open(dir, &tr) != HH_OK) {
		fprintf(stderr, "%s print-batch: cannot make the spool folder %s\n",
			prog, dir);
		rcode = 1;
		goto out;
	}
	char print_dir[4200];
	snprintf(print_dir, sizeof(print_dir), "%s/print", dir);
	struct hh_print_stats ps;
	enum hh_rc rc = hh_messages_print_batch(st, print_dir, day, now, &ps);
	if (rc != HH_OK) {
		fprintf(stderr, "%s print-batch: failed (%s)\n", prog,
			hh_rc_name(rc));
		rcode = 1;
		goto out;
	}
	printf("print batch %s: %d letters, %d pages in %d files in %s\n", day,
	       ps.letters, ps.pages, ps.batches, print_dir);
	if (ps.busy)
		printf("%d organisations skipped: another run holds their "
		       "letters (for at most %d s)\n", ps.busy, HH_PRINT_LEASE);
out:
	hh_transport_free(tr);
	free(dir);
	hh_health_close(st);
	return rcode;
}

/* ---- demo-year (fig-year) --------------------------------------------- */

static int cmd_demo_year(struct settings *cli, int nargs, char **args)
{
	const char *db = cli->db, *content = cli->content, *from_s = cli->from;
	struct hh_demo_year_opts yo = cli->year;
	struct hh_store *st;
	if (open_store(db, 2, &st))
		return 1;
	int rcode = 0;
	if (hh_store_sqlite_bulk(st) != HH_OK ||
	    first_start(st, db, content, 1)) {
		rcode = 1;
		goto out;
	}
	struct hh_arena a;
	hh_arena_init(&a);
	struct hh_demo_year_stats s;
	const char *made_by = NULL;
	printf("Generating %d days from %s at scale %g with seed %llu into %s ...\n",
	       yo.days, from_s ? from_s : "the default day", yo.scale,
	       (unsigned long long)yo.seed, db);
	fflush(stdout);
	enum hh_rc rc = hh_demo_year(st, &a, &yo, stderr, stdout, &s, &made_by);
	if (rc == HH_ERR_CONFLICT) {
		fprintf(stderr,
			"%s demo-year: %s holds a generated year already (%s); "
			"use a new database file\n",
			prog, db, made_by ? made_by : "?");
		rcode = 1;
	} else if (rc != HH_OK) {
		fprintf(stderr, "%s demo-year: stopped (%s); delete %s and run "
				"again\n", prog, hh_rc_name(rc), db);
		rcode = 1;
	} else {
		double secs = (double)s.elapsed_us / 1e6;
		printf("made: %lld organisations, %lld citizens, %lld staff\n"
		       "inquiries: %lld (901: %lld), %lld chats (%lld rated), %lld "
		       "written on the web, %lld callbacks (%lld late), %lld "
		       "transfers closed (%lld sent on)\n"
		       "cases: %lld (901's citizens: %lld; %lld self-service, %lld "
		       "at the desk, %lld follow-ups), %lld moves, %lld requests, "
		       "%lld answers, %lld decisions, %lld letters\n"
		       "searches: %lld (%lld chosen, %lld without result), %lld "
		       "article views\n"
		       "events: %lld in %.1f s (%.0f events/s)\n"
		       "Serve it: ./build/helhed serve --db %s\n",
		       (long long)s.organisations, (long long)s.citizens,
		       (long long)s.staff, (long long)s.inquiries,
		       (long long)s.inquiries_901, (long long)s.chats,
		       (long long)s.ratings, (long long)s.written,
		       (long long)s.callbacks, (long long)s.callbacks_late,
		       (long long)s.transfers_closed, (long long)s.onward,
		       (long long)s.cases, (long long)s.cases_901,
		       (long long)s.self_service, (long long)s.assisted,
		       (long long)s.followups, (long long)s.transitions,
		       (long long)s.requests, (long long)s.answers,
		       (long long)s.decisions, (long long)s.letters,
		       (long long)s.searches, (long long)s.chosen,
		       (long long)s.no_result, (long long)s.views,
		       (long long)s.events, secs,
		       secs > 0 ? (double)s.events / secs : 0.0, db);
	}
	hh_arena_clear(&a);
out:
	hh_health_close(st);
	return rcode;
}

/* ---- pg-ops (issue 14): helhed copy --------------------------------------- */

static const char usage_copy[] =
	"Usage: helhed copy --from FILE --to URL [--quiet]\n"
	"\n"
	"Copies the SQLite database FILE into the empty PostgreSQL database at\n"
	"URL (postgresql://...), keeping every row, every id and the event\n"
	"log, in one transaction: all or nothing. Both must be at the same\n"
	"schema version: run 'helhed migrate --db FILE' and 'helhed migrate\n"
	"--db URL --key-file KEYS' with this helhed first. Stop the server on\n"
	"FILE first (what it writes during the copy is not copied). The CPR\n"
	"numbers are copied sealed: keep using the same key file (FILE.keys\n"
	"unless you gave --key-file) with --key-file on PostgreSQL.\n"
	"\n"
	"  --from FILE  the SQLite database (read only)\n"
	"  --to URL     the PostgreSQL database, migrated and empty\n"
	"  --quiet      no line per table\n"
	"  --help       this text\n";

static int cmd_copy(struct settings *cli, int nargs, char **args)
{
	const char *from = cli->copy_from, *to = cli->copy_to;
	int quiet = cli->quiet;
	if (!from)
		return bad_usage("copy", "%s", "missing --from FILE");
	if (!to || !hh_store_is_postgres(to))
		return bad_usage("copy", "%s",
				 "--to needs a PostgreSQL address postgresql://...");
	if (hh_store_is_postgres(from))
		return bad_usage("copy", "%s", "--from needs a SQLite file");
	struct stat fs;
	if (stat(from, &fs) != 0) {
		fprintf(stderr, "%s copy: no SQLite file %s\n", prog, from);
		return 1;
	}
	char why[1024];
	struct hh_copy_stats st;
	if (!quiet)
		printf("copying %s into PostgreSQL ...\n", from);
	int64_t t0 = hh_mono_us();
	enum hh_rc rc = hh_store_copy(from, to, quiet ? NULL : stdout, &st, why,
				      sizeof(why));
	if (rc != HH_OK) {
		fprintf(stderr, "%s copy: %s\n%s copy: nothing was copied (%s)\n",
			prog, why, prog, hh_rc_name(rc));
		return 1;
	}
	printf("copied %lld rows in %d tables (schema %d) in %.1f s; %d "
	       "identities moved past the largest id; row counts checked\n",
	       (long long)st.rows, st.tables, st.schema,
	       (double)(hh_mono_us() - t0) / 1e6, st.identities);
	return 0;
}

static int cmd_user(struct settings *cli, int nargs, char **args)
{
	return cmd_user_or_token(cli, 0);
}

static int cmd_token(struct settings *cli, int nargs, char **args)
{
	return cmd_user_or_token(cli, 1);
}

/* The commands: their options are opts[]'s rows with their bit. */
static const struct command {
	struct hh_opt_command opt; /* name, bit, usage, positional arguments */
	const char *sub;	   /* a subcommand before the options, or NULL */
	int (*run)(struct settings *cli, int nargs, char **args);
} commands[] = {
	{ { "serve", C_SERVE, usage_serve, 0, 0, NULL }, NULL, cmd_serve },
	{ { "import", C_IMPORT, usage_import, 1, 1, "missing DIR" }, NULL,
	  cmd_import },
	{ { "import-kle", C_KLE, usage_import_kle, 1, 1, "missing FILE" }, NULL,
	  cmd_import_kle }, /* kle (issue 15) */
	{ { "export", C_EXPORT, usage_export, 1, 1, "missing DIR" }, NULL,
	  cmd_export },
	{ { "migrate", C_MIGRATE, usage_migrate, 0, 0, NULL }, NULL,
	  cmd_migrate },
	{ { "backup", C_BACKUP, usage_backup, 1, 1, "missing FILE" }, NULL,
	  cmd_backup }, /* o-backup */
	{ { "restore", C_RESTORE, usage_restore, 1, 1, "missing FILE" }, NULL,
	  cmd_restore }, /* o-backup */
	{ { "user", C_USER, usage_user, 0, 0, NULL }, "add", cmd_user },
	{ { "token", C_TOKEN, usage_token, 0, 0, NULL }, "add", cmd_token },
	{ { "search", C_SEARCH, usage_search, 1, -1, "missing QUERY" }, NULL,
	  cmd_search },
	{ { "rotate-key", C_ROTATE, usage_rotate, 0, 0, NULL }, NULL,
	  cmd_rotate_key },
	{ { "print-batch", C_PRINT, usage_print, 0, 0, NULL }, NULL,
	  cmd_print_batch },
	{ { "demo-year", C_YEAR, usage_demo_year, 0, 0, NULL }, NULL,
	  cmd_demo_year }, /* fig-year */
	{ { "figures-rebuild", C_FIGURES, usage_figures_rebuild, 0, 0, NULL },
	  NULL, cmd_figures_rebuild }, /* the service figures */
	{ { "copy", C_COPY, usage_copy, 0, 0, NULL }, NULL, cmd_copy }, /* pg-ops */
};

/* Runs command c with its arguments (argv[0] its name). */
static int run_command(const struct command *c, int argc, char **argv)
{
	const char *cmd = c->opt.name;
	if (c->sub) { /* "user add ..." */
		if (argc < 2 || !strcmp(argv[1], "--help") ||
		    !strcmp(argv[1], "-h")) {
			if (argc >= 2) {
				fputs(c->opt.usage, stdout);
				return 0;
			}
			return bad_usage(cmd, "missing subcommand '%s'", c->sub);
		}
		if (strcmp(argv[1], c->sub))
			return bad_usage(cmd, "unknown subcommand '%s'", argv[1]);
		argc--;
		argv++;
	}
	struct settings cli = { 0 };
	int first;
	int rc = hh_opts_parse(opts, &c->opt, argc, argv, &cli, &first);
	if (rc >= 0)
		return rc;
	if (cli.key_file)
		key_file = cli.key_file;
	return c->run(&cli, argc - first, argv + first);
}

int main(int argc, char **argv)
{
	hh_json_alloc_init();
	if (hh_auth_init() != HH_OK) {
		fprintf(stderr, "%s: cannot initialise libsodium\n", prog);
		return 1;
	}
	if (argc < 2)
		return bad_usage(NULL, "%s", "missing command");
	const char *cmd = argv[1];
	/* o-deb: every command reads helhed.conf (serve also its --config) */
	if (cmd[0] != '-' && strcmp(cmd, "help")) {
		int conf_rc = serve_config(cmd, argc - 1, argv + 1);
		if (conf_rc >= 0)
			return conf_rc;
	}
	key_file = hh_opts_env("HELHED_KEY_FILE", NULL);
	if (!strcmp(cmd, "--help") || !strcmp(cmd, "-h") || !strcmp(cmd, "help")) {
		fputs(usage_main, stdout);
		return 0;
	}
	if (!strcmp(cmd, "--version")) {
		printf("helhed %s\n", VERSION);
		return 0;
	}
	for (size_t i = 0; i < sizeof(commands) / sizeof(commands[0]); i++)
		if (!strcmp(cmd, commands[i].opt.name))
			return run_command(&commands[i], argc - 1, argv + 1);
	return bad_usage(NULL, "unknown command '%s'", cmd);
}
