build-dev/obj/pages/blanket.o: src/pages/blanket.c src/core/log.h \
 src/core/util.h src/domain/auth.h src/core/arena.h src/core/rc.h \
 src/domain/actor.h src/domain/model.h src/store/store.h \
 src/domain/cases.h src/domain/casetype.h src/domain/forms.h \
 src/core/buf.h src/domain/plans.h src/http/multipart.h \
 src/pages/borger.h src/pages/layout.h src/pages/pages.h src/app/app.h \
 src/http/http.h src/http/errors.def src/http/json.h src/domain/oidc.h \
 src/domain/citizens.h src/search/index.h src/text/analyze.h \
 src/text/wordset.h src/search/synonyms.h src/core/dktime.h
src/core/log.h:
src/core/util.h:
src/domain/auth.h:
src/core/arena.h:
src/core/rc.h:
src/domain/actor.h:
src/domain/model.h:
src/store/store.h:
src/domain/cases.h:
src/domain/casetype.h:
src/domain/forms.h:
src/core/buf.h:
src/domain/plans.h:
src/http/multipart.h:
src/pages/borger.h:
src/pages/layout.h:
src/pages/pages.h:
src/app/app.h:
src/http/http.h:
src/http/errors.def:
src/http/json.h:
src/domain/oidc.h:
src/domain/citizens.h:
src/search/index.h:
src/text/analyze.h:
src/text/wordset.h:
src/search/synonyms.h:
src/core/dktime.h:
