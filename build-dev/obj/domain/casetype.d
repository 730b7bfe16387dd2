build-dev/obj/domain/casetype.o: src/domain/casetype.c \
 src/domain/casetype.h src/core/rc.h src/domain/forms.h src/core/arena.h \
 src/core/buf.h src/core/log.h src/domain/auth.h src/domain/actor.h \
 src/domain/model.h src/store/store.h
src/domain/casetype.h:
src/core/rc.h:
src/domain/forms.h:
src/core/arena.h:
src/core/buf.h:
src/core/log.h:
src/domain/auth.h:
src/domain/actor.h:
src/domain/model.h:
src/store/store.h:
