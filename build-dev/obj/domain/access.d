build-dev/obj/domain/access.o: src/domain/access.c src/domain/access.h \
 src/core/rc.h src/domain/actor.h src/domain/model.h src/store/store.h \
 src/core/arena.h
src/domain/access.h:
src/core/rc.h:
src/domain/actor.h:
src/domain/model.h:
src/store/store.h:
src/core/arena.h:
