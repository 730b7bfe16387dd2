build-dev/obj/text/analyze.o: src/text/analyze.c src/text/analyze.h \
 src/text/wordset.h src/core/util.h
src/text/analyze.h:
src/text/wordset.h:
src/core/util.h:
