build-dev/obj/domain/fields.o: src/domain/fields.c src/domain/forms.h \
 src/core/arena.h src/core/buf.h src/core/rc.h src/core/dktime.h \
 src/core/util.h src/domain/cpr.h
src/domain/forms.h:
src/core/arena.h:
src/core/buf.h:
src/core/rc.h:
src/core/dktime.h:
src/core/util.h:
src/domain/cpr.h:
