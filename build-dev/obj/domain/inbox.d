build-dev/obj/domain/inbox.o: src/domain/inbox.c src/domain/inbox.h \
 src/domain/actor.h src/domain/model.h src/render/letter.h src/core/buf.h \
 src/core/rc.h src/store/store.h src/core/arena.h src/core/log.h \
 src/core/util.h src/domain/access.h src/domain/cases.h \
 src/domain/casetype.h src/domain/forms.h src/domain/inquiries.h \
 src/domain/letterdoc.h
src/domain/inbox.h:
src/domain/actor.h:
src/domain/model.h:
src/render/letter.h:
src/core/buf.h:
src/core/rc.h:
src/store/store.h:
src/core/arena.h:
src/core/log.h:
src/core/util.h:
src/domain/access.h:
src/domain/cases.h:
src/domain/casetype.h:
src/domain/forms.h:
src/domain/inquiries.h:
src/domain/letterdoc.h:
