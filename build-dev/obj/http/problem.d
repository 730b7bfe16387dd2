build-dev/obj/http/problem.o: src/http/problem.c src/http/http.h \
 src/core/arena.h src/core/buf.h src/core/rc.h src/http/errors.def \
 src/core/log.h
src/http/http.h:
src/core/arena.h:
src/core/buf.h:
src/core/rc.h:
src/http/errors.def:
src/core/log.h:
