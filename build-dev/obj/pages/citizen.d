build-dev/obj/pages/citizen.o: src/pages/citizen.c src/domain/orgs.h \
 src/core/arena.h src/store/store.h src/core/rc.h src/domain/model.h \
 src/core/log.h src/core/util.h src/domain/articles.h src/domain/actor.h \
 src/domain/plans.h src/domain/guide.h src/domain/reading.h \
 src/search/index.h src/text/analyze.h src/text/wordset.h \
 src/search/synonyms.h src/pages/borger.h src/domain/casetype.h \
 src/domain/forms.h src/core/buf.h src/pages/layout.h src/pages/pages.h \
 src/app/app.h src/http/http.h src/http/errors.def src/http/json.h \
 src/domain/oidc.h src/domain/auth.h src/domain/citizens.h \
 src/core/dktime.h
src/domain/orgs.h:
src/core/arena.h:
src/store/store.h:
src/core/rc.h:
src/domain/model.h:
src/core/log.h:
src/core/util.h:
src/domain/articles.h:
src/domain/actor.h:
src/domain/plans.h:
src/domain/guide.h:
src/domain/reading.h:
src/search/index.h:
src/text/analyze.h:
src/text/wordset.h:
src/search/synonyms.h:
src/pages/borger.h:
src/domain/casetype.h:
src/domain/forms.h:
src/core/buf.h:
src/pages/layout.h:
src/pages/pages.h:
src/app/app.h:
src/http/http.h:
src/http/errors.def:
src/http/json.h:
src/domain/oidc.h:
src/domain/auth.h:
src/domain/citizens.h:
src/core/dktime.h:
