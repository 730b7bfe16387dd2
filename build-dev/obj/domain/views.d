build-dev/obj/domain/views.o: src/domain/views.c src/domain/views.h \
 src/core/rc.h src/store/store.h src/core/arena.h src/domain/model.h \
 src/core/util.h
src/domain/views.h:
src/core/rc.h:
src/store/store.h:
src/core/arena.h:
src/domain/model.h:
src/core/util.h:
