build-dev/obj/store/store.o: src/store/store.c src/store/store.h \
 src/core/arena.h src/core/rc.h src/domain/model.h src/core/util.h
src/store/store.h:
src/core/arena.h:
src/core/rc.h:
src/domain/model.h:
src/core/util.h:
