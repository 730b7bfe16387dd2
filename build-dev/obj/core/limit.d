build-dev/obj/core/limit.o: src/core/limit.c src/core/limit.h \
 src/core/util.h
src/core/limit.h:
src/core/util.h:
