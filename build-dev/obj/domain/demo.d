build-dev/obj/domain/demo.o: src/domain/demo.c src/domain/demo.h \
 src/store/store.h src/core/arena.h src/core/rc.h src/domain/model.h \
 src/core/dktime.h src/core/util.h src/domain/cases.h src/domain/actor.h \
 src/domain/casetype.h src/domain/forms.h src/core/buf.h \
 src/domain/hours.h src/domain/inquiries.h
src/domain/demo.h:
src/store/store.h:
src/core/arena.h:
src/core/rc.h:
src/domain/model.h:
src/core/dktime.h:
src/core/util.h:
src/domain/cases.h:
src/domain/actor.h:
src/domain/casetype.h:
src/domain/forms.h:
src/core/buf.h:
src/domain/hours.h:
src/domain/inquiries.h:
