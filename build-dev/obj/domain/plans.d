build-dev/obj/domain/plans.o: src/domain/plans.c src/domain/plans.h \
 src/core/arena.h src/domain/actor.h src/domain/model.h src/store/store.h \
 src/core/rc.h src/core/util.h src/domain/access.h src/domain/articles.h \
 src/domain/cases.h src/domain/casetype.h src/domain/forms.h \
 src/core/buf.h
src/domain/plans.h:
src/core/arena.h:
src/domain/actor.h:
src/domain/model.h:
src/store/store.h:
src/core/rc.h:
src/core/util.h:
src/domain/access.h:
src/domain/articles.h:
src/domain/cases.h:
src/domain/casetype.h:
src/domain/forms.h:
src/core/buf.h:
