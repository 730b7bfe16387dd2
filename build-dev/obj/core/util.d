build-dev/obj/core/util.o: src/core/util.c src/core/util.h src/core/rc.h
src/core/util.h:
src/core/rc.h:
