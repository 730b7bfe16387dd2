build-dev/obj/domain/overview.o: src/domain/overview.c src/core/util.h \
 src/domain/overview.h src/core/arena.h src/domain/actor.h \
 src/domain/model.h src/domain/casetype.h src/core/rc.h \
 src/domain/forms.h src/core/buf.h src/store/store.h src/domain/access.h \
 src/domain/catalogue.h src/domain/plans.h
src/core/util.h:
src/domain/overview.h:
src/core/arena.h:
src/domain/actor.h:
src/domain/model.h:
src/domain/casetype.h:
src/core/rc.h:
src/domain/forms.h:
src/core/buf.h:
src/store/store.h:
src/domain/access.h:
src/domain/catalogue.h:
src/domain/plans.h:
