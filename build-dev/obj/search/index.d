build-dev/obj/search/index.o: src/search/index.c src/search/index.h \
 src/core/arena.h src/domain/model.h src/text/analyze.h \
 src/text/wordset.h src/search/synonyms.h src/core/util.h \
 src/search/index_int.h
src/search/index.h:
src/core/arena.h:
src/domain/model.h:
src/text/analyze.h:
src/text/wordset.h:
src/search/synonyms.h:
src/core/util.h:
src/search/index_int.h:
