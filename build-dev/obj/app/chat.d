build-dev/obj/app/chat.o: src/app/chat.c src/app/chat.h src/app/app.h \
 src/domain/actor.h src/domain/model.h src/http/http.h src/core/arena.h \
 src/core/buf.h src/core/rc.h src/http/errors.def src/http/json.h \
 src/core/util.h src/domain/oidc.h src/domain/auth.h src/store/store.h \
 src/domain/citizens.h src/search/index.h src/text/analyze.h \
 src/text/wordset.h src/search/synonyms.h src/core/limit.h \
 src/domain/chat.h src/domain/inquiries.h
src/app/chat.h:
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
src/core/limit.h:
src/domain/chat.h:
src/domain/inquiries.h:
