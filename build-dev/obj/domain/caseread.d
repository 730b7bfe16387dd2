build-dev/obj/domain/caseread.o: src/domain/caseread.c \
 src/domain/caseread.h src/core/arena.h src/domain/actor.h \
 src/domain/model.h src/domain/casetype.h src/core/rc.h \
 src/domain/forms.h src/core/buf.h src/store/store.h src/core/util.h \
 src/core/log.h src/domain/access.h src/domain/cases.h \
 src/domain/catalogue.h
src/domain/caseread.h:
src/core/arena.h:
src/domain/actor.h:
src/domain/model.h:
src/domain/casetype.h:
src/core/rc.h:
src/domain/forms.h:
src/core/buf.h:
src/store/store.h:
src/core/util.h:
src/core/log.h:
src/domain/access.h:
src/domain/cases.h:
src/domain/catalogue.h:
