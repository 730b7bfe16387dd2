build-dev/obj/domain/demoletters.o: src/domain/demoletters.c \
 src/core/log.h src/core/util.h src/domain/cases.h src/domain/actor.h \
 src/domain/model.h src/domain/casetype.h src/core/rc.h \
 src/domain/forms.h src/core/arena.h src/core/buf.h src/store/store.h \
 src/domain/demoletters.h src/domain/letterdoc.h src/render/letter.h
src/core/log.h:
src/core/util.h:
src/domain/cases.h:
src/domain/actor.h:
src/domain/model.h:
src/domain/casetype.h:
src/core/rc.h:
src/domain/forms.h:
src/core/arena.h:
src/core/buf.h:
src/store/store.h:
src/domain/demoletters.h:
src/domain/letterdoc.h:
src/render/letter.h:
