build-dev/obj/pages/desk.o: src/pages/desk.c src/core/dktime.h \
 src/core/arena.h src/core/util.h src/domain/access.h src/core/rc.h \
 src/domain/actor.h src/domain/model.h src/domain/auth.h \
 src/store/store.h src/domain/casetype.h src/domain/forms.h \
 src/core/buf.h src/domain/catalogue.h src/domain/desk.h \
 src/domain/cases.h src/domain/inquiries.h src/domain/orgs.h \
 src/domain/reading.h src/search/index.h src/text/analyze.h \
 src/text/wordset.h src/search/synonyms.h src/pages/layout.h \
 src/pages/pages.h src/app/app.h src/http/http.h src/http/errors.def \
 src/http/json.h src/domain/oidc.h src/domain/citizens.h
src/core/dktime.h:
src/core/arena.h:
src/core/util.h:
src/domain/access.h:
src/core/rc.h:
src/domain/actor.h:
src/domain/model.h:
src/domain/auth.h:
src/store/store.h:
src/domain/casetype.h:
src/domain/forms.h:
src/core/buf.h:
src/domain/catalogue.h:
src/domain/desk.h:
src/domain/cases.h:
src/domain/inquiries.h:
src/domain/orgs.h:
src/domain/reading.h:
src/search/index.h:
src/text/analyze.h:
src/text/wordset.h:
src/search/synonyms.h:
src/pages/layout.h:
src/pages/pages.h:
src/app/app.h:
src/http/http.h:
src/http/errors.def:
src/http/json.h:
src/domain/oidc.h:
src/domain/citizens.h:
