build-dev/obj/domain/catalogue.o: src/domain/catalogue.c \
 src/domain/catalogue.h src/core/arena.h src/domain/actor.h \
 src/domain/model.h src/domain/casetype.h src/core/rc.h \
 src/domain/forms.h src/core/buf.h src/store/store.h src/core/log.h \
 src/domain/access.h src/domain/cases.h
src/domain/catalogue.h:
src/core/arena.h:
src/domain/actor.h:
src/domain/model.h:
src/domain/casetype.h:
src/core/rc.h:
src/domain/forms.h:
src/core/buf.h:
src/store/store.h:
src/core/log.h:
src/domain/access.h:
src/domain/cases.h:
