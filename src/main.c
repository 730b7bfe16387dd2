/* main.c - the helhed command: serve, import, export, migrate, backup,
 * restore, user, token. */
#include <errno.h>
#include <getopt.h>
#include <jansson.h>
#include <sodium.h>
#include <systemd/sd-daemon.h> /* o-deb: Type=notify */
#include <signal.h>
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
	fprintf(stderr, "%s%s%s: ", prog, cmd ? " " : "", cmd ? cmd : "");
	fprintf(stderr, fmt, arg);
	fprintf(stderr, " (try '%s%s%s --help')\n", prog, cmd ? " " : "",
		cmd ? cmd : "");
	return 2;
}

static const char *env_or(const char *name, const char *def)
{
	const char *v = getenv(name);
	return v && *v ? v : def;
}

static int env_flag(const char *name)
{
	const char *v = getenv(name);
	return v && *v && strcmp(v, "0") != 0;
}

/* Common getopt loop error: unknown option or missing argument. */
static int opt_error(const char *cmd, char **argv)
{
	return bad_usage(cmd, "unknown option or missing value '%s'",
			 argv[optind - 1]);
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

/* Every key of helhed.conf and the HELHED_* variable it stands for
 * (docs/operations.md lists them); the flags win over both. */
static const struct hh_conf_key serve_conf_keys[] = {
	{ "listen", "HELHED_LISTEN", HH_CONF_HOSTPORT, 0, 0 },
	{ "db", "HELHED_DB", HH_CONF_STR, 0, 0 },
	{ "db_pool", "HELHED_DB_POOL", HH_CONF_INT, 1, 1024 },
	{ "key_file", "HELHED_KEY_FILE", HH_CONF_SECRET, 0, 0 },
	{ "demo", "HELHED_DEMO", HH_CONF_BOOL, 0, 0 },
	{ "threads", "HELHED_THREADS", HH_CONF_INT, 1, 256 },
	{ "content", "HELHED_CONTENT", HH_CONF_STR, 0, 0 },
	{ "web", "HELHED_WEB", HH_CONF_STR, 0, 0 },
	{ "quiet", "HELHED_QUIET", HH_CONF_BOOL, 0, 0 },
	{ "log_level", "HELHED_LOG_LEVEL", HH_CONF_LEVEL, 0, 0 },
	{ "dict", "HELHED_DICT", HH_CONF_STR, 0, 0 },
	{ "synonyms", "HELHED_SYNONYMS", HH_CONF_STR, 0, 0 },
	{ "hyphen_dict", "HELHED_HYPHEN_DICT", HH_CONF_STR, 0, 0 },
	{ "public_url", "HELHED_PUBLIC_URL", HH_CONF_URL, 0, 0 },
	{ "secure_cookies", "HELHED_SECURE_COOKIES", HH_CONF_BOOL, 0, 0 },
	{ "trust_proxy", "HELHED_TRUST_PROXY", HH_CONF_BOOL, 0, 0 },
	{ "trusted_proxies", "HELHED_TRUSTED_PROXIES", HH_CONF_NETS, 0, 0 },
	{ "max_conn_per_client", "HELHED_MAX_CONN_PER_CLIENT", HH_CONF_INT, 0,
	  100000 },
	{ "write_limits", "HELHED_WRITE_LIMITS", HH_CONF_LIMITS, 0, 0 },
	{ "chat_limits", "HELHED_CHAT_LIMITS", HH_CONF_STR, 0, 0 },
	{ "body_memory", "HELHED_BODY_MEMORY", HH_CONF_INT, 1, 65536 },
	{ "password_login", "HELHED_PASSWORD_LOGIN", HH_CONF_BOOL, 0, 0 },
	{ "spool", "HELHED_SPOOL", HH_CONF_STR, 0, 0 },
	{ "print_time", "HELHED_PRINT_TIME", HH_CONF_TIME, 0, 0 },
	{ "webhooks_keep_days", "HELHED_WEBHOOKS_KEEP_DAYS", HH_CONF_INT, 1, 3650 },
	{ "oidc_citizen_issuer", "HELHED_OIDC_CITIZEN_ISSUER", HH_CONF_URL, 0, 0 },
	{ "oidc_citizen_client_id", "HELHED_OIDC_CITIZEN_CLIENT_ID", HH_CONF_STR,
	  0, 0 },
	{ "oidc_citizen_client_secret_file",
	  "HELHED_OIDC_CITIZEN_CLIENT_SECRET_FILE", HH_CONF_SECRET, 0, 0 },
	{ "oidc_citizen_redirect_base", "HELHED_OIDC_CITIZEN_REDIRECT_BASE",
	  HH_CONF_URL, 0, 0 },
	{ "oidc_citizen_scope", "HELHED_OIDC_CITIZEN_SCOPE", HH_CONF_STR, 0, 0 },
	{ "oidc_staff_issuer", "HELHED_OIDC_STAFF_ISSUER", HH_CONF_URL, 0, 0 },
	{ "oidc_staff_client_id", "HELHED_OIDC_STAFF_CLIENT_ID", HH_CONF_STR, 0,
	  0 },
	{ "oidc_staff_client_secret_file", "HELHED_OIDC_STAFF_CLIENT_SECRET_FILE",
	  HH_CONF_SECRET, 0, 0 },
	{ "oidc_staff_redirect_base", "HELHED_OIDC_STAFF_REDIRECT_BASE",
	  HH_CONF_URL, 0, 0 },
	{ "oidc_staff_scope", "HELHED_OIDC_STAFF_SCOPE", HH_CONF_STR, 0, 0 },
	{ "oidc_staff_groups", "HELHED_OIDC_STAFF_GROUPS", HH_CONF_STR, 0, 0 },
	{ "oidc_groups_claim", "HELHED_OIDC_GROUPS_CLAIM", HH_CONF_STR, 0, 0 },
	{ "oidc_loa_claim", "HELHED_OIDC_LOA_CLAIM", HH_CONF_STR, 0, 0 },
	{ "oidc_cpr_claim", "HELHED_OIDC_CPR_CLAIM", HH_CONF_STR, 0, 0 },
	{ "oidc_secret_post", "HELHED_OIDC_SECRET_POST", HH_CONF_BOOL, 0, 0 },
	{ "oidc_cookie_key_file", "HELHED_OIDC_COOKIE_KEY_FILE", HH_CONF_SECRET,
	  0, 0 },
	{ NULL, NULL, 0, 0, 0 }
};

/* Loads the configuration file into the environment (core/conf.h):
 * --config FILE (or --config=FILE; serve only), else HELHED_CONFIG, else
 * /etc/helhed/helhed.conf when it exists; "none" reads no file. The other
 * commands read it too, for the database and the key file the service
 * uses (sudo -u helhed helhed user add ...). A file that names secret
 * files must not be readable by everyone: refused, as it tells where the
 * secrets are and who may read them is the point.
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
		path = env_or("HELHED_CONFIG", NULL);
	if (!path) {
		path = HH_CONF_DEFAULT;
		given = 0;
	}
	if (!strcmp(path, "none"))
		return -1;
	char err[1024];
	int secret = 0;
	unsigned mode = 0;
	enum hh_rc rc = hh_conf_load(path, serve_conf_keys, &secret, &mode, err,
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

/* the OpenID Connect secrets: oidc_opt's entries 2, 7 and 14 (below), by
 * file only; kept to the end of the process */
static char *serve_secrets[3];

static int cmd_serve(int argc, char **argv)
{
	int conf_rc = serve_config("serve", argc, argv); /* o-deb: helhed.conf */
	if (conf_rc >= 0)
		return conf_rc;
	key_file = env_or("HELHED_KEY_FILE", NULL);
	const char *log_level = env_or("HELHED_LOG_LEVEL", "info");
	const char *listen = env_or("HELHED_LISTEN", "127.0.0.1:8080");
	const char *db = env_or("HELHED_DB", "var/helhed.db");
	const char *content = env_or("HELHED_CONTENT", NULL);
	const char *web = env_or("HELHED_WEB", "web");
	const char *threads_s = env_or("HELHED_THREADS", "4");
	int demo = env_flag("HELHED_DEMO");
	int webhooks_http = 0; /* x-hooks: --webhooks-allow-http-loopback */
	const char *webhooks_keep_s = env_or("HELHED_WEBHOOKS_KEEP_DAYS", "30");
	int quiet = env_flag("HELHED_QUIET");
	const char *dict = env_or("HELHED_DICT", "/usr/share/dict/danish");
	const char *synonyms = env_or("HELHED_SYNONYMS", NULL);
	const char *public_url = env_or("HELHED_PUBLIC_URL", NULL);
	const char *secure_s = env_or("HELHED_SECURE_COOKIES", NULL);
	int trust_proxy = env_flag("HELHED_TRUST_PROXY");
	const char *trusted_proxies = env_or("HELHED_TRUSTED_PROXIES", NULL);
	const char *per_client_s = env_or("HELHED_MAX_CONN_PER_CLIENT", NULL);
	const char *write_limits = env_or("HELHED_WRITE_LIMITS", "600/120/6000");
	const char *body_memory_s = env_or("HELHED_BODY_MEMORY", "64");
	/* delivery: the spool folder and the time of the print batch */
	const char *spool = env_or("HELHED_SPOOL", NULL);
	const char *print_time = env_or("HELHED_PRINT_TIME", "14:00");
	int password_login = !getenv("HELHED_PASSWORD_LOGIN") ||
			     env_flag("HELHED_PASSWORD_LOGIN");
	/* OpenID Connect: each flag beside its environment variable */
	struct hh_oidc_config oc = { 0 };
	struct hh_oidc_client_config *cz = &oc.client[HH_OIDC_CITIZEN];
	struct hh_oidc_client_config *sf = &oc.client[HH_OIDC_STAFF];
	const struct { const char *env; const char **dest; } oidc_opt[] = {
		{ "HELHED_OIDC_CITIZEN_ISSUER", &cz->issuer },
		{ "HELHED_OIDC_CITIZEN_CLIENT_ID", &cz->client_id },
		{ "HELHED_OIDC_CITIZEN_CLIENT_SECRET", &cz->client_secret },
		{ "HELHED_OIDC_CITIZEN_REDIRECT_BASE", &cz->redirect_base },
		{ "HELHED_OIDC_CITIZEN_SCOPE", &cz->scope },
		{ "HELHED_OIDC_STAFF_ISSUER", &sf->issuer },
		{ "HELHED_OIDC_STAFF_CLIENT_ID", &sf->client_id },
		{ "HELHED_OIDC_STAFF_CLIENT_SECRET", &sf->client_secret },
		{ "HELHED_OIDC_STAFF_REDIRECT_BASE", &sf->redirect_base },
		{ "HELHED_OIDC_STAFF_SCOPE", &sf->scope },
		{ "HELHED_OIDC_STAFF_GROUPS", &oc.staff_groups },
		{ "HELHED_OIDC_GROUPS_CLAIM", &oc.groups_claim },
		{ "HELHED_OIDC_LOA_CLAIM", &oc.loa_claim },
		{ "HELHED_OIDC_CPR_CLAIM", &oc.cpr_claim },
		{ "HELHED_OIDC_COOKIE_KEY", &oc.cookie_key },
	};
	enum { N_OIDC_OPT = sizeof(oidc_opt) / sizeof(oidc_opt[0]) };
	for (int i = 0; i < N_OIDC_OPT; i++)
		*oidc_opt[i].dest = env_or(oidc_opt[i].env, NULL);
	cz->secret_post = sf->secret_post = env_flag("HELHED_OIDC_SECRET_POST");
	/* o-deb: a secret in the environment is seen by whatever reads the
	 * process's environment (and by systemctl show, from a unit's
	 * Environment=): from a file only, HELHED_..._FILE */
	static const int secret_opt[3] = { 2, 7, 14 };
	static const char *const secret_key[3] = {
		"oidc_citizen_client_secret_file", "oidc_staff_client_secret_file",
		"oidc_cookie_key_file"
	};
	const char *secret_file[3];
	for (int i = 0; i < 3; i++) {
		const char *env = oidc_opt[secret_opt[i]].env;
		if (*oidc_opt[secret_opt[i]].dest) {
			fprintf(stderr, "%s serve: %s is refused: give the secret "
				"in a file readable by the service user only, "
				"%s_FILE=FILE (or %s in helhed.conf); not "
				"started\n", prog, env, env, secret_key[i]);
			return 2;
		}
		char name[64];
		snprintf(name, sizeof(name), "%s_FILE", env);
		secret_file[i] = env_or(name, NULL);
	}
	static const struct option opts[] = {
		/* long-only codes 1000 + i: oidc_opt[i] */
		{ "oidc-citizen-issuer", required_argument, NULL, 1000 },
		{ "oidc-citizen-client-id", required_argument, NULL, 1001 },
		{ "oidc-citizen-client-secret", required_argument, NULL, 1002 },
		{ "oidc-citizen-redirect-base", required_argument, NULL, 1003 },
		{ "oidc-citizen-scope", required_argument, NULL, 1004 },
		{ "oidc-staff-issuer", required_argument, NULL, 1005 },
		{ "oidc-staff-client-id", required_argument, NULL, 1006 },
		{ "oidc-staff-client-secret", required_argument, NULL, 1007 },
		{ "oidc-staff-redirect-base", required_argument, NULL, 1008 },
		{ "oidc-staff-scope", required_argument, NULL, 1009 },
		{ "oidc-staff-groups", required_argument, NULL, 1010 },
		{ "oidc-groups-claim", required_argument, NULL, 1011 },
		{ "oidc-loa-claim", required_argument, NULL, 1012 },
		{ "oidc-cpr-claim", required_argument, NULL, 1013 },
		{ "oidc-cookie-key", required_argument, NULL, 1014 },
		{ "oidc-secret-post", no_argument, NULL, 'O' },
		{ "no-password-login", no_argument, NULL, 'L' },
		{ "public-url", required_argument, NULL, 'u' },
		{ "secure-cookies", no_argument, NULL, 'S' },
		{ "no-secure-cookies", no_argument, NULL, 'N' },
		{ "trust-proxy", no_argument, NULL, 'P' },
		{ "trusted-proxies", required_argument, NULL, 2300 },
		{ "max-conn-per-client", required_argument, NULL, 'C' },
		{ "write-limits", required_argument, NULL, 'W' },
		{ "body-memory", required_argument, NULL, 'M' },
		{ "dict", required_argument, NULL, 'x' },
		{ "synonyms", required_argument, NULL, 's' },
		{ "listen", required_argument, NULL, 'l' },
		{ "db", required_argument, NULL, 'd' },
		{ "demo", no_argument, NULL, 'D' },
		{ "threads", required_argument, NULL, 't' },
		{ "content", required_argument, NULL, 'c' },
		{ "web", required_argument, NULL, 'w' },
		{ "quiet", no_argument, NULL, 'q' },
		{ "key-file", required_argument, NULL, 'K' },
		{ "spool", required_argument, NULL, 2000 },
		{ "print-time", required_argument, NULL, 2001 },
		{ "webhooks-allow-http-loopback", no_argument, NULL, 2100 },
		{ "webhooks-keep-days", required_argument, NULL, 2101 },
		/* o-deb (issue 17) */
		{ "config", required_argument, NULL, 2200 },
		{ "log-level", required_argument, NULL, 2201 },
		{ "oidc-citizen-client-secret-file", required_argument, NULL, 2202 },
		{ "oidc-staff-client-secret-file", required_argument, NULL, 2203 },
		{ "oidc-cookie-key-file", required_argument, NULL, 2204 },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 }
	};
	int o;
	opterr = 0;
	while ((o = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		switch (o) {
		case 2000: spool = optarg; break;
		case 2300: trusted_proxies = optarg; break;
		case 2001: print_time = optarg; break;
		case 2100: webhooks_http = 1; break;
		case 2101: webhooks_keep_s = optarg; break;
		case 2200: break; /* read by serve_config */
		case 2201: log_level = optarg; break;
		case 2202: case 2203: case 2204:
			secret_file[o - 2202] = optarg;
			break;
		case 'l': listen = optarg; break;
		case 'd': db = optarg; break;
		case 'D': demo = 1; break;
		case 't': threads_s = optarg; break;
		case 'c': content = optarg; break;
		case 'w': web = optarg; break;
		case 'q': quiet = 1; break;
		case 'x': dict = optarg; break;
		case 's': synonyms = optarg; break;
		case 'u': public_url = optarg; break;
		case 'S': secure_s = "1"; break;
		case 'N': secure_s = "0"; break;
		case 'P': trust_proxy = 1; break;
		case 'C': per_client_s = optarg; break;
		case 'W': write_limits = optarg; break;
		case 'M': body_memory_s = optarg; break;
		case 'K': key_file = optarg; break;
		case 'h': fputs(usage_serve, stdout); return 0;
		case 'O': cz->secret_post = sf->secret_post = 1; break;
		case 'L': password_login = 0; break;
		default:
			for (int i = 0; i < 3; i++)
				if (o == 1000 + secret_opt[i]) {
					char why[160];
					snprintf(why, sizeof(why), "--%s is refused: "
						 "every user of the machine may read a "
						 "command line; give --%s-file FILE",
						 opts[secret_opt[i]].name,
						 opts[secret_opt[i]].name);
					return bad_usage("serve", "%s", why);
				}
			if (o >= 1000 && o < 1000 + N_OIDC_OPT) {
				*oidc_opt[o - 1000].dest = optarg;
				break;
			}
			return opt_error("serve", argv);
		}
	}
	if (optind < argc)
		return bad_usage("serve", "unexpected argument '%s'", argv[optind]);
	char *end;
	long threads = strtol(threads_s, &end, 10);
	if (*end || threads < 1 || threads > 256)
		return bad_usage("serve", "--threads must be 1 to 256, not '%s'",
				 threads_s);
	if (!strchr(listen, ':'))
		return bad_usage("serve", "--listen must be HOST:PORT, not '%s'",
				 listen);
	/* o-tls (issue 17): the trusted proxies; --trust-proxy, the old
	 * switch that believed anyone's headers, now means loopback only,
	 * which is what its one documented use (a proxy on this machine)
	 * needed; an explicit list wins over it */
	if (trust_proxy && !trusted_proxies) {
		hh_log(HH_LOG_WARN, "--trust-proxy (trust_proxy, HELHED_TRUST_PROXY) "
		       "is deprecated: it means --trusted-proxies "
		       "127.0.0.0/8,::1 (a proxy on this machine); give that");
		trusted_proxies = "127.0.0.0/8 ::1";
	}
	if (trusted_proxies) {
		struct hh_netlist nets;
		char why[200];
		if (hh_netlist_parse(trusted_proxies, &nets, why, sizeof(why)))
			return bad_usage("serve", "--trusted-proxies: %s", why);
	}
	/* the proxies are spared the cap (hh_server_config.per_client) */
	if (!per_client_s)
		per_client_s = "64";
	long per_client = strtol(per_client_s, &end, 10);
	if (*end || !*per_client_s || per_client < 0 || per_client > 100000)
		return bad_usage("serve",
				 "--max-conn-per-client must be 0 to 100000, not '%s'",
				 per_client_s);
	long body_memory = strtol(body_memory_s, &end, 10);
	if (*end || !*body_memory_s || body_memory < 1 || body_memory > 65536)
		return bad_usage("serve", "--body-memory must be 1 to 65536 MB, not '%s'",
				 body_memory_s);
	long wl[3];
	if (sscanf(write_limits, "%ld/%ld/%ld", &wl[0], &wl[1], &wl[2]) != 3 ||
	    wl[0] < 0 || wl[1] < 0 || wl[2] < 0 || wl[0] > 1000000 ||
	    wl[1] > 1000000 || wl[2] > 1000000 ||
	    strspn(write_limits, "0123456789/") != strlen(write_limits))
		return bad_usage("serve",
				 "--write-limits must be CLIENT/ACCOUNT/TOKEN writes "
				 "a minute, not '%s'",
				 write_limits);
	if (secure_s && strcmp(secure_s, "0") && strcmp(secure_s, "1"))
		return bad_usage("serve", "HELHED_SECURE_COOKIES must be 0 or 1, not '%s'",
				 secure_s);
	/* o-tls: the public address is the base of every absolute link,
	 * so it is an origin: scheme, host and port, no path (the pages
	 * link from /; a path here would not be served), one trailing
	 * slash dropped */
	char public_buf[512];
	if (public_url) {
		size_t n = strlen(public_url);
		if (n && public_url[n - 1] == '/')
			n--;
		int https = !strncmp(public_url, "https://", 8);
		const char *host = public_url + (https ? 8 : 7);
		size_t host_n = n >= (size_t)(host - public_url)
					? n - (size_t)(host - public_url) : 0;
		if ((!https && strncmp(public_url, "http://", 7)) || !host_n ||
		    n >= sizeof(public_buf) ||
		    strcspn(host, "/?#@ \t\\\"'<>") < host_n)
			return bad_usage("serve", "--public-url must be http(s)://HOST "
					 "or http(s)://HOST:PORT, without a path, "
					 "not '%s'", public_url);
		snprintf(public_buf, sizeof(public_buf), "%.*s", (int)n, public_url);
		public_url = public_buf;
	}
	int public_https = public_url && !strncmp(public_url, "https://", 8);
	if (public_https && secure_s && !strcmp(secure_s, "0"))
		return bad_usage("serve", "--no-secure-cookies (secure_cookies = no) "
				 "with the https public URL %s: cookies sent over "
				 "https are always Secure", public_url);
	/* the OpenID Connect redirect and post-logout URIs: the public
	 * address unless set apart */
	oc.public_url = public_url;
	if (!content && demo)
		content = "content";
	/* o-deb: the level of the log lines; below info, no request lines */
	static const char *const level_names[] = { "debug", "info", "warn",
						   "error" };
	int level = -1;
	for (int i = 0; i < 4; i++)
		if (!strcmp(log_level, level_names[i]))
			level = i;
	if (level < 0)
		return bad_usage("serve", "--log-level must be debug, info, warn "
				 "or error, not '%s'", log_level);
	hh_log_set_level((enum hh_log_level)level);
	static const char *const secret_what[3] = {
		"the citizens' OpenID Connect client secret",
		"the staff's OpenID Connect client secret",
		"the OpenID Connect cookie key"
	};
	for (int i = 0; i < 3; i++) {
		if (!secret_file[i])
			continue;
		free(serve_secrets[i]);
		if (read_secret(secret_what[i], secret_file[i], &serve_secrets[i]))
			return 2;
		*oidc_opt[secret_opt[i]].dest = serve_secrets[i];
	}
	int print_minute = -1, ph, pm;
	char pend;
	if (strcmp(print_time, "off")) {
		if (sscanf(print_time, "%d:%d%c", &ph, &pm, &pend) != 2 ||
		    ph < 0 || ph > 23 || pm < 0 || pm > 59)
			return bad_usage("serve", "--print-time must be HH:MM or off, "
					 "not '%s'", print_time);
		print_minute = ph * 60 + pm;
	}
	char *keep_end = NULL;
	long webhooks_keep = strtol(webhooks_keep_s, &keep_end, 10);
	if (!*webhooks_keep_s || *keep_end || webhooks_keep < 1 ||
	    webhooks_keep > 3650)
		return bad_usage("serve", "--webhooks-keep-days must be 1 to "
				 "3650, not '%s'", webhooks_keep_s);
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

static int parse_db_only(const char *cmd, const char *usage, int argc,
			 char **argv, const char **db, int *users, int want_dir,
			 const char **dir)
{
	static const struct option opts[] = {
		{ "db", required_argument, NULL, 'd' },
		{ "users", no_argument, NULL, 'u' },
		{ "force-declarations", no_argument, NULL, 'F' },
		{ "key-file", required_argument, NULL, 'K' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 }
	};
	int o;
	opterr = 0;
	*db = env_or("HELHED_DB", "var/helhed.db");
	while ((o = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		switch (o) {
		case 'd': *db = optarg; break;
		case 'u':
			if (!users)
				return opt_error(cmd, argv);
			*users |= HH_IMPORT_USERS;
			break;
		case 'F': /* x-fix: import only */
			if (!users || strcmp(cmd, "import"))
				return opt_error(cmd, argv);
			*users |= HH_IMPORT_FORCE;
			break;
		case 'K': key_file = optarg; break;
		case 'h': fputs(usage, stdout); return -1;
		default: return opt_error(cmd, argv);
		}
	}
	if (want_dir) {
		if (optind >= argc)
			return bad_usage(cmd, "%s", strcmp(cmd, "import-kle")
							 ? "missing DIR"
							 : "missing FILE");
		*dir = argv[optind++];
	}
	if (optind < argc)
		return bad_usage(cmd, "unexpected argument '%s'", argv[optind]);
	return 0;
}

static int cmd_import(int argc, char **argv)
{
	const char *db, *dir;
	int users = 0;
	int r = parse_db_only("import", usage_import, argc, argv, &db, &users, 1,
			      &dir);
	if (r)
		return r < 0 ? 0 : r;
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
static int cmd_import_kle(int argc, char **argv)
{
	const char *db, *file;
	int r = parse_db_only("import-kle", usage_import_kle, argc, argv, &db,
			      NULL, 1, &file);
	if (r)
		return r < 0 ? 0 : r;
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

static int cmd_export(int argc, char **argv)
{
	const char *db, *dir;
	int r = parse_db_only("export", usage_export, argc, argv, &db, NULL, 1,
			      &dir);
	if (r)
		return r < 0 ? 0 : r;
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

static int cmd_migrate(int argc, char **argv)
{
	const char *db = env_or("HELHED_DB", "var/helhed.db");
	int dry = 0, o;
	static const struct option opts[] = {
		{ "db", required_argument, NULL, 'd' },
		{ "dry-run", no_argument, NULL, 'n' },
		{ "key-file", required_argument, NULL, 'K' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 }
	};
	opterr = 0;
	while ((o = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		switch (o) {
		case 'd': db = optarg; break;
		case 'n': dry = 1; break;
		case 'K': key_file = optarg; break;
		case 'h': fputs(usage_migrate, stdout); return 0;
		default: return opt_error("migrate", argv);
		}
	}
	if (optind < argc)
		return bad_usage("migrate", "unexpected argument '%s'",
				 argv[optind]);
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

static int cmd_backup(int argc, char **argv)
{
	const char *db = env_or("HELHED_DB", "var/helhed.db");
	int with_keys = 0, o;
	const char *step_s = "1024", *pause_s = "0";
	static const struct option opts[] = {
		{ "db", required_argument, NULL, 'd' },
		{ "with-keys", no_argument, NULL, 'w' },
		{ "step-pages", required_argument, NULL, 's' },
		{ "pause-ms", required_argument, NULL, 'p' },
		{ "key-file", required_argument, NULL, 'K' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 }
	};
	opterr = 0;
	while ((o = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		switch (o) {
		case 'd': db = optarg; break;
		case 'w': with_keys = 1; break;
		case 's': step_s = optarg; break;
		case 'p': pause_s = optarg; break;
		case 'K': key_file = optarg; break;
		case 'h': fputs(usage_backup, stdout); return 0;
		default: return opt_error("backup", argv);
		}
	}
	if (optind >= argc)
		return bad_usage("backup", "%s", "missing FILE");
	const char *file = argv[optind++];
	if (optind < argc)
		return bad_usage("backup", "unexpected argument '%s'",
				 argv[optind]);
	char *end;
	long step = strtol(step_s, &end, 10);
	if (*end || step < 1 || step > 1000000)
		return bad_usage("backup", "--step-pages must be 1 to 1000000, "
					   "not '%s'", step_s);
	long pause_ms = strtol(pause_s, &end, 10);
	if (*end || pause_ms < 0 || pause_ms > 1000)
		return bad_usage("backup", "--pause-ms must be 0 to 1000, not "
					   "'%s'", pause_s);
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

static int cmd_restore(int argc, char **argv)
{
	const char *db = env_or("HELHED_DB", "var/helhed.db");
	const char *keys_in = NULL;
	int o;
	static const struct option opts[] = {
		{ "db", required_argument, NULL, 'd' },
		{ "keys", required_argument, NULL, 'k' },
		{ "key-file", required_argument, NULL, 'K' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 }
	};
	opterr = 0;
	while ((o = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		switch (o) {
		case 'd': db = optarg; break;
		case 'k': keys_in = optarg; break;
		case 'K': key_file = optarg; break;
		case 'h': fputs(usage_restore, stdout); return 0;
		default: return opt_error("restore", argv);
		}
	}
	if (optind >= argc)
		return bad_usage("restore", "%s", "missing FILE");
	const char *file = argv[optind++];
	if (optind < argc)
		return bad_usage("restore", "unexpected argument '%s'",
				 argv[optind]);
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
static int cmd_figures_rebuild(int argc, char **argv)
{
	const char *db, *dir;
	int r = parse_db_only("figures-rebuild", usage_figures_rebuild, argc, argv,
			      &db, NULL, 0, &dir);
	if (r)
		return r < 0 ? 0 : r;
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

static int cmd_user_or_token(int argc, char **argv, int token)
{
	const char *cmd = token ? "token" : "user";
	const char *usage = token ? usage_token : usage_user;
	if (argc < 2 || !strcmp(argv[1], "--help") || !strcmp(argv[1], "-h")) {
		if (argc >= 2) {
			fputs(usage, stdout);
			return 0;
		}
		return bad_usage(cmd, "%s", "missing subcommand 'add'");
	}
	if (strcmp(argv[1], "add"))
		return bad_usage(cmd, "unknown subcommand '%s'", argv[1]);
	argc--;
	argv++;
	const char *email = NULL, *name = NULL, *org = NULL, *roles_s = NULL;
	const char *db = env_or("HELHED_DB", "var/helhed.db");
	static const struct option opts[] = {
		{ "email", required_argument, NULL, 'e' },
		{ "name", required_argument, NULL, 'n' },
		{ "organisation", required_argument, NULL, 'o' },
		{ "roles", required_argument, NULL, 'r' },
		{ "db", required_argument, NULL, 'd' },
		{ "key-file", required_argument, NULL, 'K' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 }
	};
	int o;
	opterr = 0;
	optind = 1;
	while ((o = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		switch (o) {
		case 'e':
			if (token)
				return opt_error(cmd, argv);
			email = optarg;
			break;
		case 'n': name = optarg; break;
		case 'o': org = optarg; break;
		case 'r': roles_s = optarg; break;
		case 'd': db = optarg; break;
		case 'K': key_file = optarg; break;
		case 'h': fputs(usage, stdout); return 0;
		default: return opt_error(cmd, argv);
		}
	}
	if (optind < argc)
		return bad_usage(cmd, "unexpected argument '%s'", argv[optind]);
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

static int cmd_search(int argc, char **argv)
{
	const char *db = env_or("HELHED_DB", "var/helhed.db");
	const char *dict = env_or("HELHED_DICT", "/usr/share/dict/danish");
	const char *synonyms = env_or("HELHED_SYNONYMS", "content/synonyms.txt");
	const char *muni = NULL, *limit_s = "10";
	int json_out = 0, staff = 0;
	static const struct option opts[] = {
		{ "db", required_argument, NULL, 'd' },
		{ "json", no_argument, NULL, 'j' },
		{ "municipality", required_argument, NULL, 'm' },
		{ "limit", required_argument, NULL, 'n' },
		{ "staff", no_argument, NULL, 'S' },
		{ "dict", required_argument, NULL, 'x' },
		{ "synonyms", required_argument, NULL, 's' },
		{ "key-file", required_argument, NULL, 'K' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 }
	};
	int o;
	opterr = 0;
	while ((o = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		switch (o) {
		case 'd': db = optarg; break;
		case 'K': key_file = optarg; break;
		case 'j': json_out = 1; break;
		case 'm': muni = optarg; break;
		case 'n': limit_s = optarg; break;
		case 'S': staff = 1; break;
		case 'x': dict = optarg; break;
		case 's': synonyms = optarg; break;
		case 'h': fputs(usage_search, stdout); return 0;
		default: return opt_error("search", argv);
		}
	}
	if (optind >= argc)
		return bad_usage("search", "%s", "missing QUERY");
	/* the words may be given as one argument or several */
	struct hh_buf qb;
	hh_buf_init(&qb);
	for (int i = optind; i < argc; i++) {
		if (i > optind)
			hh_buf_putc(&qb, ' ');
		hh_buf_puts(&qb, argv[i]);
	}
	char *end;
	long limit = strtol(limit_s, &end, 10);
	if (*end || limit < 1 || limit > 100) {
		hh_buf_clear(&qb);
		return bad_usage("search", "--limit must be 1 to 100, not '%s'",
				 limit_s);
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

static int cmd_rotate_key(int argc, char **argv)
{
	const char *db = env_or("HELHED_DB", "var/helhed.db");
	const char *batch_s = "500";
	static const struct option opts[] = {
		{ "db", required_argument, NULL, 'd' },
		{ "key-file", required_argument, NULL, 'K' },
		{ "batch", required_argument, NULL, 'b' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 }
	};
	int o;
	opterr = 0;
	while ((o = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		switch (o) {
		case 'd': db = optarg; break;
		case 'K': key_file = optarg; break;
		case 'b': batch_s = optarg; break;
		case 'h': fputs(usage_rotate, stdout); return 0;
		default: return opt_error("rotate-key", argv);
		}
	}
	if (optind < argc)
		return bad_usage("rotate-key", "unexpected argument '%s'",
				 argv[optind]);
	char *end;
	long batch = strtol(batch_s, &end, 10);
	if (*end || batch < 1 || batch > 100000)
		return bad_usage("rotate-key", "--batch must be 1 to 100000, not '%s'",
				 batch_s);
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

static int cmd_print_batch(int argc, char **argv)
{
	const char *db = env_or("HELHED_DB", "var/helhed.db");
	const char *spool = env_or("HELHED_SPOOL", NULL);
	const char *day = NULL;
	static const struct option opts[] = {
		{ "db", required_argument, NULL, 'd' },
		{ "spool", required_argument, NULL, 's' },
		{ "day", required_argument, NULL, 'y' },
		{ "key-file", required_argument, NULL, 'K' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 }
	};
	int o;
	opterr = 0;
	while ((o = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		switch (o) {
		case 'd': db = optarg; break;
		case 's': spool = optarg; break;
		case 'y': day = optarg; break;
		case 'K': key_file = optarg; break;
		case 'h': fputs(usage_print, stdout); return 0;
		default: return opt_error("print-batch", argv);
		}
	}
	if (optind < argc)
		return bad_usage("print-batch", "unexpected argument '%s'",
				 argv[optind]);
	int64_t now = hh_now_us() / 1000000, t;
	char today[11];
	if (!day) {
		time_t lt = (time_t)hh_dk_local(now);
		struct tm tm;
		gmtime_r(&lt, &tm);
		strftime(today, sizeof(today), "%Y-%m-%d", &tm);
		day = today;
	} else if (strlen(day) != 10 || !hh_iso8601_parse(day, &t)) {
		return bad_usage("print-batch", "--day must be YYYY-MM-DD, not '%s'",
				 day);
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

static int cmd_demo_year(int argc, char **argv)
{
	const char *db = env_or("HELHED_DB", "var/helhed.db");
	const char *content = "content", *seed_s = "1", *from_s = NULL;
	const char *days_s = "365", *scale_s = "1.0";
	static const struct option opts[] = {
		{ "db", required_argument, NULL, 'd' },
		{ "seed", required_argument, NULL, 's' },
		{ "from", required_argument, NULL, 'f' },
		{ "days", required_argument, NULL, 'n' },
		{ "scale", required_argument, NULL, 'x' },
		{ "content", required_argument, NULL, 'c' },
		{ "key-file", required_argument, NULL, 'K' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 }
	};
	int o;
	opterr = 0;
	while ((o = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		switch (o) {
		case 'd': db = optarg; break;
		case 's': seed_s = optarg; break;
		case 'f': from_s = optarg; break;
		case 'n': days_s = optarg; break;
		case 'x': scale_s = optarg; break;
		case 'c': content = optarg; break;
		case 'K': key_file = optarg; break;
		case 'h': fputs(usage_demo_year, stdout); return 0;
		default: return opt_error("demo-year", argv);
		}
	}
	if (optind < argc)
		return bad_usage("demo-year", "unexpected argument '%s'", argv[optind]);
	struct hh_demo_year_opts yo = { 0 };
	char *end;
	errno = 0;
	yo.seed = strtoull(seed_s, &end, 10);
	if (*end || !*seed_s || *seed_s == '-' || errno)
		return bad_usage("demo-year", "--seed must be a whole number, not '%s'",
				 seed_s);
	long days = strtol(days_s, &end, 10);
	if (*end || days < 1 || days > 1000)
		return bad_usage("demo-year", "--days must be 1 to 1000, not '%s'",
				 days_s);
	yo.days = (int)days;
	yo.scale = strtod(scale_s, &end);
	if (*end || !(yo.scale > 0) || yo.scale > 10)
		return bad_usage("demo-year",
				 "--scale must be above 0 and at most 10, not '%s'",
				 scale_s);
	if (from_s) {
		int y, m, d;
		char tail;
		if (strlen(from_s) != 10 ||
		    sscanf(from_s, "%4d-%2d-%2d%c", &y, &m, &d, &tail) != 3 ||
		    m < 1 || m > 12 || d < 1 || d > 31)
			return bad_usage("demo-year",
					 "--from must be a date YYYY-MM-DD, not '%s'", from_s);
		yo.from_day = hh_days_from_civil(y, m, d);
		int64_t yy;
		int mm, dd;
		hh_civil_from_days(yo.from_day, &yy, &mm, &dd);
		if (mm != m || dd != d)
			return bad_usage("demo-year", "--from: no such date '%s'", from_s);
	} else {
		yo.from_day = hh_demo_year_default_from(hh_now_us() / 1000000);
	}
	/* a year of the past: figures of days to come would be invented */
	int64_t today = hh_dk_local(hh_now_us() / 1000000) / 86400;
	if (yo.from_day + yo.days > today + 1)
		return bad_usage("demo-year", "%s",
				 "--from and --days must end by today");
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

static int cmd_copy(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "from", required_argument, NULL, 'f' },
		{ "to", required_argument, NULL, 't' },
		{ "quiet", no_argument, NULL, 'q' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 }
	};
	const char *from = NULL, *to = NULL;
	int quiet = 0, o;
	opterr = 0;
	while ((o = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		switch (o) {
		case 'f': from = optarg; break;
		case 't': to = optarg; break;
		case 'q': quiet = 1; break;
		case 'h': fputs(usage_copy, stdout); return 0;
		default: return opt_error("copy", argv);
		}
	}
	if (optind < argc)
		return bad_usage("copy", "unexpected argument '%s'", argv[optind]);
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
	/* o-deb: the other commands read helhed.conf too (serve reads it
	 * itself, after its --config) */
	if (strcmp(cmd, "serve") && cmd[0] != '-' && strcmp(cmd, "help")) {
		int conf_rc = serve_config(cmd, argc - 1, argv + 1);
		if (conf_rc >= 0)
			return conf_rc;
	}
	key_file = env_or("HELHED_KEY_FILE", NULL);
	if (!strcmp(cmd, "--help") || !strcmp(cmd, "-h") || !strcmp(cmd, "help")) {
		fputs(usage_main, stdout);
		return 0;
	}
	if (!strcmp(cmd, "--version")) {
		printf("helhed %s\n", VERSION);
		return 0;
	}
	if (!strcmp(cmd, "serve"))
		return cmd_serve(argc - 1, argv + 1);
	if (!strcmp(cmd, "import"))
		return cmd_import(argc - 1, argv + 1);
	if (!strcmp(cmd, "import-kle")) /* kle (issue 15) */
		return cmd_import_kle(argc - 1, argv + 1);
	if (!strcmp(cmd, "export"))
		return cmd_export(argc - 1, argv + 1);
	if (!strcmp(cmd, "migrate"))
		return cmd_migrate(argc - 1, argv + 1);
	if (!strcmp(cmd, "backup")) /* o-backup */
		return cmd_backup(argc - 1, argv + 1);
	if (!strcmp(cmd, "restore")) /* o-backup */
		return cmd_restore(argc - 1, argv + 1);
	if (!strcmp(cmd, "user"))
		return cmd_user_or_token(argc - 1, argv + 1, 0);
	if (!strcmp(cmd, "token"))
		return cmd_user_or_token(argc - 1, argv + 1, 1);
	if (!strcmp(cmd, "search"))
		return cmd_search(argc - 1, argv + 1);
	if (!strcmp(cmd, "rotate-key"))
		return cmd_rotate_key(argc - 1, argv + 1);
	if (!strcmp(cmd, "print-batch"))
		return cmd_print_batch(argc - 1, argv + 1);
	if (!strcmp(cmd, "demo-year")) /* fig-year */
		return cmd_demo_year(argc - 1, argv + 1);
	if (!strcmp(cmd, "figures-rebuild")) /* the service figures */
		return cmd_figures_rebuild(argc - 1, argv + 1);
	if (!strcmp(cmd, "copy")) /* pg-ops */
		return cmd_copy(argc - 1, argv + 1);
	return bad_usage(NULL, "unknown command '%s'", cmd);
}
