build-dev/obj/domain/health.o: src/domain/health.c src/domain/health.h \
 src/store/store.h src/core/arena.h src/core/rc.h src/domain/model.h \
 src/core/log.h src/core/util.h src/domain/vault.h
src/domain/health.h:
src/store/store.h:
src/core/arena.h:
src/core/rc.h:
src/domain/model.h:
src/core/log.h:
src/core/util.h:
src/domain/vault.h:
