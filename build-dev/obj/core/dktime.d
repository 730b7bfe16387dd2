build-dev/obj/core/dktime.o: src/core/dktime.c src/core/dktime.h \
 src/core/arena.h
src/core/dktime.h:
src/core/arena.h:
