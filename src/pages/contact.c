/* contact.c - the contact pages (an index, and one page per
 * organisation: phone, e-mail, address, this week's opening hours of the
 * counter, the phone and the chat, the chat's state now and a link to
 * book a time), the accessibility statement and the privacy page. */
#include "pages/booking.h"

#include <string.h>

#include "core/dktime.h"
#include "core/util.h"
#include "domain/appointments.h"
#include "domain/chat.h"
#include "domain/contact.h"
#include "domain/hours.h"
#include "domain/orgs.h"

/* ---- the index ---------------------------------------------------------- */

struct orgs {
	struct hh_req *r;
	int kind;
};

static enum hh_rc org_link(void *p, const struct hh_org *o)
{
	struct orgs *l = p;
	if ((int)o->kind != l->kind)
		return HH_OK;
	struct hh_req *r = l->r;
	hh_buf_puts(&r->resp, "<li><a href=\"/kontakt/");
	hh_buf_urlenc(&r->resp, o->code);
	hh_buf_puts(&r->resp, "\">");
	hh_page_text(r, o->name);
	hh_buf_puts(&r->resp, "</a></li>\n");
	return HH_OK;
}

void hh_page_contact_index(struct hh_req *r)
{
	struct hh_buf *b = &r->resp;
	struct hh_page p = { .title = "Kontakt",
			     .description = "Telefon, adresse og åbningstider "
					    "for kommuner og styrelser." };
	hh_page_begin(r, &p);
	hh_buf_puts(b, "<h1>Kontakt</h1>\n<p class=\"lead\">Vælg, hvem du vil "
		       "kontakte. Du kan se telefonnummer, adresse og "
		       "åbningstider, og om chatten er åben.</p>\n"
		       "<h2>Kommuner</h2>\n<ul class=\"contact-list\">\n");
	struct orgs l = { r, HH_ORG_MUNICIPALITY };
	enum hh_rc rc = hh_org_each(r->app->store, &r->arena, org_link, &l);
	hh_buf_puts(b, "</ul>\n<h2>Styrelser og andre myndigheder</h2>\n"
		       "<ul class=\"contact-list\">\n");
	l.kind = HH_ORG_AGENCY;
	if (rc == HH_OK)
		rc = hh_org_each(r->app->store, &r->arena, org_link, &l);
	hh_buf_puts(b, "</ul>\n");
	hh_page_end(r, rc == HH_OK ? 200 : 503);
}

/* ---- one organisation --------------------------------------------------- */

/* "08.00–15.00" spans of a day, "Lukket" when none; and the day's note. */
static void day_hours(struct hh_req *r, const struct hh_hours_day *d)
{
	struct hh_buf *b = &r->resp;
	if (!d->n)
		hh_buf_puts(b, "Lukket");
	for (int i = 0; i < d->n; i++) {
		if (i)
			hh_buf_puts(b, " og ");
		hh_buf_printf(b, "%02d.%02d–%02d.%02d", d->span[i].open_min / 60,
			      d->span[i].open_min % 60, d->span[i].close_min / 60,
			      d->span[i].close_min % 60);
	}
	if (d->note) {
		hh_buf_puts(b, " <span class=\"hours-note\">(");
		hh_page_text(r, d->note);
		hh_buf_puts(b, ")</span>");
	}
}

static void week_table(struct hh_req *r, int64_t org_id, int64_t monday)
{
	static const struct {
		const char *service, *heading;
	} services[] = { { "counter", "Borgerservice (skranken)" },
			 { "phone", "Telefon" },
			 { "chat", "Chat" } };
	const struct hh_hours *h[3] = { 0 };
	int any = 0;
	for (int s = 0; s < 3; s++)
		if (hh_hours_get(r->app->store, &r->arena, org_id,
				 services[s].service, &h[s]) == HH_OK)
			any = 1;
		else
			h[s] = NULL;
	struct hh_buf *b = &r->resp;
	hh_buf_puts(b, "<h2 id=\"aabningstider\">Åbningstider denne uge</h2>\n");
	if (!any) {
		hh_buf_puts(b, "<p>Der er ikke oplyst åbningstider.</p>\n");
		return;
	}
	hh_buf_puts(b, "<div class=\"table-wrap\"><table class=\"hours\">\n"
		       "<caption>Åbningstider fra ");
	hh_page_text(r, hh_booking_day_da(&r->arena, monday));
	hh_buf_puts(b, "</caption>\n<thead><tr><th scope=\"col\">Dag</th>");
	for (int s = 0; s < 3; s++)
		if (h[s]) {
			hh_buf_puts(b, "<th scope=\"col\">");
			hh_page_text(r, services[s].heading);
			hh_buf_puts(b, "</th>");
		}
	hh_buf_puts(b, "</tr></thead>\n<tbody>\n");
	for (int64_t day = monday; day < monday + 7; day++) {
		hh_buf_puts(b, "<tr><th scope=\"row\">");
		hh_page_text(r, hh_booking_day_da(&r->arena, day));
		hh_buf_puts(b, "</th>");
		for (int s = 0; s < 3; s++) {
			if (!h[s])
				continue;
			struct hh_hours_day d;
			hh_hours_on(h[s], day, &d);
			hh_buf_puts(b, "<td>");
			day_hours(r, &d);
			hh_buf_puts(b, "</td>");
		}
		hh_buf_puts(b, "</tr>\n");
	}
	hh_buf_puts(b, "</tbody>\n</table></div>\n");
}

static void chat_state(struct hh_req *r, const struct hh_org *org, int64_t now)
{
	struct hh_buf *b = &r->resp;
	struct hh_chat_status cs;
	if (hh_chat_status(r->app->store, &r->arena, org->id, now, &cs) != HH_OK ||
	    !cs.has_hours)
		return;
	hh_buf_puts(b, "<h2>Chat</h2>\n<p class=\"chat-status\">");
	if (cs.open) {
		hh_buf_puts(b, "<strong>Chatten er åben nu</strong>");
		if (cs.change_at) {
			hh_buf_puts(b, " til kl. ");
			hh_page_text(r, hh_booking_clock(&r->arena, cs.change_at));
		}
		hh_buf_puts(b, ".");
	} else if (cs.in_hours) {
		hh_buf_puts(b, "<strong>Der er ingen ved chatten lige nu.</strong>");
	} else {
		hh_buf_puts(b, "<strong>Chatten er lukket nu.</strong>");
		if (cs.change_at) {
			hh_buf_puts(b, " Den åbner igen ");
			hh_page_text(r, hh_booking_day_da(&r->arena,
							  hh_appt_day_of(cs.change_at)));
			hh_buf_puts(b, " kl. ");
			hh_page_text(r, hh_booking_clock(&r->arena, cs.change_at));
			hh_buf_puts(b, ".");
		}
	}
	if (!cs.open)
		hh_buf_puts(b, " Du kan altid skrive til os, så svarer vi, når "
			       "vi har åbent.");
	hh_buf_puts(b, " <a href=\"/chat?organisation=");
	hh_buf_urlenc(b, org->code);
	hh_buf_puts(b, cs.open ? "\">Start en chat</a>" : "\">Skriv til os</a>");
	hh_buf_puts(b, "</p>\n");
}

void hh_page_contact(struct hh_req *r)
{
	struct hh_buf *b = &r->resp;
	struct hh_org org;
	enum hh_rc rc = hh_org_by_code(r->app->store, &r->arena,
				       hh_req_param(r, "code"), &org);
	if (rc == HH_ERR_NOT_FOUND) {
		hh_page_not_found(r);
		return;
	}
	if (rc != HH_OK) {
		hh_page_error(r, 503, "Prøv igen om lidt",
			      "Kontaktsiden kan ikke vises lige nu.");
		return;
	}
	struct hh_org_contact c;
	int have_contact = hh_org_contact_get(r->app->store, &r->arena, org.id, &c) == HH_OK;
	struct hh_counter_config cfg;
	int bookable = hh_counter_config_get(r->app->store, &r->arena, org.id, &cfg) == HH_OK;
	int64_t now = hh_now_us() / 1000000;
	int64_t today = hh_appt_day_of(now);
	int64_t monday = today - ((today + 3) % 7 + 7) % 7;
	const char *title = hh_arena_printf(&r->arena, "Kontakt %s", org.name);
	struct hh_page p = { .title = title };
	/* the chat's state changes by the minute */
	hh_resp_header(r, "Cache-Control", "no-store");
	hh_page_begin(r, &p);
	hh_buf_puts(b, "<h1>");
	hh_page_text(r, title);
	hh_buf_puts(b, "</h1>\n");
	if (have_contact) {
		hh_buf_puts(b, "<dl class=\"facts contact\">\n<dt>Telefon</dt><dd>"
			       "<a href=\"tel:");
		for (const char *s = c.phone; *s; s++)
			if (*s != ' ')
				hh_buf_putc(b, *s);
		hh_buf_puts(b, "\">");
		/* a number is not broken across lines */
		for (const char *s = c.phone; *s; s++) {
			if (*s == ' ')
				hh_buf_puts(b, "&nbsp;");
			else
				hh_buf_html_n(b, s, 1);
		}
		hh_buf_puts(b, "</a></dd>\n<dt>E-mail</dt><dd><a href=\"mailto:");
		hh_page_text(r, c.email);
		hh_buf_puts(b, "\">");
		hh_page_text(r, c.email);
		hh_buf_puts(b, "</a></dd>\n<dt>Adresse</dt><dd>");
		hh_page_text(r, c.address);
		hh_buf_puts(b, ", ");
		hh_page_text(r, c.postcode);
		hh_buf_puts(b, " ");
		hh_page_text(r, c.city);
		hh_buf_puts(b, "</dd>\n");
		if (c.web) {
			hh_buf_puts(b, "<dt>Hjemmeside</dt><dd><a href=\"");
			hh_page_text(r, c.web);
			hh_buf_puts(b, "\">");
			hh_page_text(r, c.web);
			hh_buf_puts(b, "</a></dd>\n");
		}
		hh_buf_puts(b, "</dl>\n<p class=\"hint\">Skriv ikke CPR-nummer "
			       "eller helbredsoplysninger i en almindelig e-mail. "
			       "Brug Digital Post eller en blanket her på siden."
			       "</p>\n");
	} else {
		hh_buf_puts(b, "<p>Der er ikke oplyst telefon og adresse.</p>\n");
	}
	if (bookable) {
		hh_buf_puts(b, "<h2>Bestil tid</h2>\n<p>Skal du have pas, kørekort "
			       "eller anden hjælp ved skranken, kan du bestille "
			       "en tid og undgå at vente.</p>\n<p><a "
			       "class=\"button\" href=\"/tidsbestilling?kommune=");
		hh_buf_urlenc(b, org.code);
		hh_buf_puts(b, "\">Bestil tid i Borgerservice</a></p>\n");
	}
	chat_state(r, &org, now);
	week_table(r, org.id, monday);
	hh_page_end_org(r, 200, org.code);
}

/* ---- the accessibility statement and the privacy page -------------------- */

void hh_page_accessibility(struct hh_req *r)
{
	struct hh_page p = { .title = "Tilgængelighedserklæring" };
	hh_page_begin(r, &p);
	hh_buf_puts(&r->resp,
		"<h1>Tilgængelighedserklæring</h1>\n"
		"<p class=\"lead\">Vi vil gerne, at alle kan bruge helhed, også "
		"hvis du ser dårligt, ikke kan bruge en mus, bruger skærmlæser "
		"eller har svært ved at læse. Her kan du læse, hvor langt vi er, "
		"og hvad vi ved, der ikke virker godt nok endnu.</p>\n"
		"<p>Erklæringen gælder løsningen helhed med vejledning, søgning, "
		"selvbetjening, Mit overblik, tidsbestilling og kontaktsider. "
		"Myndigheder, der bruger helhed, er forpligtet af lov om "
		"tilgængelighed af offentlige organers websteder og mobilapplikationer "
		"og skal selv offentliggøre deres erklæring på Digitaliseringsstyrelsens "
		"løsning (was.digst.dk).</p>\n"
		"<h2>Hvor tilgængelig er løsningen?</h2>\n"
		"<p>Løsningen er <strong>delvist i overensstemmelse</strong> med "
		"standarden EN 301 549 og dermed WCAG 2.1 på niveau AA. Det skyldes "
		"de forhold, der står under \"Det, der ikke er tilgængeligt\".</p>\n"
		"<h2>Sådan har vi vurderet løsningen</h2>\n"
		"<ul>\n"
		"<li>Hver side bliver ved hver ændring af koden kontrolleret "
		"automatisk i en rigtig browser med værktøjet axe-core mod WCAG 2.1 "
		"A og AA, og HTML'en bliver valideret.</li>\n"
		"<li>Borgerens sider er bygget til at virke uden JavaScript. Vi "
		"afprøver automatisk i en browser med JavaScript slået fra, at man "
		"kan søge, logge ind og bestille, flytte og aflyse en tid. At hele "
		"forløb kan gennemføres med tastaturet alene, har vi kun afprøvet "
		"for dele af siderne.</li>\n"
		"<li>Siderne bliver afprøvet på en smal mobilskærm og på en "
		"almindelig computerskærm.</li>\n"
		"</ul>\n"
		"<p>Automatiske test finder kun en del af de fejl, en bruger kan "
		"møde. Løsningen er endnu <strong>ikke testet af brugere med "
		"handicap</strong> og ikke gennemgået manuelt af en uafhængig "
		"tilgængelighedsekspert. Det står øverst på vores liste.</p>\n"
		"<h2>Det, der ikke er tilgængeligt</h2>\n"
		"<ul>\n"
		"<li>Vi har ikke afprøvet siderne med skærmlæsere (fx NVDA, JAWS "
		"eller VoiceOver) fra start til slut.</li>\n"
		"<li>PDF-breve og filer, som borgere eller myndigheder selv lægger "
		"op, bliver ikke kontrolleret for tilgængelighed.</li>\n"
		"<li>Vejledende tekster er ikke alle skrevet i let forståeligt "
		"sprog, og der findes ingen tegnsprogsvideoer.</li>\n"
		"<li>Chatten er ny, og dens opdateringer under en samtale er endnu "
		"ikke afprøvet med skærmlæser.</li>\n"
		"</ul>\n"
		"<h2>Giv os besked</h2>\n"
		"<p>Støder du på noget, du ikke kan bruge, så skriv eller ring til "
		"Borgerservice i din kommune. Du finder telefonnummer og adresse "
		"under <a href=\"/kontakt\">Kontakt</a>. Fortæl os, hvilken side "
		"det drejer sig om, og hvad der gik galt, så hjælper vi dig på en "
		"anden måde og retter fejlen.</p>\n"
		"<h2>Klag</h2>\n"
		"<p>Får du ikke et tilfredsstillende svar, kan du klage til "
		"Digitaliseringsstyrelsen, som fører tilsyn med offentlige "
		"myndigheders tilgængelighed.</p>\n"
		"<p class=\"hint\">Erklæringen er senest gennemgået i december 2026."
		"</p>\n");
	hh_page_end(r, 200);
}

void hh_page_privacy(struct hh_req *r)
{
	struct hh_page p = { .title = "Privatliv og dine data" };
	hh_page_begin(r, &p);
	hh_buf_puts(&r->resp,
		"<h1>Privatliv og dine data</h1>\n"
		"<p class=\"lead\">Her kan du læse, hvad helhed gemmer om dig, "
		"hvorfor vi gør det, og hvem der kan se det. Den myndighed, der "
		"behandler din sag, er dataansvarlig for oplysningerne i sagen.</p>\n"
		"<h2>Når du bare læser og søger</h2>\n"
		"<p>Du kan læse vejledning og søge uden at logge ind. Vi gemmer det, "
		"du søger efter, for at kunne forbedre teksterne, men vi fjerner "
		"først CPR-numre, telefonnumre, e-mailadresser, adresser og navne, "
		"vi kan genkende. Vi tæller, hvor mange der læser en artikel, men "
		"ikke hvem. Vi bruger ingen cookies til statistik eller "
		"markedsføring.</p>\n"
		"<h2>Cookies</h2>\n"
		"<p>Vi sætter kun cookies, der er nødvendige for, at siden virker: "
		"én, der husker, at du er logget ind, én, der husker den kommune, "
		"du har valgt, og sikkerhedsnøgler, der forhindrer, at andre "
		"hjemmesider sender formularer i dit navn.</p>\n"
		"<h2>Når du logger ind</h2>\n"
		"<p>Logger du ind med MitID, får vi dit navn, dit CPR-nummer og din "
		"kommune. CPR-nummeret gemmes krypteret og bruges kun til at finde "
		"dine sager og blanketter. Du bliver logget ud automatisk efter 15 "
		"minutter uden aktivitet.</p>\n"
		"<h2>Blanketter og sager</h2>\n"
		"<p>Når du sender en blanket, gemmer vi det, du har skrevet, og de "
		"filer, du har vedhæftet, som en sag hos den myndighed, der skal "
		"behandle den. Kun sagsbehandlere hos den myndighed kan se sagen. "
		"Hver gang en medarbejder læser dine oplysninger, bliver det "
		"skrevet i en log, som du selv kan se under Mit overblik.</p>\n"
		"<h2>Henvendelser og chat</h2>\n"
		"<p>Når du ringer, chatter eller kommer i Borgerservice, noterer "
		"medarbejderen, hvad henvendelsen handlede om, og hvordan den "
		"endte. Det bruger vi til at hjælpe dig, hvis du henvender dig "
		"igen, og til at se, om vi svarer godt nok. En chat gemmes som en "
		"del af henvendelsen.</p>\n"
		"<h2>Tidsbestilling</h2>\n"
		"<p>Bestiller du tid uden at logge ind, gemmer vi dit navn og den "
		"e-mail eller det telefonnummer, du skriver, så Borgerservice ved, "
		"hvem der kommer, og kan kontakte dig, hvis tiden må flyttes. "
		"Oplysningerne kan ses af Borgerservices medarbejdere i den "
		"kommune, hvor du har bestilt tid. Vores log over ændringer af "
		"tider indeholder ikke dit navn eller dine kontaktoplysninger.</p>\n"
		"<h2>Dine rettigheder</h2>\n"
		"<p>Du har ret til at få at vide, hvad vi har registreret om dig, og "
		"til at få forkerte oplysninger rettet. Du kan i visse tilfælde få "
		"oplysninger slettet eller gøre indsigelse. Kontakt den myndighed, "
		"sagen hører til, eller Borgerservice i din kommune; du finder dem "
		"under <a href=\"/kontakt\">Kontakt</a>. Du kan klage til "
		"Datatilsynet.</p>\n");
	hh_page_end(r, 200);
}
