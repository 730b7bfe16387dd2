build-dev/obj/store/sqlite_appointments.o: \
 src/store/sqlite_appointments.c src/store/sqlite_int.h src/core/arena.h \
 src/store/store.h src/core/rc.h src/domain/model.h src/core/util.h
src/store/sqlite_int.h:
src/core/arena.h:
src/store/store.h:
src/core/rc.h:
src/domain/model.h:
src/core/util.h:
