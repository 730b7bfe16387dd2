build-dev/obj/pages/inbox.o: src/pages/inbox.c src/core/log.h \
 src/core/util.h src/domain/forms.h src/core/arena.h src/core/buf.h \
 src/core/rc.h src/domain/inbox.h src/domain/actor.h src/domain/model.h \
 src/render/letter.h src/store/store.h src/pages/borger.h \
 src/domain/casetype.h src/pages/layout.h src/pages/pages.h src/app/app.h \
 src/http/http.h src/http/errors.def src/http/json.h src/domain/oidc.h \
 src/domain/auth.h src/domain/citizens.h src/search/index.h \
 src/text/analyze.h src/text/wordset.h src/search/synonyms.h \
 src/core/dktime.h src/pages/upload.h src/http/multipart.h \
 src/render/letter_html.h
src/core/log.h:
src/core/util.h:
src/domain/forms.h:
src/core/arena.h:
src/core/buf.h:
src/core/rc.h:
src/domain/inbox.h:
src/domain/actor.h:
src/domain/model.h:
src/render/letter.h:
src/store/store.h:
src/pages/borger.h:
src/domain/casetype.h:
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
src/pages/upload.h:
src/http/multipart.h:
src/render/letter_html.h:
