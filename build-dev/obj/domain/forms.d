build-dev/obj/domain/forms.o: src/domain/forms.c src/domain/forms.h \
 src/core/arena.h src/core/buf.h src/core/rc.h src/core/util.h
src/domain/forms.h:
src/core/arena.h:
src/core/buf.h:
src/core/rc.h:
src/core/util.h:
