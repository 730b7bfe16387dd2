build-dev/obj/pages/borger.o: src/pages/borger.c src/pages/borger.h \
 src/domain/casetype.h src/core/rc.h src/domain/forms.h src/core/arena.h \
 src/core/buf.h src/pages/layout.h src/pages/pages.h src/app/app.h \
 src/domain/actor.h src/domain/model.h src/http/http.h \
 src/http/errors.def src/http/json.h src/core/util.h src/domain/oidc.h \
 src/domain/auth.h src/store/store.h src/domain/citizens.h \
 src/search/index.h src/text/analyze.h src/text/wordset.h \
 src/search/synonyms.h src/core/dktime.h src/core/log.h \
 src/domain/articles.h src/domain/cases.h src/domain/orgs.h \
 src/domain/plans.h
src/pages/borger.h:
src/domain/casetype.h:
src/core/rc.h:
src/domain/forms.h:
src/core/arena.h:
src/core/buf.h:
src/pages/layout.h:
src/pages/pages.h:
src/app/app.h:
src/domain/actor.h:
src/domain/model.h:
src/http/http.h:
src/http/errors.def:
src/http/json.h:
src/core/util.h:
src/domain/oidc.h:
src/domain/auth.h:
src/store/store.h:
src/domain/citizens.h:
src/search/index.h:
src/text/analyze.h:
src/text/wordset.h:
src/search/synonyms.h:
src/core/dktime.h:
src/core/log.h:
src/domain/articles.h:
src/domain/cases.h:
src/domain/orgs.h:
src/domain/plans.h:
