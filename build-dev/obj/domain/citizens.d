build-dev/obj/domain/citizens.o: src/domain/citizens.c \
 src/domain/citizens.h src/core/arena.h src/domain/auth.h src/core/rc.h \
 src/domain/actor.h src/domain/model.h src/store/store.h src/core/util.h
src/domain/citizens.h:
src/core/arena.h:
src/domain/auth.h:
src/core/rc.h:
src/domain/actor.h:
src/domain/model.h:
src/store/store.h:
src/core/util.h:
