build-dev/obj/domain/letterdoc.o: src/domain/letterdoc.c \
 src/domain/letterdoc.h src/core/arena.h src/domain/model.h \
 src/render/letter.h src/core/buf.h src/core/rc.h src/store/store.h \
 src/core/dktime.h src/core/util.h src/domain/contact.h
src/domain/letterdoc.h:
src/core/arena.h:
src/domain/model.h:
src/render/letter.h:
src/core/buf.h:
src/core/rc.h:
src/store/store.h:
src/core/dktime.h:
src/core/util.h:
src/domain/contact.h:
