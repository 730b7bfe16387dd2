build-dev/obj/domain/cpr.o: src/domain/cpr.c src/domain/cpr.h
src/domain/cpr.h:
