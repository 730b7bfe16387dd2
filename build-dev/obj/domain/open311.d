build-dev/obj/domain/open311.o: src/domain/open311.c src/domain/open311.h \
 src/core/arena.h src/domain/actor.h src/domain/model.h \
 src/domain/casetype.h src/core/rc.h src/domain/forms.h src/core/buf.h \
 src/store/store.h src/core/log.h src/core/util.h src/domain/access.h \
 src/domain/auth.h src/domain/orgs.h
src/domain/open311.h:
src/core/arena.h:
src/domain/actor.h:
src/domain/model.h:
src/domain/casetype.h:
src/core/rc.h:
src/domain/forms.h:
src/core/buf.h:
src/store/store.h:
src/core/log.h:
src/core/util.h:
src/domain/access.h:
src/domain/auth.h:
src/domain/orgs.h:
