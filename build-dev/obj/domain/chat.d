build-dev/obj/domain/chat.o: src/domain/chat.c src/domain/chat.h \
 src/domain/actor.h src/domain/model.h src/domain/inquiries.h \
 src/store/store.h src/core/arena.h src/core/rc.h src/core/util.h \
 src/domain/access.h src/domain/hours.h
src/domain/chat.h:
src/domain/actor.h:
src/domain/model.h:
src/domain/inquiries.h:
src/store/store.h:
src/core/arena.h:
src/core/rc.h:
src/core/util.h:
src/domain/access.h:
src/domain/hours.h:
