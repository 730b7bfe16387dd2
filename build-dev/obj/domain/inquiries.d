build-dev/obj/domain/inquiries.o: src/domain/inquiries.c \
 src/domain/inquiries.h src/domain/actor.h src/domain/model.h \
 src/store/store.h src/core/arena.h src/core/rc.h src/core/util.h \
 src/domain/access.h src/domain/orgfile.h src/domain/desk.h \
 src/domain/cases.h src/domain/casetype.h src/domain/forms.h \
 src/core/buf.h
src/domain/inquiries.h:
src/domain/actor.h:
src/domain/model.h:
src/store/store.h:
src/core/arena.h:
src/core/rc.h:
src/core/util.h:
src/domain/access.h:
src/domain/orgfile.h:
src/domain/desk.h:
src/domain/cases.h:
src/domain/casetype.h:
src/domain/forms.h:
src/core/buf.h:
