build-dev/obj/domain/principal.o: src/domain/principal.c \
 src/domain/auth.h src/core/arena.h src/core/rc.h src/domain/actor.h \
 src/domain/model.h src/store/store.h src/core/log.h src/core/util.h \
 src/domain/citizens.h
src/domain/auth.h:
src/core/arena.h:
src/core/rc.h:
src/domain/actor.h:
src/domain/model.h:
src/store/store.h:
src/core/log.h:
src/core/util.h:
src/domain/citizens.h:
