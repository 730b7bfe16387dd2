build-dev/obj/domain/content.o: src/domain/content.c src/domain/content.h \
 src/core/arena.h src/core/buf.h src/store/store.h src/core/rc.h \
 src/domain/model.h src/core/log.h src/core/util.h src/domain/articles.h \
 src/domain/actor.h src/domain/auth.h src/domain/casetype.h \
 src/domain/forms.h src/domain/citizens.h src/domain/cpr.h \
 src/domain/hours.h src/domain/inquiries.h src/domain/appointments.h \
 src/domain/contact.h
src/domain/content.h:
src/core/arena.h:
src/core/buf.h:
src/store/store.h:
src/core/rc.h:
src/domain/model.h:
src/core/log.h:
src/core/util.h:
src/domain/articles.h:
src/domain/actor.h:
src/domain/auth.h:
src/domain/casetype.h:
src/domain/forms.h:
src/domain/citizens.h:
src/domain/cpr.h:
src/domain/hours.h:
src/domain/inquiries.h:
src/domain/appointments.h:
src/domain/contact.h:
