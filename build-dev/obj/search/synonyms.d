build-dev/obj/search/synonyms.o: src/search/synonyms.c \
 src/search/synonyms.h src/text/analyze.h src/text/wordset.h \
 src/core/util.h
src/search/synonyms.h:
src/text/analyze.h:
src/text/wordset.h:
src/core/util.h:
