build-dev/obj/domain/searchlog.o: src/domain/searchlog.c \
 src/domain/searchlog.h src/core/arena.h src/store/store.h src/core/rc.h \
 src/domain/model.h src/core/log.h src/core/util.h
src/domain/searchlog.h:
src/core/arena.h:
src/store/store.h:
src/core/rc.h:
src/domain/model.h:
src/core/log.h:
src/core/util.h:
