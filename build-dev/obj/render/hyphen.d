build-dev/obj/render/hyphen.o: src/render/hyphen.c src/render/hyphen.h \
 src/core/arena.h src/core/buf.h src/core/log.h
src/render/hyphen.h:
src/core/arena.h:
src/core/buf.h:
src/core/log.h:
