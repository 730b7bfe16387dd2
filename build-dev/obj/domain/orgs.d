build-dev/obj/domain/orgs.o: src/domain/orgs.c src/domain/orgs.h \
 src/core/arena.h src/store/store.h src/core/rc.h src/domain/model.h
src/domain/orgs.h:
src/core/arena.h:
src/store/store.h:
src/core/rc.h:
src/domain/model.h:
