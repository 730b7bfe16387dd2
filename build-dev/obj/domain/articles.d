build-dev/obj/domain/articles.o: src/domain/articles.c \
 src/domain/articles.h src/domain/actor.h src/domain/model.h \
 src/store/store.h src/core/arena.h src/core/rc.h src/domain/access.h \
 src/core/util.h src/domain/markdown.h
src/domain/articles.h:
src/domain/actor.h:
src/domain/model.h:
src/store/store.h:
src/core/arena.h:
src/core/rc.h:
src/domain/access.h:
src/core/util.h:
src/domain/markdown.h:
