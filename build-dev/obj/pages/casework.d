build-dev/obj/pages/casework.o: src/pages/casework.c src/core/log.h \
 src/core/util.h src/domain/caseread.h src/core/arena.h \
 src/domain/actor.h src/domain/model.h src/domain/casetype.h \
 src/core/rc.h src/domain/forms.h src/core/buf.h src/store/store.h \
 src/domain/cases.h src/domain/catalogue.h src/domain/desk.h \
 src/domain/orgs.h src/domain/queue.h src/pages/layout.h \
 src/pages/pages.h src/app/app.h src/http/http.h src/http/errors.def \
 src/http/json.h src/domain/oidc.h src/domain/auth.h \
 src/domain/citizens.h src/search/index.h src/text/analyze.h \
 src/text/wordset.h src/search/synonyms.h src/core/dktime.h
src/core/log.h:
src/core/util.h:
src/domain/caseread.h:
src/core/arena.h:
src/domain/actor.h:
src/domain/model.h:
src/domain/casetype.h:
src/core/rc.h:
src/domain/forms.h:
src/core/buf.h:
src/store/store.h:
src/domain/cases.h:
src/domain/catalogue.h:
src/domain/desk.h:
src/domain/orgs.h:
src/domain/queue.h:
src/pages/layout.h:
src/pages/pages.h:
src/app/app.h:
src/http/http.h:
src/http/errors.def:
src/http/json.h:
src/domain/oidc.h:
src/domain/auth.h:
src/domain/citizens.h:
src/search/index.h:
src/text/analyze.h:
src/text/wordset.h:
src/search/synonyms.h:
src/core/dktime.h:
