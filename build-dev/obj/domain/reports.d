build-dev/obj/domain/reports.o: src/domain/reports.c src/domain/reports.h \
 src/core/arena.h src/domain/actor.h src/domain/model.h src/store/store.h \
 src/core/rc.h src/core/util.h src/domain/access.h src/domain/searchlog.h
src/domain/reports.h:
src/core/arena.h:
src/domain/actor.h:
src/domain/model.h:
src/store/store.h:
src/core/rc.h:
src/core/util.h:
src/domain/access.h:
src/domain/searchlog.h:
