build-dev/obj/domain/guide.o: src/domain/guide.c src/domain/guide.h \
 src/core/arena.h src/domain/actor.h src/domain/model.h src/store/store.h \
 src/core/rc.h src/domain/access.h src/domain/articles.h
src/domain/guide.h:
src/core/arena.h:
src/domain/actor.h:
src/domain/model.h:
src/store/store.h:
src/core/rc.h:
src/domain/access.h:
src/domain/articles.h:
