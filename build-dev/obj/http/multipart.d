build-dev/obj/http/multipart.o: src/http/multipart.c src/http/multipart.h \
 src/core/arena.h src/core/rc.h
src/http/multipart.h:
src/core/arena.h:
src/core/rc.h:
