build-dev/obj/store/sqlite_inbox.o: src/store/sqlite_inbox.c \
 src/store/sqlite_int.h src/core/arena.h src/store/store.h src/core/rc.h \
 src/domain/model.h
src/store/sqlite_int.h:
src/core/arena.h:
src/store/store.h:
src/core/rc.h:
src/domain/model.h:
