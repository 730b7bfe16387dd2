build-dev/obj/domain/oidc.o: src/domain/oidc.c src/domain/oidc.h \
 src/core/arena.h src/core/rc.h src/domain/auth.h src/domain/actor.h \
 src/domain/model.h src/store/store.h src/domain/citizens.h \
 src/core/buf.h src/core/log.h src/core/util.h
src/domain/oidc.h:
src/core/arena.h:
src/core/rc.h:
src/domain/auth.h:
src/domain/actor.h:
src/domain/model.h:
src/store/store.h:
src/domain/citizens.h:
src/core/buf.h:
src/core/log.h:
src/core/util.h:
