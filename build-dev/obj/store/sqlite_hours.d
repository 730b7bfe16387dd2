build-dev/obj/store/sqlite_hours.o: src/store/sqlite_hours.c \
 src/store/sqlite_int.h src/core/arena.h src/store/store.h src/core/rc.h \
 src/domain/model.h
src/store/sqlite_int.h:
src/core/arena.h:
src/store/store.h:
src/core/rc.h:
src/domain/model.h:
