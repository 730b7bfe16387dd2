build-dev/obj/domain/desk.o: src/domain/desk.c src/domain/desk.h \
 src/domain/actor.h src/domain/model.h src/domain/cases.h \
 src/domain/casetype.h src/core/rc.h src/domain/forms.h src/core/arena.h \
 src/core/buf.h src/store/store.h src/core/dktime.h src/core/util.h \
 src/domain/access.h src/domain/cpr.h src/domain/hours.h \
 src/domain/inquiries.h src/domain/vault.h
src/domain/desk.h:
src/domain/actor.h:
src/domain/model.h:
src/domain/cases.h:
src/domain/casetype.h:
src/core/rc.h:
src/domain/forms.h:
src/core/arena.h:
src/core/buf.h:
src/store/store.h:
src/core/dktime.h:
src/core/util.h:
src/domain/access.h:
src/domain/cpr.h:
src/domain/hours.h:
src/domain/inquiries.h:
src/domain/vault.h:
