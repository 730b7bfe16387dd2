build-dev/obj/http/router.o: src/http/router.c src/http/http.h \
 src/core/arena.h src/core/buf.h src/core/rc.h src/http/errors.def
src/http/http.h:
src/core/arena.h:
src/core/buf.h:
src/core/rc.h:
src/http/errors.def:
