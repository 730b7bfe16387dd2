build-dev/obj/domain/cases.o: src/domain/cases.c src/domain/cases.h \
 src/domain/actor.h src/domain/model.h src/domain/casetype.h \
 src/core/rc.h src/domain/forms.h src/core/arena.h src/core/buf.h \
 src/store/store.h src/domain/access.h src/core/log.h src/core/util.h \
 src/domain/plans.h
src/domain/cases.h:
src/domain/actor.h:
src/domain/model.h:
src/domain/casetype.h:
src/core/rc.h:
src/domain/forms.h:
src/core/arena.h:
src/core/buf.h:
src/store/store.h:
src/domain/access.h:
src/core/log.h:
src/core/util.h:
src/domain/plans.h:
