build-dev/obj/api/json_body.o: src/api/json_body.c src/api/api.h \
 src/app/app.h src/domain/actor.h src/domain/model.h src/http/http.h \
 src/core/arena.h src/core/buf.h src/core/rc.h src/http/errors.def \
 src/http/json.h src/core/util.h src/domain/oidc.h src/domain/auth.h \
 src/store/store.h src/domain/citizens.h src/search/index.h \
 src/text/analyze.h src/text/wordset.h src/search/synonyms.h
src/api/api.h:
src/app/app.h:
src/domain/actor.h:
src/domain/model.h:
src/http/http.h:
src/core/arena.h:
src/core/buf.h:
src/core/rc.h:
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
