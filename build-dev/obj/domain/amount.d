build-dev/obj/domain/amount.o: src/domain/amount.c src/domain/forms.h \
 src/core/arena.h src/core/buf.h src/core/rc.h
src/domain/forms.h:
src/core/arena.h:
src/core/buf.h:
src/core/rc.h:
