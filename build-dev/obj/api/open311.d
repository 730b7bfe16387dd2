build-dev/obj/api/open311.o: src/api/open311.c src/domain/orgs.h \
 src/core/arena.h src/store/store.h src/core/rc.h src/domain/model.h \
 src/api/api.h src/app/app.h src/domain/actor.h src/http/http.h \
 src/core/buf.h src/http/errors.def src/http/json.h src/core/util.h \
 src/domain/oidc.h src/domain/auth.h src/domain/citizens.h \
 src/search/index.h src/text/analyze.h src/text/wordset.h \
 src/search/synonyms.h src/core/dktime.h src/core/log.h src/core/xml.h \
 src/domain/cases.h src/domain/casetype.h src/domain/forms.h \
 src/domain/open311.h
src/domain/orgs.h:
src/core/arena.h:
src/store/store.h:
src/core/rc.h:
src/domain/model.h:
src/api/api.h:
src/app/app.h:
src/domain/actor.h:
src/http/http.h:
src/core/buf.h:
src/http/errors.def:
src/http/json.h:
src/core/util.h:
src/domain/oidc.h:
src/domain/auth.h:
src/domain/citizens.h:
src/search/index.h:
src/text/analyze.h:
src/text/wordset.h:
src/search/synonyms.h:
src/core/dktime.h:
src/core/log.h:
src/core/xml.h:
src/domain/cases.h:
src/domain/casetype.h:
src/domain/forms.h:
src/domain/open311.h:
