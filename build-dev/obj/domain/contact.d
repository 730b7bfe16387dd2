build-dev/obj/domain/contact.o: src/domain/contact.c src/domain/contact.h \
 src/core/arena.h src/store/store.h src/core/rc.h src/domain/model.h \
 src/core/util.h src/domain/hours.h
src/domain/contact.h:
src/core/arena.h:
src/store/store.h:
src/core/rc.h:
src/domain/model.h:
src/core/util.h:
src/domain/hours.h:
