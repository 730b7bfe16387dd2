build-dev/obj/domain/queue.o: src/domain/queue.c src/domain/queue.h \
 src/core/arena.h src/domain/actor.h src/domain/model.h src/store/store.h \
 src/core/rc.h src/core/util.h src/domain/access.h
src/domain/queue.h:
src/core/arena.h:
src/domain/actor.h:
src/domain/model.h:
src/store/store.h:
src/core/rc.h:
src/core/util.h:
src/domain/access.h:
