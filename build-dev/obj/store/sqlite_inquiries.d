build-dev/obj/store/sqlite_inquiries.o: src/store/sqlite_inquiries.c \
 src/store/sqlite_int.h src/core/arena.h src/store/store.h src/core/rc.h \
 src/domain/model.h src/core/util.h
src/store/sqlite_int.h:
src/core/arena.h:
src/store/store.h:
src/core/rc.h:
src/domain/model.h:
src/core/util.h:
