/* access.c - the access table: role x resource x action -> scope.
 *
 * Read it as sentences: "caseworkers, agents, managers and admins READ
 * CASES of their OWN ORGANISATION". Whatever has no line is refused. A
 * caller may CHANGE or CREATE only where a line says so; where it may not
 * even READ a thing, every answer about that thing is NOT_FOUND. */
#include "domain/access.h"

#include <stddef.h>

#include "store/store.h"

#define STAFF (HH_ROLE_AGENT | HH_ROLE_CASEWORKER | HH_ROLE_EDITOR | \
	       HH_ROLE_MANAGER | HH_ROLE_ADMIN)
#define EVERYONE (STAFF | HH_ROLE_CITIZEN | HH_ROLE_ANONYMOUS)
/* who works cases: the front desk, caseworkers and admins change them;
 * managers read them for the figures */
#define CASE_READERS (HH_ROLE_AGENT | HH_ROLE_CASEWORKER | HH_ROLE_MANAGER | \
		      HH_ROLE_ADMIN)
#define CASE_WORKERS (HH_ROLE_AGENT | HH_ROLE_CASEWORKER | HH_ROLE_ADMIN)
#define EDITORS (HH_ROLE_EDITOR | HH_ROLE_ADMIN)
#define CITIZEN HH_ROLE_CITIZEN

static const struct hh_access_rule rules[] = {
	/* the knowledge base */
	{ EVERYONE, HH_RES_ARTICLE, HH_ACT_READ, HH_SCOPE_ANY },
	{ STAFF, HH_RES_ARTICLE_STAFF, HH_ACT_READ, HH_SCOPE_ANY },
	{ EDITORS, HH_RES_ARTICLE, HH_ACT_CREATE, HH_SCOPE_OWN_ORG_SHARED },
	{ EDITORS, HH_RES_ARTICLE, HH_ACT_CHANGE, HH_SCOPE_OWN_ORG_SHARED },
	{ EDITORS, HH_RES_ARTICLE_STAFF, HH_ACT_CHANGE, HH_SCOPE_OWN_ORG_SHARED },
	{ EDITORS, HH_RES_ARTICLE_DRAFT, HH_ACT_READ, HH_SCOPE_OWN_ORG_SHARED },
	{ EDITORS, HH_RES_ARTICLE_DRAFT, HH_ACT_CHANGE, HH_SCOPE_OWN_ORG_SHARED },
	{ EDITORS, HH_RES_ARTICLE_HISTORY, HH_ACT_READ, HH_SCOPE_OWN_ORG_SHARED },
	/* each organisation's searches to its own; the shared knowledge
	 * base's to the municipalities, whose editors may change it */
	{ EDITORS | HH_ROLE_MANAGER, HH_RES_SEARCH_REPORT, HH_ACT_READ,
	  HH_SCOPE_OWN_ORG_SHARED },

	/* cases */
	{ CITIZEN, HH_RES_CASE, HH_ACT_CREATE, HH_SCOPE_OWN_CITIZEN },
	{ CITIZEN, HH_RES_CASE, HH_ACT_READ, HH_SCOPE_OWN_CITIZEN },
	{ CITIZEN, HH_RES_CASE, HH_ACT_CHANGE, HH_SCOPE_OWN_CITIZEN },
	{ CASE_READERS, HH_RES_CASE, HH_ACT_READ, HH_SCOPE_OWN_ORG },
	{ CASE_WORKERS, HH_RES_CASE, HH_ACT_CHANGE, HH_SCOPE_OWN_ORG },
	{ CITIZEN, HH_RES_CASE_QUEUE, HH_ACT_READ, HH_SCOPE_OWN_CITIZEN },
	/* p-parties: the other party to a case reads and answers their
	 * own invitation */
	{ CITIZEN, HH_RES_CASE_PARTY, HH_ACT_READ, HH_SCOPE_OWN_CITIZEN },
	{ CITIZEN, HH_RES_CASE_PARTY, HH_ACT_CHANGE, HH_SCOPE_OWN_CITIZEN },
	/* p-agree: an agreement's signers read and sign it (owner: the
	 * signer), staff of the case's organisation read it */
	{ CITIZEN, HH_RES_CASE_AGREEMENT, HH_ACT_READ, HH_SCOPE_OWN_CITIZEN },
	{ CITIZEN, HH_RES_CASE_AGREEMENT, HH_ACT_CHANGE, HH_SCOPE_OWN_CITIZEN },
	{ CASE_READERS, HH_RES_CASE_AGREEMENT, HH_ACT_READ, HH_SCOPE_OWN_ORG },
	{ CASE_READERS, HH_RES_CASE_QUEUE, HH_ACT_READ, HH_SCOPE_OWN_ORG },

	/* inquiries: the front desk and caseworkers log and change their
	 * organisation's, managers read them for the figures; a citizen
	 * reads their own */
	{ CASE_WORKERS, HH_RES_INQUIRY, HH_ACT_CREATE, HH_SCOPE_OWN_ORG },
	{ CASE_READERS, HH_RES_INQUIRY, HH_ACT_READ, HH_SCOPE_OWN_ORG },
	{ CASE_WORKERS, HH_RES_INQUIRY, HH_ACT_CHANGE, HH_SCOPE_OWN_ORG },
	{ CITIZEN, HH_RES_INQUIRY, HH_ACT_READ, HH_SCOPE_OWN_CITIZEN },
	/* the citizen's own */
	{ CITIZEN, HH_RES_PLAN, HH_ACT_CREATE, HH_SCOPE_OWN_CITIZEN },
	{ CITIZEN, HH_RES_PLAN, HH_ACT_READ, HH_SCOPE_OWN_CITIZEN },
	{ CITIZEN, HH_RES_PLAN, HH_ACT_CHANGE, HH_SCOPE_OWN_CITIZEN },
	{ CITIZEN, HH_RES_OVERVIEW, HH_ACT_READ, HH_SCOPE_OWN_CITIZEN },
	{ CITIZEN, HH_RES_AUDIT, HH_ACT_READ, HH_SCOPE_OWN_CITIZEN },

	/* Open311: public requests without personal data; an API key of an
	 * organisation submits them, the owner being the organisation the
	 * case goes to. The front desk's systems file requests with any
	 * authority (joining up is their job); a caseworker's or admin's
	 * only with their own organisation; editors and managers none. */
	{ EVERYONE, HH_RES_OPEN311_REQUEST, HH_ACT_READ, HH_SCOPE_ANY },
	{ HH_ROLE_AGENT, HH_RES_OPEN311_REQUEST, HH_ACT_CREATE, HH_SCOPE_ANY },
	{ HH_ROLE_CASEWORKER | HH_ROLE_ADMIN, HH_RES_OPEN311_REQUEST,
	  HH_ACT_CREATE, HH_SCOPE_OWN_ORG },

	/* the agent's desk (domain/desk.h): the front desk and admins find
	 * citizens and read their history (the owner is the citizen's
	 * municipality for a municipality's desk, the desk's own
	 * organisation for an agency's, which serves everyone); the
	 * receiving side of a transfer takes and closes what was transferred
	 * to its organisation; editors and managers read how often an
	 * article answered an inquiry */
	{ HH_ROLE_AGENT | HH_ROLE_ADMIN, HH_RES_CITIZEN_LOOKUP, HH_ACT_READ,
	  HH_SCOPE_OWN_ORG },
	{ CASE_READERS, HH_RES_INQUIRY_TRANSFER, HH_ACT_READ, HH_SCOPE_OWN_ORG },
	{ CASE_WORKERS, HH_RES_INQUIRY_TRANSFER, HH_ACT_CHANGE, HH_SCOPE_OWN_ORG },
	{ EDITORS | HH_ROLE_MANAGER, HH_RES_ARTICLE_USEFULNESS, HH_ACT_READ,
	  HH_SCOPE_OWN_ORG_SHARED },
	/* appointments: a time at the counter is booked without signing
	 * in, by a signed-in citizen as their own, or by the front desk
	 * and admins at their organisation's counter; other staff sign out
	 * to book as citizens. Whoever holds a booking's code sees, moves
	 * and cancels it (the code is the key, checked in appointments.c,
	 * not a role). A signed-in citizen reads their own bookings; the
	 * front desk and admins read their organisation's day list and
	 * mark who came. */
	{ HH_ROLE_ANONYMOUS, HH_RES_APPOINTMENT, HH_ACT_CREATE, HH_SCOPE_ANY },
	{ CITIZEN, HH_RES_APPOINTMENT, HH_ACT_CREATE, HH_SCOPE_OWN_CITIZEN },
	{ HH_ROLE_AGENT | HH_ROLE_ADMIN, HH_RES_APPOINTMENT, HH_ACT_CREATE,
	  HH_SCOPE_OWN_ORG },
	{ CITIZEN, HH_RES_APPOINTMENT, HH_ACT_READ, HH_SCOPE_OWN_CITIZEN },
	{ HH_ROLE_AGENT | HH_ROLE_ADMIN, HH_RES_APPOINTMENT, HH_ACT_READ,
	  HH_SCOPE_OWN_ORG },
	{ HH_ROLE_AGENT | HH_ROLE_ADMIN, HH_RES_APPOINTMENT, HH_ACT_CHANGE,
	  HH_SCOPE_OWN_ORG },
	/* chat: anyone may open a chat with an organisation; a signed-in
	 * citizen reads and writes their own, the agents of the
	 * organisation read and answer its chats and work its queue. An
	 * anonymous citizen's chat is reached by its chat token alone,
	 * which domain/chat.c checks before this table (the token is the
	 * capability; nobody else gets past the table) */
	{ CITIZEN, HH_RES_CHAT, HH_ACT_CREATE, HH_SCOPE_OWN_CITIZEN },
	{ HH_ROLE_ANONYMOUS, HH_RES_CHAT, HH_ACT_CREATE, HH_SCOPE_ANY },
	{ CITIZEN, HH_RES_CHAT, HH_ACT_READ, HH_SCOPE_OWN_CITIZEN },
	{ CITIZEN, HH_RES_CHAT, HH_ACT_CHANGE, HH_SCOPE_OWN_CITIZEN },
	{ HH_ROLE_AGENT, HH_RES_CHAT, HH_ACT_READ, HH_SCOPE_OWN_ORG },
	{ HH_ROLE_AGENT, HH_RES_CHAT, HH_ACT_CHANGE, HH_SCOPE_OWN_ORG },
	{ HH_ROLE_AGENT, HH_RES_CHAT_QUEUE, HH_ACT_READ, HH_SCOPE_OWN_ORG },
	/* delivery (domain/messages.h): those who read the organisation's
	 * cases see its messages and the error queue, those who work them
	 * send a message again or to print, and fetch the print batches for
	 * the mail room; the front desk (as for the desk's look-up: the
	 * owner is the citizen's municipality) registers and lifts a
	 * citizen's exemption from Digital Post */
	{ CASE_READERS, HH_RES_MESSAGE, HH_ACT_READ, HH_SCOPE_OWN_ORG },
	{ CASE_WORKERS, HH_RES_MESSAGE, HH_ACT_CHANGE, HH_SCOPE_OWN_ORG },
	{ CASE_WORKERS, HH_RES_PRINT_BATCH, HH_ACT_READ, HH_SCOPE_OWN_ORG },
	{ HH_ROLE_AGENT | HH_ROLE_ADMIN, HH_RES_DP_EXEMPTION, HH_ACT_READ,
	  HH_SCOPE_OWN_ORG },
	{ HH_ROLE_AGENT | HH_ROLE_ADMIN, HH_RES_DP_EXEMPTION, HH_ACT_CHANGE,
	  HH_SCOPE_OWN_ORG },
	/* the citizen's inbox: a citizen reads and answers the letters sent
	 * to them, and nobody else reads them there (staff read letters on
	 * the case, through the letters module's own rules) */
	{ CITIZEN, HH_RES_INBOX, HH_ACT_READ, HH_SCOPE_OWN_CITIZEN },
	{ CITIZEN, HH_RES_INBOX, HH_ACT_CHANGE, HH_SCOPE_OWN_CITIZEN },
	/* the service figures (domain/figures.h): managers and admins read
	 * their own organisation's; nobody writes them (the fold does, from
	 * the events); the public service levels need no line */
	{ HH_ROLE_MANAGER | HH_ROLE_ADMIN, HH_RES_FIGURES, HH_ACT_READ,
	  HH_SCOPE_OWN_ORG },
	/* s-edit (issue 13): the editors of any organisation (agencies'
	 * too, who may not change the shared base themselves) propose a
	 * change to a shared article and follow their organisation's
	 * proposals; the shared base's editors (those who may change a
	 * shared article: municipalities' editors and admins) decide them */
	{ EDITORS, HH_RES_ARTICLE_PROPOSAL, HH_ACT_CREATE, HH_SCOPE_OWN_ORG },
	{ EDITORS, HH_RES_ARTICLE_PROPOSAL, HH_ACT_READ, HH_SCOPE_OWN_ORG },
	/* x-ext (issue 15): an authority's case system reports and reads
	 * back its own organisation's cases, and nobody else's */
	{ HH_ROLE_CASE_SYSTEM, HH_RES_EXTERNAL_CASE, HH_ACT_CREATE,
	  HH_SCOPE_OWN_ORG },
	{ HH_ROLE_CASE_SYSTEM, HH_RES_EXTERNAL_CASE, HH_ACT_CHANGE,
	  HH_SCOPE_OWN_ORG },
	{ HH_ROLE_CASE_SYSTEM, HH_RES_EXTERNAL_CASE, HH_ACT_READ,
	  HH_SCOPE_OWN_ORG },
	/* x-decl (issue 15): an organisation's admin declares its case
	 * systems; the admin and the organisation's own case systems read
	 * them */
	{ HH_ROLE_ADMIN, HH_RES_CASE_SYSTEM, HH_ACT_CREATE, HH_SCOPE_OWN_ORG },
	{ HH_ROLE_ADMIN, HH_RES_CASE_SYSTEM, HH_ACT_CHANGE, HH_SCOPE_OWN_ORG },
	{ HH_ROLE_ADMIN | HH_ROLE_CASE_SYSTEM, HH_RES_CASE_SYSTEM, HH_ACT_READ,
	  HH_SCOPE_OWN_ORG },
};

const struct hh_access_rule *hh_access_rules(int *n)
{
	*n = (int)(sizeof(rules) / sizeof(rules[0]));
	return rules;
}

static unsigned role_bits(const struct hh_actor *who)
{
	return who->roles ? who->roles : HH_ROLE_ANONYMOUS;
}

int hh_access_covers(const struct hh_actor *who, enum hh_access_scope scope,
		     const struct hh_owner *o)
{
	switch (scope) {
	case HH_SCOPE_ANY:
		return 1;
	case HH_SCOPE_OWN_ORG:
		return who->org_id && o->org_id == who->org_id;
	case HH_SCOPE_OWN_ORG_SHARED:
		return who->org_id && (o->org_id == who->org_id ||
				       (o->org_id == 0 && who->org_is_municipality));
	case HH_SCOPE_OWN_CITIZEN:
		return who->citizen_id && o->citizen_id == who->citizen_id;
	case HH_SCOPE_NONE:
		break;
	}
	return 0;
}

enum hh_access_scope hh_access_scope(const struct hh_actor *who,
				     enum hh_resource res,
				     enum hh_access_action act)
{
	if (who->system)
		return HH_SCOPE_ANY;
	unsigned bits = role_bits(who);
	enum hh_access_scope best = HH_SCOPE_NONE;
	for (size_t i = 0; i < sizeof(rules) / sizeof(rules[0]); i++) {
		const struct hh_access_rule *r = &rules[i];
		if (r->resource != res || r->action != act || !(r->roles & bits))
			continue;
		/* ANY is the widest; the others do not overlap for one
		 * caller (a citizen has no organisation) */
		if (best == HH_SCOPE_NONE || r->scope == HH_SCOPE_ANY ||
		    (r->scope == HH_SCOPE_OWN_ORG_SHARED &&
		     best == HH_SCOPE_OWN_ORG))
			best = r->scope;
	}
	return best;
}

/* Any line for this caller, resource and action that covers owner? */
static int allowed(const struct hh_actor *who, enum hh_resource res,
		   enum hh_access_action act, const struct hh_owner *owner)
{
	if (who->system)
		return 1;
	unsigned bits = role_bits(who);
	for (size_t i = 0; i < sizeof(rules) / sizeof(rules[0]); i++) {
		const struct hh_access_rule *r = &rules[i];
		if (r->resource != res || r->action != act || !(r->roles & bits))
			continue;
		if (!owner || hh_access_covers(who, r->scope, owner))
			return 1;
	}
	return 0;
}

enum hh_rc hh_access(const struct hh_actor *who, enum hh_resource res,
		     enum hh_access_action act, const struct hh_owner *owner)
{
	if (allowed(who, res, act, owner))
		return HH_OK;
	if (!owner)
		return HH_ERR_FORBIDDEN;
	/* hidden unless the caller may at least read it */
	if (act != HH_ACT_READ && allowed(who, res, HH_ACT_READ, owner))
		return HH_ERR_FORBIDDEN;
	return HH_ERR_NOT_FOUND;
}

const char *hh_resource_name(enum hh_resource r)
{
	static const char *const names[HH_RES__COUNT] = {
		[HH_RES_ARTICLE] = "article",
		[HH_RES_ARTICLE_STAFF] = "staff-article",
		[HH_RES_ARTICLE_DRAFT] = "draft-article",
		[HH_RES_ARTICLE_HISTORY] = "article-history",
		[HH_RES_SEARCH_REPORT] = "search-report",
		[HH_RES_CASE] = "case",
		[HH_RES_CASE_PARTY] = "case-party",
		[HH_RES_CASE_AGREEMENT] = "case-agreement",
		[HH_RES_CASE_QUEUE] = "case-queue",
		[HH_RES_PLAN] = "plan",
		[HH_RES_OVERVIEW] = "overview",
		[HH_RES_AUDIT] = "audit",
		[HH_RES_OPEN311_REQUEST] = "open311-request",
		[HH_RES_INQUIRY] = "inquiry",
		/* the agent's desk */
		[HH_RES_CITIZEN_LOOKUP] = "citizen-lookup",
		[HH_RES_INQUIRY_TRANSFER] = "inquiry-transfer",
		[HH_RES_ARTICLE_USEFULNESS] = "article-usefulness",
		[HH_RES_APPOINTMENT] = "appointment", /* appointments */
		/* chat */
		[HH_RES_CHAT] = "chat",
		[HH_RES_CHAT_QUEUE] = "chat-queue",
		/* delivery */
		[HH_RES_MESSAGE] = "message",
		[HH_RES_PRINT_BATCH] = "print-batch",
		[HH_RES_DP_EXEMPTION] = "dp-exemption",
		[HH_RES_INBOX] = "inbox", /* the citizen's inbox */
		[HH_RES_FIGURES] = "figures", /* the service figures */
		[HH_RES_ARTICLE_PROPOSAL] = "article-proposal", /* s-edit */
		[HH_RES_EXTERNAL_CASE] = "external-case", /* x-ext */
		[HH_RES_CASE_SYSTEM] = "case-system", /* x-decl */
	};
	return (unsigned)r < HH_RES__COUNT ? names[r] : "?";
}

const char *hh_access_action_name(enum hh_access_action a)
{
	return a == HH_ACT_READ ? "read" : a == HH_ACT_CREATE ? "create"
			       : a == HH_ACT_CHANGE ? "change" : "?";
}
