build-dev/obj/domain/orgfile.o: src/domain/orgfile.c src/domain/orgfile.h \
 src/core/arena.h src/store/store.h src/core/rc.h src/domain/model.h
src/domain/orgfile.h:
src/core/arena.h:
src/store/store.h:
src/core/rc.h:
src/domain/model.h:
