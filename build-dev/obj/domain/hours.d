build-dev/obj/domain/hours.o: src/domain/hours.c src/domain/hours.h \
 src/core/arena.h src/store/store.h src/core/rc.h src/domain/model.h \
 src/core/dktime.h src/core/util.h src/domain/orgfile.h
src/domain/hours.h:
src/core/arena.h:
src/store/store.h:
src/core/rc.h:
src/domain/model.h:
src/core/dktime.h:
src/core/util.h:
src/domain/orgfile.h:
