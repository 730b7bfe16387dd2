build-dev/obj/pages/staff.o: src/pages/staff.c src/core/log.h \
 src/core/util.h src/domain/access.h src/core/rc.h src/domain/actor.h \
 src/domain/model.h src/domain/articles.h src/store/store.h \
 src/core/arena.h src/domain/auth.h src/domain/oidc.h \
 src/domain/citizens.h src/domain/orgs.h src/pages/layout.h \
 src/pages/pages.h src/app/app.h src/http/http.h src/core/buf.h \
 src/http/errors.def src/http/json.h src/search/index.h \
 src/text/analyze.h src/text/wordset.h src/search/synonyms.h \
 src/core/dktime.h
src/core/log.h:
src/core/util.h:
src/domain/access.h:
src/core/rc.h:
src/domain/actor.h:
src/domain/model.h:
src/domain/articles.h:
src/store/store.h:
src/core/arena.h:
src/domain/auth.h:
src/domain/oidc.h:
src/domain/citizens.h:
src/domain/orgs.h:
src/pages/layout.h:
src/pages/pages.h:
src/app/app.h:
src/http/http.h:
src/core/buf.h:
src/http/errors.def:
src/http/json.h:
src/search/index.h:
src/text/analyze.h:
src/text/wordset.h:
src/search/synonyms.h:
src/core/dktime.h:
