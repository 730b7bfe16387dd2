build-dev/obj/store/sqlite.o: src/store/sqlite.c src/store/sqlite_int.h \
 src/core/arena.h src/store/store.h src/core/rc.h src/domain/model.h \
 src/core/log.h src/core/util.h
src/store/sqlite_int.h:
src/core/arena.h:
src/store/store.h:
src/core/rc.h:
src/domain/model.h:
src/core/log.h:
src/core/util.h:
