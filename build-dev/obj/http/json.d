build-dev/obj/http/json.o: src/http/json.c src/http/json.h \
 src/core/arena.h src/core/util.h
src/http/json.h:
src/core/arena.h:
src/core/util.h:
