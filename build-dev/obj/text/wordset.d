build-dev/obj/text/wordset.o: src/text/wordset.c src/text/wordset.h \
 src/core/util.h
src/text/wordset.h:
src/core/util.h:
