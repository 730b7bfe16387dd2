build-dev/obj/domain/vaultstore.o: src/domain/vaultstore.c \
 src/domain/vault.h src/core/arena.h src/core/rc.h src/store/store.h \
 src/domain/model.h src/core/log.h src/core/util.h src/domain/vault_int.h
src/domain/vault.h:
src/core/arena.h:
src/core/rc.h:
src/store/store.h:
src/domain/model.h:
src/core/log.h:
src/core/util.h:
src/domain/vault_int.h:
