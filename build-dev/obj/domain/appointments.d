build-dev/obj/domain/appointments.o: src/domain/appointments.c \
 src/domain/appointments.h src/domain/actor.h src/domain/model.h \
 src/store/store.h src/core/arena.h src/core/rc.h src/core/dktime.h \
 src/core/util.h src/domain/access.h src/domain/orgfile.h \
 src/domain/hours.h
src/domain/appointments.h:
src/domain/actor.h:
src/domain/model.h:
src/store/store.h:
src/core/arena.h:
src/core/rc.h:
src/core/dktime.h:
src/core/util.h:
src/domain/access.h:
src/domain/orgfile.h:
src/domain/hours.h:
