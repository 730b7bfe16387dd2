build-dev/obj/domain/vault.o: src/domain/vault.c src/domain/vault.h \
 src/core/arena.h src/core/rc.h src/store/store.h src/domain/model.h \
 src/core/util.h src/domain/cpr.h src/domain/vault_int.h
src/domain/vault.h:
src/core/arena.h:
src/core/rc.h:
src/store/store.h:
src/domain/model.h:
src/core/util.h:
src/domain/cpr.h:
src/domain/vault_int.h:
