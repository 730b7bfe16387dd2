build-dev/obj/http/server.o: src/http/server.c src/http/http.h \
 src/core/arena.h src/core/buf.h src/core/rc.h src/http/errors.def \
 src/core/log.h src/core/util.h
src/http/http.h:
src/core/arena.h:
src/core/buf.h:
src/core/rc.h:
src/http/errors.def:
src/core/log.h:
src/core/util.h:
